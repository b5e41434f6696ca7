import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitDocuments } from '../../packages/core/src/manifests/document-pieces.js';
import { parseSource, parseSourceExactly, type ParsedSource } from '../../packages/core/src/manifests/parse.js';

const cuts = (text: string) => splitDocuments(text).map((p) => [p.line, p.text, p.blank]);

describe('splitDocuments', () => {
  it('starts a piece at every --- line and ends one after every ... line', () => {
    expect(cuts('a: 1\n---\nb: 2\n...\nc: 3\n')).toEqual([[1, 'a: 1\n', false], [2, '---\nb: 2\n...\n', false], [5, 'c: 3\n', false]]);
  });

  it('cuts only at markers: three dashes at the start of a line, then a space, a tab or the end of the line', () => {
    expect(cuts('a: |\n  ---\n----\n---x\n--- b\n---\t# c\n---\r\n---')).toEqual([
      [1, 'a: |\n  ---\n----\n---x\n', false], [5, '--- b\n', false], [6, '---\t# c\n', false], [7, '---\r\n', false], [8, '---', false],
    ]);
  });

  it('keeps directives with the --- that follows them', () => {
    expect(cuts('a: 1\n...\n# c\n%YAML 1.2\n---\nb: 2\n')).toEqual([[1, 'a: 1\n...\n', false], [3, '# c\n%YAML 1.2\n---\nb: 2\n', false]]);
  });

  it('leaves a source whole when a directive follows content without ...', () => {
    expect(cuts('a: 1\n%YAML 1.2\n---\nb: 2\n')).toEqual([[1, 'a: 1\n%YAML 1.2\n---\nb: 2\n', false]]);
  });

  it('marks pieces of only comments, blank lines and a byte order mark as holding no document', () => {
    expect(cuts('\uFEFF# c\n\n  # d\n---\na: 1\n...\n# e\n')).toEqual([[1, '\uFEFF# c\n\n  # d\n', true], [4, '---\na: 1\n...\n', false], [7, '# e\n', true]]);
  });
});

/** Everything a reader's result says, positions included, for comparing two readers. */
function summary(parsed: ParsedSource) {
  return {
    documents: parsed.documents.map((d) => {
      const at = d.locate(['metadata', 'name']);
      return { index: d.index, value: d.value, at: `${at.line}:${at.column}/${at.document}` };
    }),
    diagnostics: parsed.diagnostics.map((d) => `${d.location?.line}:${d.location?.column}/${d.location?.document} ${d.severity} ${d.code}: ${d.message}`),
  };
}

const object = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

/** Documents that take every reader and every way to end: fast, exact (anchors, tags, errors), empty, block scalars. */
const fragments = [
  object('plain'),
  `${object('anchored')}  b: &x two\n  c: *x\n`,
  `${object('tagged')}  b: !!str 0443\n`,
  'metadata: {name: broken\n',
  'a: b: c\n',
  'metadata:\n  name: x\n  name: y\n',
  `${object('block')}  script: |\n    ---not a marker\n    line\n`,
  '# only a comment\n',
  '',
  'metadata:\n  name: "a quoted\n    name"\n',
  `${object('kubectl')}  on: yes\n`,
  'a: .nan\n',
  '- a\n- b\n',
  'just a string\n',
  'metadata: {name: {{ .Values.name }}}\n',
];

describe('parseSource, reading each document on its own', () => {
  it.each([
    ['documents after a syntax error', `${object('a')}---\nmetadata: {name: broken\n---\n${object('b')}`],
    ['an anchor in one document of many', `${object('a')}---\n${fragments[1]}---\n${object('c')}`],
    ['a document end marker and a bare document after it', `${object('a')}...\n${object('b')}...\n# tail\n`],
    ['directives before a later document', `${object('a')}...\n%YAML 1.2\n---\n${object('b')}`],
    ['Windows line ends', `${object('a')}---\n${object('b')}`.replaceAll('\n', '\r\n')],
    ['a byte order mark and comments before the first marker', `\uFEFF# head\n---\n${object('a')}---\n${object('b')}`],
    ['empty documents', '---\n---\n# c\n---\n'],
  ])('gives what the exact reader gives for the whole file: %s', (_, text) => {
    const source = { name: 'm.yaml', text };
    expect(summary(parseSource(source))).toEqual(summary(parseSourceExactly(source)));
  });

  it('gives what the exact reader gives for the whole file, whatever documents follow each other', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom(...fragments), fc.constantFrom('---\n', '---\n', '...\n---\n', '--- # c\n', '...\n')), { minLength: 1, maxLength: 6 }),
      fc.boolean(),
      (parts, leading) => {
        const text = (leading ? '---\n' : '') + parts.map(([fragment, marker], i) => (i === 0 ? fragment : marker + fragment)).join('');
        const source = { name: 'm.yaml', text };
        expect(summary(parseSource(source))).toEqual(summary(parseSourceExactly(source)));
      },
    ), { numRuns: 300 });
  });

  it('reports a problem in a later document at its line in the whole file', () => {
    const text = `${object('a')}---\n${object('b')}  c: d: e\n`;
    const [problem] = parseSource({ name: 'm.yaml', text }).diagnostics;
    expect(`${problem?.location?.line}:${problem?.location?.column}/${problem?.location?.document} ${problem?.code}`).toBe('14:6/1 yaml/syntax');
  });
});
