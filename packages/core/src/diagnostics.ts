/** Where in the input a problem is: 1-based line and column, 0-based document index within the file. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly document: number;
  /** Length of the offending text on that line, for the code frame's underline. */
  readonly length?: number;
}

/** Every diagnostic code netdiagram emits; docs/diagnostics.md explains each one. */
export type DiagnosticCode =
  | 'input/not-found'
  | 'input/unreadable'
  | 'input/empty'
  | 'input/binary'
  | 'input/not-utf8'
  | 'input/too-large'
  | 'yaml/syntax'
  | 'yaml/duplicate-key'
  | 'yaml/alias-limit'
  | 'yaml/too-deep'
  | 'k8s/not-an-object'
  | 'k8s/not-a-manifest'
  | 'k8s/missing-kind'
  | 'k8s/missing-api-version'
  | 'k8s/missing-name'
  | 'k8s/invalid-field'
  | 'k8s/unknown-kind'
  | 'k8s/unsupported-api-version'
  | 'k8s/duplicate-object'
  | 'k8s/invalid-label'
  | 'k8s/owner-label-gap'
  | 'selector/unknown-operator'
  | 'selector/invalid-values'
  | 'netpol/invalid-cidr'
  | 'netpol/cidr-host-bits'
  | 'netpol/except-outside-cidr'
  | 'netpol/ipblock-with-selector'
  | 'netpol/empty-peer'
  | 'netpol/invalid-port'
  | 'netpol/invalid-end-port'
  | 'netpol/invalid-protocol'
  | 'netpol/invalid-policy-type'
  | 'service/no-selector'
  | 'service/unresolved-target-port'
  | 'ingress/unknown-service'
  | 'ingress/controller-blocked'
  | 'option/invalid';

export type Severity = 'error' | 'warning';

/** A problem found in the input. Bad input is data, not an exception. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly location?: SourceLocation;
}

/** Builds a diagnostic; keeps call sites short. */
export function diagnostic(
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  location?: SourceLocation,
): Diagnostic {
  return location ? { severity, code, message, location } : { severity, code, message };
}

/** Whether any diagnostic is an error (errors make the CLI exit with code 2). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Formats a diagnostic as one line editors can jump to (`file:line:col: error code: message`),
 * followed by a code frame when the source text is given.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  const head = `${where}${d.severity} ${d.code}: ${d.message}`;
  if (!d.location || sourceText === undefined) return head;
  const lines = sourceText.split(/\r?\n/);
  const text = lines[d.location.line - 1];
  if (text === undefined) return head;
  const gutter = String(d.location.line);
  const pad = ' '.repeat(gutter.length);
  const underline = '^'.repeat(Math.max(1, Math.min(d.location.length ?? 1, text.length - d.location.column + 1)));
  return `${head}\n  ${gutter} | ${text}\n  ${pad} | ${' '.repeat(d.location.column - 1)}${underline}`;
}

/** Sorts diagnostics by file, line, column, then code, so output does not depend on discovery order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.location?.file ?? '', d.location?.line ?? 0, d.location?.column ?? 0] as const;
  return [...list].sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
  });
}
