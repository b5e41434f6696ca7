/**
 * The account-data annotations: a team's statement of which workloads handle PCI DSS account data
 * (cardholder data, sensitive authentication data) and how. NetworkPolicies say which paths are
 * permitted, never which of them carry card data, so this is input netdiagram cannot discover.
 */

/** `stores`, `processes`, `transmits` (a comma-separated list), or `none`: on a workload (pod template or controller) or a Namespace. */
export const ACCOUNT_DATA_ANNOTATION = 'netdiagram.io/account-data';

/** Free text per workload: the payment stages its account data takes part in, comma-separated (`authorization, capture`). */
export const DATA_FLOWS_ANNOTATION = 'netdiagram.io/data-flows';

/** The roles a workload may declare, in the order they are printed. */
export const ACCOUNT_DATA_ROLES = ['stores', 'processes', 'transmits'] as const;
export type AccountDataRole = (typeof ACCOUNT_DATA_ROLES)[number];

/** The most data-flow names one annotation may list, and the longest name: they are drawn on the diagram. */
export const MAX_DATA_FLOW_NAMES = 16;
export const MAX_DATA_FLOW_NAME_LENGTH = 64;

export type ParsedRoles = { readonly ok: true; readonly roles: readonly AccountDataRole[] } | { readonly ok: false; readonly reason: string };
export type ParsedFlowNames = { readonly ok: true; readonly names: readonly string[] } | { readonly ok: false; readonly reason: string };

/**
 * Reads `stores, processes`: every item must be a role, none repeated; `none` says the workload
 * handles no account data (it silences the CDE-without-annotation finding) and stands alone.
 * Roles come back in the fixed order stores, processes, transmits.
 */
export function parseAccountDataRoles(text: string): ParsedRoles {
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 1 && items[0] === 'none') return { ok: true, roles: [] };
  const seen = new Set<string>();
  for (const item of items) {
    if (item === '') return { ok: false, reason: `${JSON.stringify(text)} has an empty item; list ${rolesText()} separated by commas, or "none"` };
    if (item === 'none') return { ok: false, reason: '"none" cannot be combined with a role' };
    if (!(ACCOUNT_DATA_ROLES as readonly string[]).includes(item)) {
      return { ok: false, reason: `${JSON.stringify(item)} is not an account-data role; use ${rolesText()}, or "none"` };
    }
    if (seen.has(item)) return { ok: false, reason: `${JSON.stringify(item)} is listed twice` };
    seen.add(item);
  }
  return { ok: true, roles: ACCOUNT_DATA_ROLES.filter((r) => seen.has(r)) };
}

/**
 * Reads `authorization, capture`: names separated by commas, trimmed, compared as written (case
 * included), sorted and without repeats. A name is printable text without control characters.
 */
export function parseDataFlowNames(text: string): ParsedFlowNames {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) return { ok: false, reason: `${JSON.stringify(text)} has an empty name; separate the data-flow names with commas` };
  // eslint-disable-next-line no-control-regex
  const control = items.find((s) => /[\u0000-\u001f\u007f-\u009f]/.test(s));
  if (control !== undefined) return { ok: false, reason: `data-flow name ${JSON.stringify(control)} holds a control character` };
  const long = items.find((s) => s.length > MAX_DATA_FLOW_NAME_LENGTH);
  if (long !== undefined) return { ok: false, reason: `data-flow name ${JSON.stringify(long.slice(0, 20))}… is longer than ${MAX_DATA_FLOW_NAME_LENGTH} characters` };
  const names = [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length > MAX_DATA_FLOW_NAMES) return { ok: false, reason: `${names.length} data-flow names; at most ${MAX_DATA_FLOW_NAMES}` };
  return { ok: true, names };
}

/** Whether two values of an account-data annotation say the same thing once parsed. */
export function sameAccountDataValue(key: string, a: string, b: string): boolean {
  const parse = key === ACCOUNT_DATA_ANNOTATION ? parseAccountDataRoles : parseDataFlowNames;
  return JSON.stringify(parse(a)) === JSON.stringify(parse(b));
}

function rolesText(): string {
  return ACCOUNT_DATA_ROLES.map((r) => `"${r}"`).join(', ');
}
