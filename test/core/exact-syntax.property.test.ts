import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../packages/core/src/manifests/document-pieces.js';
import { fastReader } from '../../packages/core/src/manifests/fast-parse.js';
import { parseSource, parseSourceExactly, type ParsedSource } from '../../packages/core/src/manifests/parse.js';

/**
 * Generated files with every construct the exact reader must decide (anchors, aliases, merge keys,
 * tags, explicit and collection keys, directives, unquoted templates) beside the ordinary text that
 * only looks like them (`&&` in commands, `* ` bullets, `!` and `?` in prose, `{{ }}` in strings):
 * the reader netdiagram uses (each document on the fast reader where it can) gives exactly what
 * the exact reader gives, the constructs never stay on the fast reader, and the look-alikes never
 * leave it.
 */

/** One entry (or a few) of a top-level mapping, and whether the fast reader may keep it. */
interface Part {
  readonly text: string;
  /** 'exact': must go to the exact reader; 'fast': must stay on the fast one; 'either': both are right. */
  readonly reader: 'exact' | 'fast' | 'either';
}

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** Words of prose and shell that hold every character the old detector mistook for syntax. */
const WORDS = ['text', '*', '* bullet', '&&', 'a && b', '!', 'wow!', '?', 'why?', '? q', '&x', '*y', '!z', '!!int',
  '{{ .Values.x }}', '<<:', '%', '%TAG', '[x]: y', '{a}: b', '&', '- item', '*.example.com', 'x=1;y=2', '|', '>'];
/** The words a plain scalar's continuation line can hold (no `: ` or ` #`, which would end it). */
const PLAIN_WORDS = WORDS.filter((w) => !w.includes(':'));

const line = (words: readonly string[]) => fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));

/** Ordinary text that only looks like syntax: the fast reader keeps it. */
const lookAlike = (key: string): fc.Arbitrary<Part> => fc.oneof(
  // a CRD description: a block scalar of prose, bullets and commands
  fc.tuple(pick('|', '>', '|-', '>+'), fc.array(line(WORDS), { minLength: 1, maxLength: 4 }))
    .map(([style, lines]) => `${key}: ${style}\n${lines.map((l) => `  ${l}\n`).join('')}`),
  // a plain scalar over several lines, whose later lines start with `*`, `&`, `!`, `?`, `%` or `-`
  fc.array(line(PLAIN_WORDS), { minLength: 1, maxLength: 3 }).map((lines) => `${key}: text\n${lines.map((l) => `  ${l}\n`).join('')}`),
  // a container command
  fc.array(line(PLAIN_WORDS), { minLength: 1, maxLength: 3 })
    .map((lines) => `${key}:\n- sh\n- -c\n${lines.map((l) => `- echo ${l}\n`).join('')}`),
  // quoted strings of anything
  fc.tuple(line(WORDS), fc.boolean()).map(([l, double]) => `${key}: ${double ? JSON.stringify(l) : `'${l.replaceAll("'", "''")}'`}\n`),
  // flow collections of quoted look-alikes, and an empty map in a list (`- {}`)
  line(WORDS).map((l) => `${key}: [${JSON.stringify(l)}, {k: ${JSON.stringify(l)}}]\n${key}-list:\n- {}\n- []\n`),
).map((text) => ({ text, reader: 'fast' }));

/** Syntax the exact reader must decide. */
const construct = (key: string, i: number): fc.Arbitrary<Part> => fc.oneof(
  pick(
    `${key}: &a${i}\n  x: 1\n${key}-ref: *a${i}\n`,
    `${key}: &a${i} {x: 1, y: [2, 3]}\n${key}-ref:\n- *a${i}\n- *a${i}\n`,
    `${key}: &a${i} scalar\n${key}-ref: *a${i}\n`,
    `${key}-base: &b${i} {x: 1, y: 2}\n${key}:\n  <<: *b${i}\n  y: 3\n`,
    `${key}:\n  <<: {x: 1}\n  y: 3\n`,
    `${key}: !!str 5\n`, `${key}: !!int "7"\n`, `${key}: !!float 1\n`, `${key}: !!bool "true"\n`, `${key}: !!null ""\n`,
    `${key}: !custom x\n`, `${key}: ! 12\n`, `${key}: !!map {a: 1}\n`, `${key}: !!seq [a]\n`, `${key}:\n- !!str 08\n`,
    `? [a${i}, b]\n: v\n`, `? - a${i}\n  - b\n: v\n`, `? {a${i}: 1}\n: v\n`, `[a${i}, b]: v\n`, `{a${i}: 1}: v\n`,
    `${key}: { [a, b] }\n`, `${key}: {{ .Values.x }}\n`, `${key}: [[a]: b]\n`, `${key}:\n- {{ .Values.list }}\n`,
    `*undefined${i}: v\n`, `${key}: *undefined${i}\n`,
  ).map((text) => ({ text, reader: 'exact' as const })),
  // explicit keys that are plain values, and flow pairs: either reader reads them alike
  pick(`? ${key}\n: v\n`, `? ${key}\n`, `${key}: [a: b, c]\n`, `${key}: {? a: b}\n`)
    .map((text) => ({ text, reader: 'either' as const })),
);

interface Doc {
  readonly text: string;
  readonly reader: Part['reader'];
}

const doc: fc.Arbitrary<Doc> = fc.tuple(
  fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant('look-alike') }, { weight: 1, arbitrary: fc.constant('construct') }), { minLength: 1, maxLength: 5 }),
  pick('', '', '', '%YAML 1.2\n', '%TAG !e! tag:example.com,2000:\n'),
).chain(([kinds, directive]) => fc.tuple(...kinds.map((kind, i) => (kind === 'construct' ? construct(`k${i}`, i) : lookAlike(`k${i}`))))
  .map((parts) => {
    const reader = directive !== '' || parts.some((p) => p.reader === 'exact') ? 'exact'
      : parts.some((p) => p.reader === 'either') ? 'either' : 'fast';
    return { text: `${directive}---\nkind: ConfigMap\n${parts.map((p) => p.text).join('')}`, reader };
  }));

const file = fc.array(doc, { minLength: 1, maxLength: 4 });
/** A file of the documents; YAML allows a directive after content only past a `...` line. */
const textOf = (docs: readonly Doc[]) => docs.map((d, i) => (i > 0 && d.text.startsWith('%') ? `...\n${d.text}` : d.text)).join('');

const summary = (parsed: ParsedSource) => ({
  values: parsed.documents.map((d) => [d.index, d.value]),
  diagnostics: parsed.diagnostics.map((d) => `${d.severity} ${d.code} ${d.location?.line}:${d.location?.column} #${d.location?.document} ${d.message}`),
});

describe('documents the exact reader must decide, among text that only looks like them', () => {
  it('read the same as with the exact reader alone, whatever each document holds', () => {
    fc.assert(fc.property(file, (docs) => {
      const source = { name: 'generated.yaml', text: textOf(docs) };
      expect(summary(parseSource(source))).toEqual(summary(parseSourceExactly(source)));
    }), { numRuns: 500 });
  });

  it('send every anchor, alias, merge key, tag, collection key and directive to the exact reader, and no look-alike', () => {
    let fast = 0;
    fc.assert(fc.property(file, (docs) => {
      const source = { name: 'generated.yaml', text: textOf(docs) };
      const read = fastReader(source);
      const pieces = splitDocuments(source.text).filter((p) => !p.blank);
      expect(pieces).toHaveLength(docs.length);
      pieces.forEach((piece, i) => {
        const taken = typeof read(piece) === 'function';
        if (docs[i]!.reader === 'exact') expect(taken, piece.text).toBe(false);
        if (docs[i]!.reader === 'fast') expect(taken, piece.text).toBe(true);
        if (taken) fast++;
      });
    }), { numRuns: 500 });
    expect(fast).toBeGreaterThan(100); // the fast reader really takes part
  });
});
