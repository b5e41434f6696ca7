import { LineCounter, parseAllDocuments, isNode, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import type { Source } from './source.js';

/** A field path inside a document, as in `['spec', 'ingress', 0, 'from']`. */
export type FieldPath = readonly (string | number)[];

/** A parsed YAML/JSON document that can say where any of its fields came from. */
export interface LocatedDocument {
  readonly file: string;
  readonly index: number;
  readonly value: unknown;
  /** The location of the field at `path`, or of the nearest ancestor that exists. */
  locate(path: FieldPath): SourceLocation;
}

export interface ParsedSource {
  readonly documents: readonly LocatedDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Aliases may be expanded at most this many times per document: a billion-laughs file fails fast. */
const MAX_ALIAS_COUNT = 1000;
/** Nesting deeper than any real manifest; deeper input is refused rather than risking the stack. */
const MAX_DEPTH = 200;

/**
 * Parses one source into located documents. Documents with syntax errors are reported and left out;
 * the other documents of the same file are still returned.
 */
export function parseSource(source: Source): ParsedSource {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: LocatedDocument[] = [];
  const docs = parseAllDocuments(source.text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number, index: number, length?: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return length ? { file: source.name, line, column: col, document: index, length } : { file: source.name, line, column: col, document: index };
  };
  list.forEach((doc, index) => {
    let broken = false;
    for (const error of doc.errors) {
      broken = true;
      const code = error.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax';
      diagnostics.push(diagnostic('error', code, firstLine(error.message), at(error.pos[0], index)));
    }
    for (const warning of doc.warnings) {
      diagnostics.push(diagnostic('warning', 'yaml/syntax', firstLine(warning.message), at(warning.pos[0], index)));
    }
    if (broken) return;
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    if (depthOf(doc.contents) > MAX_DEPTH) {
      diagnostics.push(diagnostic('error', 'yaml/too-deep', `document nests deeper than ${MAX_DEPTH} levels`, at(start, index)));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      diagnostics.push(diagnostic('error', 'yaml/alias-limit', `document could not be expanded: ${firstLine(message)}`, at(start, index)));
      return;
    }
    documents.push({ file: source.name, index, value, locate: (path) => locateIn(doc, path, index, at) });
  });
  return { documents, diagnostics };
}

function locateIn(
  doc: Document.Parsed,
  path: FieldPath,
  index: number,
  at: (offset: number, index: number, length?: number) => SourceLocation,
): SourceLocation {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const [from, valueEnd] = node.range;
      return at(from, index, Math.max(1, valueEnd - from));
    }
  }
  return at(doc.range[0], index);
}

function depthOf(node: unknown): number {
  // iterative, so a hostile depth cannot overflow the stack while we measure it
  let max = 0;
  const stack: [unknown, number][] = [[node, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > MAX_DEPTH) return depth;
    const items = (current as { items?: unknown[] } | null)?.items;
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const pair = item as { key?: unknown; value?: unknown };
      if (pair && typeof pair === 'object' && 'value' in pair) stack.push([pair.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return max;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
