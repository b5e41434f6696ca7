import jsyaml from 'js-yaml';
import type { SourceLocation } from '../diagnostics.js';
import type { FieldPath, LocatedDocument, ParsedSource } from './parse.js';
import { MAX_DEPTH, parseSourceExactly } from './parse.js';
import type { Source } from './source.js';

/**
 * Syntax the fast path leaves to the exact parser: anchors, aliases and merge keys (bounded alias
 * expansion and cycle checks live there), tags, explicit `?` keys, directives, and `{{ }}` templates.
 */
const NEEDS_EXACT_PARSER = /(?:^|[\s,[{])[&*!?][^\n]|<<\s*:|^%|\{\{/m;

/**
 * Parses a well-formed source with js-yaml, or returns undefined when the exact parser must decide.
 * Locations are computed lazily: the first `locate` call parses the file once with the `yaml` package.
 */
export function parseSourceFast(source: Source): ParsedSource | undefined {
  if (NEEDS_EXACT_PARSER.test(source.text)) return undefined;
  const values: unknown[] = [];
  try {
    // the core schema reads scalars as the `yaml` package's default YAML 1.2 schema does; js-yaml throws
    // on duplicate keys and syntax errors, and the exact parser then reports them with positions
    jsyaml.loadAll(source.text, (doc) => values.push(doc), { schema: jsyaml.CORE_SCHEMA, filename: source.name });
  } catch {
    return undefined;
  }
  if (values.every((v) => v === null || v === undefined)) return undefined; // empty or comments only: reported exactly
  if (values.some((v) => deeperThan(v, MAX_DEPTH))) return undefined;

  let exact: ParsedSource | undefined;
  const located = (index: number, path: FieldPath): SourceLocation => {
    exact ??= parseSourceExactly(source);
    const doc = exact.documents.find((d) => d.index === index);
    return doc ? doc.locate(path) : { file: source.name, line: 1, column: 1, document: index };
  };
  const documents: LocatedDocument[] = values.map((value, index) => ({
    file: source.name, index, value: value ?? null, explicit: source.explicit === true,
    locate: (path) => lazyLocation(source.name, index, () => located(index, path)),
  }));
  return { documents, diagnostics: [] };
}

/** Whether a value nests deeper than `limit`, measured without recursion. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * A location whose line and column are computed on first read: the model records a location for
 * every object and rule, but only the few that reach a diagnostic or a finding are ever printed.
 */
function lazyLocation(file: string, document: number, compute: () => SourceLocation): SourceLocation {
  let cached: SourceLocation | undefined;
  const get = () => (cached ??= compute());
  return {
    file, document,
    get line() { return get().line; },
    get column() { return get().column; },
    get length() { return get().length; },
  };
}
