import { withoutStackTraces } from './without-stack-traces.js';
import jsyaml from 'js-yaml';
import type { Diagnostic, SourceLocation } from '../diagnostics.js';
import { kubectlValue, readPlainScalar, readsUnlikeYaml12 } from './kubectl-scalars.js';
import type { DocumentPiece } from './document-pieces.js';
import type { FieldPath, LocatedDocument, ParsedSource, PieceRead } from './parse.js';
import { MAX_DEPTH, readPieceExactly, wholeSource } from './parse.js';
import { lazyLocation, type Locator } from './lazy-location.js';
import type { Source } from './source.js';
import { hasDirective, IMPLICIT_SCALAR_TAG, mayHoldCollectionKey, syntaxWatch } from './exact-syntax.js';

/**
 * js-yaml with every plain scalar resolved as kubectl resolves it (kubectl-scalars.ts), the same
 * rule the exact path applies: the failsafe schema keeps quoted and block scalars as strings, and
 * this one implicit type reads the plain ones. It also notes whether any plain scalar reads unlike
 * a YAML 1.2 reader, the one case where a document must pay for an exact parse (for the warnings'
 * positions); `takeDiffers` says so for what was read since it was last asked. A schema per file,
 * so the note is no module state; making one costs about 10 µs.
 */
function kubectlSchema(): { schema: jsyaml.Schema; takeDiffers: () => boolean } {
  let differs = false;
  const schema = jsyaml.FAILSAFE_SCHEMA.extend({
    implicit: [new jsyaml.Type(IMPLICIT_SCALAR_TAG, {
      kind: 'scalar',
      resolve: (text: string) => {
        const reading = readPlainScalar(text);
        if (!differs && readsUnlikeYaml12(text, reading)) differs = true;
        return reading.kind !== 'str';
      },
      construct: (text: string) => kubectlValue(text),
    })],
  });
  const takeDiffers = () => {
    const was = differs;
    differs = false;
    return was;
  };
  return { schema, takeDiffers };
}

/**
 * Parses a well-formed source whole with js-yaml, or returns undefined when the exact parser must
 * decide (also for a source without any document, which the exact parser reports).
 */
export function parseSourceFast(source: Source): ParsedSource | undefined {
  const fast = fastReader(source)(wholeSource(source.text));
  const read = typeof fast === 'function' ? fast(0) : undefined;
  if (read === undefined || read.documents.every((d) => d.value === null)) return undefined;
  return { documents: read.documents, diagnostics: read.diagnostics };
}

/**
 * What the fast reader makes of a piece: a function that numbers its documents from a given index
 * (known once the pieces before it are read) for a piece it can vouch for; `exact` when the exact
 * parser must decide (anchors, tags, templates, deep nesting…); `rejected` when js-yaml threw on it
 * (a syntax error or a duplicate key, most likely: the exact parser says which, and where).
 */
export type FastRead = ((firstDocument: number) => PieceRead) | 'exact' | 'rejected';

/**
 * A reader of one source's pieces with js-yaml (see FastRead). Locations are computed lazily: the
 * first `locate` call in a piece parses that piece (not the file) once with the `yaml` package.
 */
export function fastReader(source: Source): (piece: DocumentPiece) => FastRead {
  const { schema, takeDiffers } = kubectlSchema();
  const watch = syntaxWatch();
  const options = { schema, filename: source.name, listener: watch.listener };
  return (piece) => {
    if (hasDirective(piece.text)) return 'exact';
    const values: unknown[] = [];
    takeDiffers();
    watch.reset(mayHoldCollectionKey(piece.text));
    try {
      // js-yaml throws on duplicate keys (compared after resolution, so `yes:` and `true:` collide, as in
      // kubectl) and on syntax errors, and the exact parser then reports them with positions
      withoutStackTraces(() => jsyaml.loadAll(piece.text, (doc) => values.push(doc), options));
    } catch {
      return 'rejected';
    }
    // a piece cut at document markers holds one document (for both readers); a whole source, any number
    const cut = piece.text.length < source.text.length;
    if (cut ? values.length !== 1 : values.length === 0) return 'exact';
    // anchors and tags, seen by the parser itself (exact-syntax.ts)
    if (watch.sawExactSyntax()) return 'exact';
    // without anchors every map and list js-yaml built sits once in the value, unless it became a key
    const built = watch.collections();
    let found = 0;
    for (const value of values) {
      const walked = walkForExactReader(value, MAX_DEPTH, built);
      if (walked < 0) return 'exact';
      found += walked;
    }
    if (found !== built.size) return 'exact';
    const differs = takeDiffers();
    return (firstDocument) => {
      let exact: PieceRead | undefined;
      // a scalar kubectl reads unlike a YAML 1.2 reader is warned about with its position: only a document
      // that holds one pays for the exact parse here (which then also serves its locations)
      let diagnostics: readonly Diagnostic[] = [];
      if (differs) {
        exact = readPieceExactly(source, piece, firstDocument);
        // a document kubectl refuses is refused here too; any other error of the exact reader is one where
        // js-yaml is the more lenient reader, whose reading the fast path keeps (see docs/semantics.md)
        if (exact.diagnostics.some((d) => d.code === 'yaml/not-json' || d.code === 'yaml/duplicate-key')) return exact;
        diagnostics = exact.diagnostics.filter((d) => d.code === 'yaml/kubectl-scalar');
      }
      const located = new PieceLocator(source, piece, firstDocument, exact);
      const documents: LocatedDocument[] = values.map((value, local) => {
        const index = firstDocument + local;
        return { file: source.name, index, value: value ?? null, explicit: source.explicit === true, locate: documentLocations(source.name, index, located) };
      });
      const emptyDocuments = documents.filter((d) => d.value === null).length;
      return { documents, diagnostics, count: values.length, emptyDocuments };
    };
  };
}

/**
 * Where a path is in one of a piece's documents, found by an exact parse of the piece on the first
 * call. Made here, outside the reader, so that it holds the piece and not the values js-yaml read:
 * a closure keeps every variable of the scopes it was made in, and every object and rule of the
 * model keeps a location, so a location made inside the reader kept each document's whole tree
 * alive to the end of the run.
 */
class PieceLocator implements Locator {
  constructor(private readonly source: Source, private readonly piece: DocumentPiece, private readonly firstDocument: number, private exact: PieceRead | undefined) {}

  locate(index: number, path: FieldPath): SourceLocation {
    this.exact ??= readPieceExactly(this.source, this.piece, this.firstDocument);
    const doc = this.exact.documents.find((d) => d.index === index);
    return doc ? doc.locate(path) : { file: this.source.name, line: this.piece.line, column: 1, document: index };
  }
}

/** One document's lazy locations (outside the reader for the reason PieceLocator gives). */
function documentLocations(file: string, index: number, locator: Locator): (path: FieldPath) => SourceLocation {
  return (path) => lazyLocation(file, index, locator, path);
}

/**
 * Walks a value without recursion and returns how many of its maps and lists are in `built`, or -1 when the exact
 * parser must decide: nesting deeper than `limit`; a value JSON cannot hold (`.nan`, `.inf`: kubectl
 * refuses the document); a merge key `<<` (js-yaml reads it as a key, the exact reader merges it);
 * `[object Object]`, js-yaml's spelling of a map used as a key; or a key js-yaml may have spelled
 * unlike kubectl. js-yaml turns a resolved key into `String(value)`: that is kubectl's spelling for
 * strings, booleans and integers of up to six digits, but not for a null key (an error in kubectl),
 * floats (`1e6` is `1e+06`), long integers or `-0.0`.
 */
function walkForExactReader(value: unknown, limit: number, built: ReadonlySet<unknown>): number {
  if (isNonFinite(value)) return -1;
  if (value === null || typeof value !== 'object') return 0;
  let collections = 0;
  // two stacks, not one of [node, depth] pairs: a 64 MB dump has millions of nodes, and a pair each was garbage
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const current = nodes.pop()!;
    const depth = depths.pop()!;
    if (built.size > 0 && built.has(current)) collections++;
    if (depth > limit) return -1;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const child: unknown = current[i];
        if (typeof child === 'object') {
          if (child !== null) {
            nodes.push(child);
            depths.push(depth + 1);
          }
        } else if (isNonFinite(child)) return -1;
      }
      continue;
    }
    for (const key in current) {
      if (!isKubectlKey(key)) return -1;
      const child = (current as Record<string, unknown>)[key];
      if (typeof child === 'object') {
        if (child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      } else if (isNonFinite(child)) return -1;
    }
  }
  return collections;
}

function isNonFinite(value: unknown): boolean {
  return typeof value === 'number' && !Number.isFinite(value);
}

const NUMBER_KEY = /^-?(?:[0-9]+(?:\.[0-9]+)?(?:e[-+][0-9]+)?|Infinity)$/;
const SHORT_INTEGER_KEY = /^-?[1-9][0-9]{0,5}$/;

/** Whether js-yaml's spelling of a key is surely kubectl's and means what it says (see walkForExactReader). */
function isKubectlKey(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first === 45 || (first >= 48 && first <= 57)) return SHORT_INTEGER_KEY.test(key) || !NUMBER_KEY.test(key);
  if (first === 60 /* < */ && key === '<<') return false;
  if (first === 91 /* [ */ && key === '[object Object]') return false;
  return key !== 'null' && key !== 'NaN' && key !== 'Infinity';
}
