/**
 * Which documents the fast reader (js-yaml) may keep and which the exact reader (the `yaml` package)
 * must decide, judged from what js-yaml itself parsed rather than from the text: a `&&` in a
 * container command, a `* ` bullet or a `!`/`?` in a CRD description are characters inside a
 * scalar, and only a parser knows that. The constructs that send a document to the exact reader:
 *
 * - an anchor (`&name` on a node): the exact reader bounds what aliases expand to and finds cycles;
 *   an alias needs an anchor in its own document (js-yaml rejects it otherwise, which also goes exact);
 * - an explicit tag (`!tag`, `!!int`, `!`): the exact reader resolves tags as kubectl does;
 * - a map or a list used as a mapping key (`[a]: b`, `? - a`, `{{ x }}` unquoted): js-yaml turns such
 *   a key into a string, the exact reader refuses the document;
 * - a merge key (`<<`, read as a key by js-yaml, merged by the exact reader), a key `[object Object]`
 *   (js-yaml's spelling of a map key), nesting past MAX_DEPTH and the other checks of
 *   `walkForExactReader` in fast-parse.ts, which look at the value;
 * - a directive (`%` at column 0): YAML allows one only before a document's `---`.
 *
 * `{{ }}` inside a scalar reads the same in both readers, so it no longer needs the exact reader;
 * an unrendered template that is not YAML fails js-yaml and goes there as any syntax error does.
 */

/** The tag js-yaml gives a plain scalar it resolved (fast-parse.ts's implicit type). A space makes it one no YAML text can name (`!<…>` takes no spaces), so it can never be an explicit tag. */
export const IMPLICIT_SCALAR_TAG = 'netdiagram kubectl-scalar';

/** js-yaml's loader state as its `listener` sees it when a node closes (fields missing from @types/js-yaml). */
interface ClosingNode {
  readonly anchor: string | null;
  readonly tag: string | null;
  readonly kind: string | null;
  readonly result: unknown;
}

/** What a js-yaml parse showed of one text, for fast-parse.ts. */
export interface SyntaxWatch {
  /** js-yaml's `listener` option: sees every node as it closes. */
  readonly listener: (event: 'open' | 'close', state: unknown) => void;
  /** Whether an anchor or an explicit tag was seen since the last `reset`. */
  readonly sawExactSyntax: () => boolean;
  /**
   * The maps and lists js-yaml built since the last `reset`. Without anchors each sits exactly once
   * in the value, unless js-yaml turned it into a key's text; a set, since js-yaml closes a node
   * twice when it first tried to read it as a key (the same object both times).
   */
  readonly collections: () => ReadonlySet<unknown>;
  /** Starts a new text; `collections` are gathered only where one may have become a key (see `mayHoldCollectionKey`). */
  readonly reset: (trackCollections: boolean) => void;
}

/** A watch over js-yaml's parses of one source's pieces: one `listener` call per node, two field reads each. */
export function syntaxWatch(): SyntaxWatch {
  let exact = false;
  const collections = new Set<unknown>();
  let tracking = true;
  const listener = (event: 'open' | 'close', state: unknown) => {
    if (event !== 'close') return;
    const node = state as ClosingNode;
    if (node.anchor !== null) exact = true;
    const tag = node.tag;
    // null: a quoted or block scalar, or a collection, untagged; '?': a plain scalar left a string
    if (tag !== null && tag !== '?' && tag !== IMPLICIT_SCALAR_TAG) exact = true;
    if (tracking && (node.kind === 'mapping' || node.kind === 'sequence')) collections.add(node.result);
  };
  return {
    listener,
    sawExactSyntax: () => exact,
    collections: () => collections,
    reset: (trackCollections) => {
      exact = false;
      tracking = trackCollections;
      collections.clear();
    },
  };
}

/**
 * Whether a map or list of the text may be a key: a block collection becomes a key only after an
 * explicit `?`, and a flow collection is written with `[` or `{`. A text without any of the three
 * (most of a generated cluster) has none, so its collections need not be gathered.
 */
export function mayHoldCollectionKey(text: string): boolean {
  return COLLECTION_KEY_MARKS.test(text);
}
const COLLECTION_KEY_MARKS = /[[{?]/;

/**
 * The one construct judged from the text: a directive line (`%YAML`, `%TAG`), which starts at
 * column 0 and nowhere else (a scalar's continuation lines are indented, and document-pieces.ts
 * keeps directives with the document they introduce).
 */
export function hasDirective(text: string): boolean {
  return text.charCodeAt(0) === 0x25 /* % */ || text.includes('\n%');
}
