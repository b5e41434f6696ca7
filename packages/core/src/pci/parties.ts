import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import { parseSource, type FieldPath } from '../manifests/parse.js';
import type { Source } from '../manifests/source.js';
import { parseDataFlowNames } from '../model/account-data.js';
import { coversRanges, overlapsRange, parseCidr, type AddressRange } from '../model/ipblock.js';

/** Who an outside party is to the payment flow (PCI DSS 12.5.2: every connection from third parties). */
export const PARTY_KINDS = ['acquirer', 'processor', 'third-party'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** A named party outside the cluster that account data is exchanged with: its addresses and its role. */
export interface Party {
  readonly name: string;
  readonly kind: PartyKind;
  /** Canonical CIDRs as written, sorted. */
  readonly cidrs: readonly string[];
  readonly ranges: readonly AddressRange[];
  /** The data flows (payment stages) it takes part in, as `netdiagram.io/data-flows` names them. */
  readonly flows: readonly string[];
  readonly location?: SourceLocation;
}

export interface ParsedParties {
  readonly parties: readonly Party[];
  readonly diagnostics: readonly Diagnostic[];
}

const FIELDS = ['name', 'kind', 'cidrs', 'flows'];

/** Address ranges that hold pods and in-cluster addresses (RFC 1918, RFC 6598, RFC 4193): a party there is suspicious. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map((text) => {
  const c = parseCidr(text);
  if (!c.ok) throw new Error(`bad built-in range ${text}`);
  return { text, range: c.range };
});

/**
 * Parses a parties file (YAML):
 * ```yaml
 * parties:
 *   - name: Acme Acquiring
 *     kind: acquirer              # acquirer | processor | third-party
 *     cidrs: [198.51.100.0/24]
 *     flows: authorization, capture   # optional: the data-flow names it takes part in
 * ```
 * Every problem is an error at its line and column; the good entries are kept. Names must be
 * unique, and no two parties may share an address (an address would otherwise belong to either).
 */
export function parseParties(source: Source): ParsedParties {
  const parsed = parseSource(source);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const doc = parsed.documents.find((d) => d.value !== null && d.value !== undefined);
  if (!doc) {
    // an empty file would trust nobody silently: an error even when the parser already warned
    if (!diagnostics.some((d) => d.severity === 'error')) diagnostics.push(diagnostic('error', 'input/empty', 'the parties file is empty', { file: source.name, line: 1, column: 1, document: 0 }));
    return { parties: [], diagnostics };
  }
  const fail = (path: FieldPath, message: string) => diagnostics.push(diagnostic('error', 'parties/invalid', message, doc.locate(path)));
  const root = doc.value;
  const list = isRecord(root) ? root.parties : undefined;
  if (isRecord(root)) {
    const extra = Object.keys(root).find((k) => k !== 'parties');
    if (extra !== undefined) fail([extra], `unknown field "${extra}" (expected parties)`);
  }
  if (!Array.isArray(list)) {
    fail(isRecord(root) && 'parties' in root ? ['parties'] : [], 'expected a list under "parties:"');
    return { parties: [], diagnostics };
  }
  const parties: Party[] = [];
  list.forEach((item, i) => {
    const at: FieldPath = ['parties', i];
    if (!isRecord(item)) return void fail(at, 'a party must be a map with name, kind and cidrs');
    const unknown = Object.keys(item).find((k) => !FIELDS.includes(k));
    if (unknown !== undefined) return void fail([...at, unknown], `unknown field "${unknown}" (expected ${FIELDS.join(', ')})`);
    if (typeof item.name !== 'string' || item.name.trim() === '') return void fail(item.name === undefined ? at : [...at, 'name'], 'a party needs a name (a non-empty string)');
    const name = item.name.trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) return void fail([...at, 'name'], 'the name holds a control or bidirectional-override character');
    if (typeof item.kind !== 'string' || !(PARTY_KINDS as readonly string[]).includes(item.kind)) {
      return void fail(item.kind === undefined ? at : [...at, 'kind'], `kind must be one of ${PARTY_KINDS.join(', ')}${item.kind === undefined ? ' (missing)' : `, not ${JSON.stringify(item.kind)}`}`);
    }
    const raw = item.cidrs;
    if (!Array.isArray(raw) || raw.length === 0) return void fail(raw === undefined ? at : [...at, 'cidrs'], 'cidrs must be a non-empty list of CIDRs');
    const ranges: AddressRange[] = [];
    const cidrs: string[] = [];
    for (const [j, text] of raw.entries()) {
      const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
      if (!cidr?.ok) return void fail([...at, 'cidrs', j], `${JSON.stringify(text)} is not a valid CIDR${cidr && !cidr.ok ? `: ${cidr.reason}` : ''}`);
      // rounding 203.0.113.7/1 down to 0.0.0.0/1 would trust half the Internet: say which was meant
      if (cidr.hostBitsSet) return void fail([...at, 'cidrs', j], `${JSON.stringify(text)} has host bits set (it would mean ${cidr.canonical}); write the network address, or /32 (/128) for one host`);
      const prefix = Number(cidr.canonical.slice(cidr.canonical.indexOf('/') + 1));
      if (prefix < (cidr.range.family === 4 ? 8 : 16)) {
        diagnostics.push(diagnostic('warning', 'parties/invalid', `${cidr.canonical} is a very short prefix: every address in it is trusted as ${JSON.stringify(item.name)}`, doc.locate([...at, 'cidrs', j])));
      }
      const privateRange = PRIVATE.find((p) => overlapsRange(p.range, cidr.range));
      if (privateRange) {
        diagnostics.push(diagnostic('warning', 'parties/invalid', `${cidr.canonical} overlaps the private range ${privateRange.text}: pods and in-cluster addresses there would be trusted as ${JSON.stringify(item.name)}`, doc.locate([...at, 'cidrs', j])));
      }
      ranges.push(cidr.range);
      cidrs.push(cidr.canonical);
    }
    let flows: readonly string[] = [];
    if (item.flows !== undefined) {
      const names = typeof item.flows === 'string' ? parseDataFlowNames(item.flows) : undefined;
      if (!names?.ok) return void fail([...at, 'flows'], names && !names.ok ? names.reason : 'flows must be a string of comma-separated data-flow names');
      flows = names.names;
    }
    const same = parties.find((p) => p.name === name);
    if (same) return void fail([...at, 'name'], `party "${name}" is defined twice (first at line ${same.location?.line ?? '?'})`);
    const overlap = parties.find((p) => p.ranges.some((r) => ranges.some((q) => overlapsRange(r, q))));
    if (overlap) return void fail([...at, 'cidrs'], `the addresses of "${name}" overlap those of "${overlap.name}"; an address can belong to one party only`);
    parties.push({ name, kind: item.kind as PartyKind, cidrs: [...cidrs].sort(), ranges, flows, location: doc.locate(at) });
  });
  return { parties: [...parties].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), diagnostics };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The declared parties an outside address set belongs to: the one party that holds all of it, else
 * the parties that each hold part of it when together they hold all of it (an ipBlock written over
 * two acquirers' ranges). Empty `holders`: some addresses belong to no party, so the set is an
 * untrusted network, and `overlaps` names the parties that hold the rest.
 */
export function partiesHolding(ranges: readonly AddressRange[], parties: readonly Party[]): { holders: readonly Party[]; overlaps: readonly Party[] } {
  if (ranges.length === 0) return { holders: [], overlaps: [] };
  const overlapping = parties.filter((p) => p.ranges.some((r) => ranges.some((q) => overlapsRange(r, q))));
  const single = overlapping.find((p) => coversRanges(p.ranges, ranges));
  if (single) return { holders: [single], overlaps: overlapping.filter((p) => p !== single) };
  if (overlapping.length > 1 && coversRanges(overlapping.flatMap((p) => p.ranges), ranges)) return { holders: overlapping, overlaps: [] };
  return { holders: [], overlaps: overlapping };
}
