import type { SourceLocation } from '../diagnostics.js';

/**
 * A location whose line and column are computed on first read: the model records a location for
 * every object and rule, but only the few that reach a diagnostic or a finding are ever printed.
 */
export function lazyLocation(file: string, document: number, compute: () => SourceLocation): SourceLocation {
  let cached: SourceLocation | undefined;
  const get = () => (cached ??= compute());
  return {
    file, document,
    get line() { return get().line; },
    get column() { return get().column; },
    get length() { return get().length; },
  };
}
