import { withoutStackTraces } from './without-stack-traces.js';
import type { Document, LineCounter } from 'yaml';
import { diagnostic, type Diagnostic, type DiagnosticCode, type SourceLocation } from '../diagnostics.js';
import { measureExpansion, MAX_ALIAS_EXPANSION } from './alias-expansion.js';
import { splitDocuments, type DocumentPiece } from './document-pieces.js';
import { fastReader } from './fast-parse.js';
import { lazyLocation, type Locator } from './lazy-location.js';
import { KUBECTL_SCALAR_TAGS, resolveAsKubectl } from './kubectl-document.js';
import { templateDiagnostic } from './template.js';
import { yamlPackage } from './yaml-package.js';
import type { Source } from './source.js';

/** A field path inside a document, as in `['spec', 'ingress', 0, 'from']`. */
export type FieldPath = readonly (string | number)[];

/** A parsed YAML/JSON document that can say where any of its fields came from. */
export interface LocatedDocument {
  readonly file: string;
  readonly index: number;
  readonly value: unknown;
  /** True when the user named this source directly (see `Source.explicit`). */
  readonly explicit: boolean;
  /** The location of the field at `path`, or of the nearest ancestor that exists. */
  locate(path: FieldPath): SourceLocation;
}

export interface ParsedSource {
  readonly documents: readonly LocatedDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Aliases may be expanded at most this many times per document (the yaml package's measure: uses of
 * an anchor times the aliases inside it), so a "billion laughs" file fails fast.
 */
export const MAX_ALIAS_COUNT = 1000;
/** Nesting deeper than any real manifest; deeper input is refused rather than risking the stack. */
export const MAX_DEPTH = 200;

type At = (offset: number, index: number, length?: number) => SourceLocation;

/** What reading one piece of a source gives: located documents and diagnostics in the whole source's terms. */
export interface PieceRead extends ParsedSource {
  /** Documents the piece holds, including those left out for errors (the next piece's first index). */
  readonly count: number;
  /** Documents that are empty (`---` and nothing else, or only comments). */
  readonly emptyDocuments: number;
}

/**
 * Parses one source into located documents. Documents with syntax errors are reported and left out;
 * the other documents of the same file are still returned.
 *
 * Two parsers share the work: js-yaml reads the common, well-formed document about ten times faster
 * than the `yaml` package, and positions are computed with the `yaml` package only when a diagnostic
 * asks for one. The source is cut into its documents first (document-pieces.ts) and each is read on
 * its own: any document the fast path cannot vouch for (a syntax error, a duplicate key, anchors or
 * aliases, merge keys, explicit tags, maps as keys, directives, deep nesting, a key that may be a
 * number, `.nan`; exact-syntax.ts says how each is seen) is parsed by the
 * `yaml` package alone, which reports every problem exactly, and the others stay on the fast path,
 * so one anchor in a large file costs the exact parse of its own document only. Both read plain
 * scalars as kubectl applies them (kubectl-scalars.ts), so either gives the same values.
 */
export function parseSource(source: Source): ParsedSource {
  const readFast = fastReader(source);
  const documents: LocatedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  let count = 0;
  let emptyDocuments = 0;
  const add = (read: PieceRead) => {
    for (const d of read.documents) documents.push(d);
    for (const d of read.diagnostics) diagnostics.push(d);
    count += read.count;
    emptyDocuments += read.emptyDocuments;
  };
  // neighbouring documents that need the exact reader are read together, up to EXACT_RUN characters
  // (and as many pieces as errors are left under MAX_REPORTED_ERRORS, so the cap below is reached on
  // time): one `yaml` parse costs about 75 µs before it reads anything, which 1,000 broken documents feel
  let run: { start: number; end: number; line: number; pieces: number } | undefined;
  let errors = 0;
  const flush = () => {
    if (!run) return;
    const piece = { text: source.text.slice(run.start, run.end), start: run.start, line: run.line, blank: false };
    run = undefined;
    const read = readPieceExactly(source, piece, count);
    errors += read.diagnostics.filter((d) => d.severity === 'error').length;
    add(read);
  };
  // past MAX_REPORTED_ERRORS errors in the file, the next document js-yaml rejects ends the reading of
  // the file: its error would be one more line nobody reads, and even counting the rest would cost
  // a js-yaml parse that throws (10-15 µs) per document, over two minutes for 128 MiB of them
  const pieces = splitDocuments(source.text);
  let unread: { count: number; line: number; document: number } | undefined;
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p]!;
    if (piece.blank) continue; // only comments and blank lines: no document
    const fast = readFast(piece);
    if (typeof fast === 'function') {
      flush();
      add(fast(count));
      continue;
    }
    if (fast === 'rejected' && errors >= MAX_REPORTED_ERRORS) {
      flush();
      // a piece holds one document
      let rest = 0;
      for (let q = p; q < pieces.length; q++) if (!pieces[q]!.blank) rest++;
      unread = { count: rest, line: piece.line, document: count };
      count += rest;
      break;
    }
    const end = piece.start + piece.text.length;
    if (run && end - run.start <= EXACT_RUN && run.pieces < MAX_REPORTED_ERRORS - errors) {
      run.end = end;
      run.pieces++;
    } else {
      flush();
      run = { start: piece.start, end, line: piece.line, pieces: 1 };
    }
  }
  flush();
  if (unread) {
    diagnostics.push(diagnostic('error', 'yaml/too-many-errors',
      `${unread.count} more document${unread.count === 1 ? '' : 's'} of this file, from this one on, ${unread.count === 1 ? 'was' : 'were'} not read: past ${errors} errors, the first document that does not parse ends the file's reading; fix the errors listed and run again`,
      { file: source.name, line: unread.line, column: 1, document: unread.document }));
  }
  return finishSource(source, { documents, diagnostics, count, emptyDocuments });
}

/** The most text the exact reader takes in one parse when several documents in a row need it. */
const EXACT_RUN = 256 * 1024;

/** Errors of one file reported one by one; past them, the next document js-yaml rejects ends the file's reading (one error counts the rest). */
export const MAX_REPORTED_ERRORS = 1000;

/** The exact path for a whole source: the `yaml` package's documents, errors and positions. */
export function parseSourceExactly(source: Source): ParsedSource {
  return finishSource(source, readPieceExactly(source, wholeSource(source.text), 0));
}

/** A source as one piece, for the readers that take it whole. */
export function wholeSource(text: string): DocumentPiece {
  return { text, start: 0, line: 1, blank: false };
}

/**
 * The checks that concern a whole file, once its pieces are read: a Helm template's many syntax
 * errors become one, and a file without any document says so.
 */
function finishSource(source: Source, read: PieceRead): ParsedSource {
  const { documents } = read;
  // `{{ .Values.x }}` makes a Helm chart's templates invalid YAML: one error for the file, not one per line
  const template = templateDiagnostic(source, read.diagnostics);
  if (template) return { documents: [], diagnostics: [template] };
  // a file of nothing but comments and `---` names no object at all: say so (an error when the user named it)
  if (read.diagnostics.length === 0 && read.emptyDocuments === documents.length) {
    return { documents, diagnostics: [diagnostic(source.explicit ? 'error' : 'warning', 'input/empty', 'no YAML documents (only comments or blank lines)',
      { file: source.name, line: 1, column: 1, document: 0 })] };
  }
  return { documents, diagnostics: read.diagnostics };
}

/**
 * The exact path for one piece of a source: the `yaml` package's documents, errors and positions,
 * reported at their line and column in the whole source and numbered from `firstDocument`.
 */
export function readPieceExactly(source: Source, piece: DocumentPiece, firstDocument: number): PieceRead {
  const { LineCounter } = yamlPackage();
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: LocatedDocument[] = [];
  const text = piece.text;
  const list = readYaml(text, lineCounter);
  // a document's syntax tree weighs about twice its value: it is not kept for locations, which are
  // computed when first read, from a second parse of this piece alone
  let again: readonly Document.Parsed[] | undefined;
  const treeOf = (local: number) => (again ??= readYaml(text, new LineCounter()))[local]!;
  // a piece starts at the start of a line, so only lines move: columns are the source's already
  const at: At = (offset, local, length) => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    const where = { file: source.name, line: piece.line + line - 1, column: col, document: firstDocument + local };
    return length ? { ...where, length } : where;
  };
  const locator: Locator = { locate: (index, path) => locateIn(treeOf(index - firstDocument), path, index - firstDocument, at) };
  let emptyDocuments = 0;
  list.forEach((doc, local) => {
    const index = firstDocument + local;
    let broken = false;
    let previous = '';
    for (const error of doc.errors) {
      const code = codeOf(error.code);
      // running out of stack may surface as several errors, depending on how deep the stack already is
      if (code === 'yaml/too-deep' && broken && diagnostics.some((d) => d.code === code && d.location?.document === index)) continue;
      // 100,000 unclosed `[` give the same error at the same place once per level: say it once
      const same = `${error.code} ${error.pos[0]} ${error.message}`;
      if (same === previous) continue;
      previous = same;
      broken = true;
      const message = messageOf(error.code, error.message);
      diagnostics.push(diagnostic('error', code, message, at(error.pos[0], local, error.pos[1] - error.pos[0])));
    }
    for (const warning of doc.warnings) {
      diagnostics.push(diagnostic('warning', 'yaml/syntax', firstLine(warning.message), at(warning.pos[0], local)));
    }
    if (broken) return;
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const shape = checkShape(doc.contents);
    if (shape) {
      const offset = shape.offset ?? start;
      diagnostics.push(diagnostic('error', shape.code, shape.message, at(offset, local)));
      return;
    }
    const kubectl = resolveAsKubectl(doc);
    for (const f of kubectl.findings) diagnostics.push(diagnostic(f.severity, f.code, f.message, at(f.offset, local, f.length)));
    if (kubectl.failed) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? firstLine(error.message) : String(error);
      const tooMany = /excessive alias count/i.test(message);
      diagnostics.push(tooMany
        ? diagnostic('error', 'yaml/alias-limit',
          `YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes (a "billion laughs" pattern); document skipped`, at(start, local))
        : diagnostic('error', 'yaml/syntax', `${message}; document skipped`, at(start, local)));
      return;
    }
    // bounded by what the aliases produce too, not only by how many there are (MAX_ALIAS_COUNT above);
    // the value shares each anchor's objects, but what reads it walks every copy
    const textLength = Math.max(1, doc.range[2] - doc.range[0]);
    const expansion = measureExpansion(doc.contents, textLength, MAX_ALIAS_EXPANSION * textLength);
    if (expansion.offset !== undefined) {
      diagnostics.push(diagnostic('error', 'yaml/alias-limit',
        `YAML aliases expand this document to more than ${MAX_ALIAS_EXPANSION} times its ${textLength} characters of text (MAX_ALIAS_EXPANSION); document skipped`,
        at(expansion.offset, local)));
      return;
    }
    if (value === null || value === undefined) emptyDocuments++;
    documents.push({
      file: source.name, index, value, explicit: source.explicit === true,
      locate: (path) => lazyLocation(source.name, index, locator, path),
    });
  });
  return { documents, diagnostics, count: list.length, emptyDocuments };
}

/**
 * The `yaml` package's documents of a text: every scalar a string (the failsafe schema), then
 * resolved as kubectl resolves it (resolveAsKubectl), which also finds duplicate keys, compared as
 * kubectl spells them (`yes` and `'yes'` differ); merge keys (`<<: *defaults`) as kubectl reads
 * them; warnings come back as data, never on the console.
 */
function readYaml(text: string, lineCounter: LineCounter): readonly Document.Parsed[] {
  const { parseAllDocuments } = yamlPackage();
  const docs = withoutStackTraces(() => parseAllDocuments(text, {
    lineCounter, uniqueKeys: false, prettyErrors: false, merge: true, logLevel: 'silent',
    schema: 'failsafe', customTags: KUBECTL_SCALAR_TAGS,
  }));
  return Array.isArray(docs) ? docs : [];
}

function codeOf(yamlCode: string): DiagnosticCode {
  switch (yamlCode) {
    case 'RESOURCE_EXHAUSTION':
      return 'yaml/too-deep'; // the yaml package ran out of stack composing a deeply nested collection
    default:
      return 'yaml/syntax';
  }
}

function messageOf(yamlCode: string, message: string): string {
  if (yamlCode === 'RESOURCE_EXHAUSTION') return `document nests too deeply to parse (the limit is ${MAX_DEPTH} levels); document skipped`;
  return firstLine(message);
}

function locateIn(doc: Document.Parsed, path: FieldPath, index: number, at: At): SourceLocation {
  const { isNode } = yamlPackage();
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const [from, valueEnd] = node.range;
      return at(from, index, Math.max(1, valueEnd - from));
    }
  }
  return at(doc.range[0], index);
}

interface ShapeProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly offset?: number;
}

/**
 * Walks a document's syntax tree once, without recursion (so hostile depth cannot overflow the
 * stack), and reports what would make its JavaScript value unsafe to use: nesting deeper than
 * MAX_DEPTH, an alias inside the node it refers to (a cycle), or a map or list used as a mapping key
 * (Kubernetes objects are JSON, whose keys are strings).
 */
function checkShape(root: unknown): ShapeProblem | undefined {
  const { isAlias, isMap, isNode, isPair, isScalar, isSeq } = yamlPackage();
  const anchors = new Map<string, unknown>();
  const open = new Set<unknown>();
  // 'exit' entries close a node after its children, so `open` holds exactly the ancestors
  const stack: { node: unknown; depth: number; exit: boolean }[] = [{ node: root, depth: 1, exit: false }];
  while (stack.length > 0) {
    const { node, depth, exit } = stack.pop()!;
    if (exit) {
      open.delete(node);
      continue;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target !== undefined && open.has(target)) {
        return { code: 'yaml/alias-limit', message: `alias *${node.source} refers to a node that contains it (a recursive alias); document skipped`, offset: node.range?.[0] };
      }
      continue;
    }
    if (!isMap(node) && !isSeq(node)) {
      if (isScalar(node) && node.anchor) anchors.set(node.anchor, node);
      continue;
    }
    if (depth > MAX_DEPTH) {
      return { code: 'yaml/too-deep', message: `document nests deeper than ${MAX_DEPTH} levels; document skipped`, offset: node.range?.[0] };
    }
    if (node.anchor) anchors.set(node.anchor, node);
    open.add(node);
    stack.push({ node, depth, exit: true });
    // children in reverse, so they are visited in document order (anchors before their aliases)
    for (let i = node.items.length - 1; i >= 0; i--) {
      const item: unknown = node.items[i];
      if (isPair(item)) {
        if (isMap(item.key) || isSeq(item.key)) {
          return { code: 'yaml/syntax', message: 'a mapping key must be a plain value, not a map or a list; document skipped', offset: item.key.range?.[0] };
        }
        stack.push({ node: item.value, depth: depth + 1, exit: false });
        if (isNode(item.key)) stack.push({ node: item.key, depth: depth + 1, exit: false });
      } else {
        stack.push({ node: item, depth: depth + 1, exit: false });
      }
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
