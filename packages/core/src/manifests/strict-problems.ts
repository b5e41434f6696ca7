import type { DiagnosticCode, SourceLocation } from '../diagnostics.js';
import type { KubeObject } from './decode.js';
import type { FieldPath } from './parse.js';

// What the strict check (strict.ts) found in one object, as it finds it: the decoding walk
// (strict-decoding.ts) and the validation of values both report here.

/** A problem of one object, its location found at once (the object's tree is not kept). */
export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly location: SourceLocation;
  readonly unread?: string;
}

/**
 * The problems found in one object, in the order found. One object per checked object, its list
 * made at the first problem: closures per object (and a path per container port) were most of what
 * the check allocated for 14,000 objects that nearly all have none.
 */
export class Problems {
  list: Problem[] | undefined;
  constructor(readonly object: KubeObject) {}
  add(problem: Problem): void {
    (this.list ??= []).push(problem);
  }
  error(code: DiagnosticCode, message: string, path: FieldPath): void {
    this.add({ severity: 'error', code, message, location: this.object.locate(path) });
  }
  warn(code: DiagnosticCode, message: string, path: FieldPath): void {
    this.add({ severity: 'warning', code, message, location: this.object.locate(path) });
  }
  /** An error that keeps the object: what `unread` names is not read. */
  unreadPart(code: DiagnosticCode, message: string, path: FieldPath, unread: string): void {
    this.add({ severity: 'error', code, message, location: this.object.locate(path), unread });
  }
}
