import type { SourceLocation } from '../diagnostics.js';

/**
 * A location whose line and column are computed on first read: the model records a location for
 * every object and rule, but only the few that reach a diagnostic or a finding are ever printed.
 */
export function lazyLocation(file: string, document: number, compute: () => SourceLocation): SourceLocation {
  return new LazyLocation(file, document, compute);
}

/**
 * One object and one closure per location, the getters shared on the prototype: an object literal
 * with getters made three closures and a dictionary of properties for each, about 800 bytes, and
 * the model of 10,000 workloads keeps some 40,000 locations. `toJSON` writes it as the plain
 * location it stands for (file, document, line, column, length), as the literal was written.
 */
class LazyLocation implements SourceLocation {
  #compute: (() => SourceLocation) | undefined;
  #computed: SourceLocation | undefined;

  constructor(readonly file: string, readonly document: number, compute: () => SourceLocation) {
    this.#compute = compute;
  }

  #get(): SourceLocation {
    if (this.#computed === undefined) {
      this.#computed = this.#compute!();
      this.#compute = undefined; // what it closed over (a piece's exact parse) may go
    }
    return this.#computed;
  }

  get line(): number { return this.#get().line; }
  get column(): number { return this.#get().column; }
  get length(): number | undefined { return this.#get().length; }

  toJSON(): SourceLocation {
    const { line, column, length } = this.#get();
    return { file: this.file, document: this.document, line, column, ...(length !== undefined ? { length } : {}) };
  }
}
