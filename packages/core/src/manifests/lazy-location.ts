import type { SourceLocation } from '../diagnostics.js';
import type { FieldPath } from './parse.js';

/** What finds where a path of a document is, when a location is first read. */
export interface Locator {
  locate(document: number, path: FieldPath): SourceLocation;
}

/**
 * A location whose line and column are found on first read: the model records a location for
 * every object and rule, but only the few that reach a diagnostic or a finding are ever printed.
 */
export function lazyLocation(file: string, document: number, locator: Locator, path: FieldPath): SourceLocation {
  return new LazyLocation(file, document, locator, path);
}

/**
 * One object per location, the getters shared on the prototype: an object literal with getters
 * and a closure to compute it made five more objects and a dictionary of properties for each,
 * about 800 bytes, and the model of 10,000 workloads keeps some 40,000 locations. `toJSON` writes
 * it as the plain location it stands for (file, document, line, column, length), as the literal was written.
 */
class LazyLocation implements SourceLocation {
  #locator: Locator | undefined;
  #path: FieldPath | undefined;
  #found: SourceLocation | undefined;

  constructor(readonly file: string, readonly document: number, locator: Locator, path: FieldPath) {
    this.#locator = locator;
    this.#path = path;
  }

  #get(): SourceLocation {
    if (this.#found === undefined) {
      this.#found = this.#locator!.locate(this.document, this.#path!);
      // what found it (a piece's exact parse) may go
      this.#locator = undefined;
      this.#path = undefined;
    }
    return this.#found;
  }

  get line(): number { return this.#get().line; }
  get column(): number { return this.#get().column; }
  get length(): number | undefined { return this.#get().length; }

  toJSON(): SourceLocation {
    const { line, column, length } = this.#get();
    return { file: this.file, document: this.document, line, column, ...(length !== undefined ? { length } : {}) };
  }
}
