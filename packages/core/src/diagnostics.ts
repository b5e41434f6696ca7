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
  | 'input/helm-chart'
  | 'input/kustomization'
  | 'input/template'
  | 'cluster/kind-not-read'
  | 'cluster/discovery-failed'
  | 'cluster/one-namespace'
  | 'yaml/too-many-errors'
  | 'yaml/syntax'
  | 'yaml/duplicate-key'
  | 'yaml/alias-limit'
  | 'yaml/too-deep'
  | 'yaml/kubectl-scalar'
  | 'yaml/not-json'
  | 'k8s/not-an-object'
  | 'k8s/not-a-manifest'
  | 'k8s/missing-kind'
  | 'k8s/missing-api-version'
  | 'k8s/missing-name'
  | 'k8s/invalid-field'
  | 'k8s/unknown-field'
  | 'k8s/wrong-type'
  | 'k8s/invalid-name'
  | 'k8s/invalid-annotation'
  | 'k8s/invalid-port'
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
  | 'cnp/invalid'
  | 'cnp/invalid-cidr'
  | 'cnp/nodes-not-resolved'
  | 'cnp/domains-not-resolved'
  | 'cnp/networks-outside-only'
  | 'cnp/unknown-peer'
  | 'cnp/empty-port-range'
  | 'service/no-selector'
  | 'service/unresolved-target-port'
  | 'ingress/unknown-service'
  | 'ingress/unknown-service-port'
  | 'ingress/controller-blocked'
  | 'gateway/unknown-gateway'
  | 'gateway/not-attached'
  | 'gateway/backend-not-permitted'
  | 'gateway/backend-without-port'
  | 'gateway/unsupported-reference'
  | 'gateway/namespace-unknown'
  | 'gateway/protocol-not-evaluated'
  | 'gateway/default-gateway-not-evaluated'
  | 'gateway/filter-not-evaluated'
  | 'gateway/invalid-route-kind'
  | 'policy/not-evaluated'
  | 'cni/inferred'
  | 'calico/invalid'
  | 'calico/invalid-selector'
  | 'calico/invalid-cidr'
  | 'calico/unknown-tier'
  | 'calico/unknown-service'
  | 'calico/staged-not-enforced'
  | 'calico/staged-would-change'
  | 'calico/host-endpoint-not-evaluated'
  | 'calico/icmp-not-drawn'
  | 'calico/l7-not-evaluated'
  | 'calico/source-ports-not-evaluated'
  | 'calico/service-account-labels'
  | 'cilium/invalid'
  | 'cilium/host-policy-not-evaluated'
  | 'cilium/entity-not-drawn'
  | 'cilium/cidr-group-not-resolved'
  | 'cilium/service-not-resolved'
  | 'cilium/fqdn-not-resolved'
  | 'cilium/peer-not-evaluated'
  | 'cilium/icmp-not-drawn'
  | 'cilium/l7-not-evaluated'
  | 'scope/empty-zone'
  | 'option/invalid'
  | 'expect/invalid'
  | 'parties/invalid'
  | 'results/invalid'
  | 'config/invalid';

export type Severity = 'error' | 'warning';

/** A problem found in the input. Bad input is data, not an exception. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly location?: SourceLocation;
  /**
   * An error that keeps its object: what of the object was not read (`its account-data role`).
   * Absent: an error leaves its object (or document, or file) out of the model.
   */
  readonly unread?: string;
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

/** Code frames show at most this many characters of a line: a minified JSON file is one huge line. */
const MAX_FRAME_WIDTH = 160;

/**
 * Formats a diagnostic as one line editors can jump to (`file:line:col: error code: message`),
 * followed by a code frame when the source is given (its text, or its text split into lines, which
 * is faster when one file has many diagnostics). Control characters in file names, messages and
 * source lines are escaped, so hostile input can neither break the line nor drive the terminal.
 */
export function formatDiagnostic(d: Diagnostic, source?: string | readonly string[]): string {
  const where = d.location ? `${printable(d.location.file)}:${d.location.line}:${d.location.column}: ` : '';
  const head = `${where}${d.severity} ${d.code}: ${printable(d.message)}`;
  if (!d.location || source === undefined) return head;
  const text = lineOf(source, d.location.line);
  if (text === undefined) return head;
  const column = Math.max(0, Math.min(d.location.column - 1, text.length));
  const from = text.length <= MAX_FRAME_WIDTH ? 0 : Math.max(0, Math.min(column - MAX_FRAME_WIDTH / 4, text.length - MAX_FRAME_WIDTH));
  const to = Math.min(text.length, from + MAX_FRAME_WIDTH);
  let shown = from > 0 ? '…' : '';
  let marker = from > 0 ? ' ' : '';
  const underlineEnd = Math.min(to, column + Math.max(1, d.location.length ?? 1));
  for (let i = from; i < to; i++) {
    const char = text[i]!;
    const out = char === '\t' ? '\t' : printable(char);
    shown += out;
    if (i < column) marker += char === '\t' ? '\t' : ' '.repeat(out.length);
    else if (i < underlineEnd) marker += '^'.repeat(out.length);
  }
  if (column >= to) marker += '^';
  if (to < text.length) shown += '…';
  const gutter = String(d.location.line);
  return `${head}\n  ${gutter} | ${shown}\n  ${' '.repeat(gutter.length)} | ${marker}`;
}

/** Line `line` (1-based) of a source, without its line break. */
function lineOf(source: string | readonly string[], line: number): string | undefined {
  if (typeof source !== 'string') return source[line - 1];
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = source.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = source.indexOf('\n', start);
  const text = source.slice(start, end < 0 ? source.length : end);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Escapes what a terminal would act on rather than print: C0 and C1 controls (escape sequences, line
 * breaks, tabs), line and paragraph separators, and bidirectional overrides ("Trojan Source").
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
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
