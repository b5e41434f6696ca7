import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import { splitAddressSpace } from '../graph/external.js';
import { parseSource, type FieldPath } from '../manifests/parse.js';
import type { Source } from '../manifests/source.js';
import { normalizeRanges, parseCidr, rangesToCidrs, subtractRanges, type AddressRange } from '../model/ipblock.js';
import { ALL_PORTS, formatPorts, intersectPorts, isEmptyPorts, NO_PORTS, samePorts, unionPorts, type PortSet } from '../model/ports.js';
import type { Selector } from '../model/selectors.js';
import type { Cluster } from '../model/types.js';
import { indexPolicies, pairVerdict, type Subject } from '../policy/evaluate.js';
import { addressSubject, podSubjectOf, selectWorkloads } from './endpoints.js';
import { parsePortSpec } from './port-spec.js';
import { parseSelectorText } from './selector-text.js';

/** One side of an expectation: workloads chosen by label selectors, or a set of outside addresses. */
export type ExpectationEndpoint =
  | { readonly kind: 'pods'; readonly pods: Selector; readonly namespaces?: Selector; readonly text: string }
  | { readonly kind: 'addresses'; readonly ranges: readonly AddressRange[]; readonly text: string };

/**
 * A declarative expectation, checked for every (from, to) pair: `allow` — every listed port is
 * allowed; `deny` — none is; `only` — exactly the listed ports are allowed, no more and no fewer.
 */
export interface Expectation {
  readonly name: string;
  readonly from: ExpectationEndpoint;
  readonly to: ExpectationEndpoint;
  readonly verdict: 'allow' | 'deny' | 'only';
  /** The listed ports; `all` means every port of every protocol. */
  readonly ports: PortSet;
  readonly location?: SourceLocation;
}

/** The expectations of a file, and the problems found in it. */
export interface ParsedExpectations {
  readonly expectations: readonly Expectation[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses an expectations file (YAML):
 * ```yaml
 * expectations:
 *   - name: nothing in app=other reaches app=pci
 *     from: app=other                 # a label selector (kubectl syntax) for workloads
 *     to: { pods: app=pci, namespaces: kubernetes.io/metadata.name=shop }
 *     deny: all
 *   - from: { cidr: 0.0.0.0/0, except: [10.96.0.0/12] }   # or { ip: 203.0.113.7 }
 *     to: app=pci,tier=frontend
 *     only: [80/TCP]
 * ```
 * Bad input comes back as diagnostics at the offending line; good entries are kept.
 */
export function parseExpectations(source: Source): ParsedExpectations {
  const parsed = parseSource(source);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const doc = parsed.documents.find((d) => d.value !== null && d.value !== undefined);
  if (!doc) {
    if (diagnostics.length === 0) diagnostics.push(diagnostic('error', 'input/empty', 'the expectations file is empty', { file: source.name, line: 1, column: 1, document: 0 }));
    return { expectations: [], diagnostics };
  }
  const fail = (path: FieldPath, message: string) => diagnostics.push(diagnostic('error', 'expect/invalid', message, doc.locate(path)));
  const root = doc.value;
  const list = Array.isArray(root) ? root : isRecord(root) ? root.expectations : undefined;
  const base: FieldPath = Array.isArray(root) ? [] : ['expectations'];
  if (!Array.isArray(list)) {
    fail(base, 'expected a list under "expectations:"');
    return { expectations: [], diagnostics };
  }
  const expectations: Expectation[] = [];
  list.forEach((item, i) => {
    const at: FieldPath = [...base, i];
    if (!isRecord(item)) return void fail(at, 'an expectation must be a map with from, to and one of allow, deny or only');
    const unknown = Object.keys(item).filter((k) => !['name', 'from', 'to', 'allow', 'deny', 'only'].includes(k));
    if (unknown.length > 0) return void fail([...at, unknown[0]!], `unknown field "${unknown[0]}" (expected name, from, to, allow, deny or only)`);
    const verdicts = (['allow', 'deny', 'only'] as const).filter((k) => item[k] !== undefined);
    if (verdicts.length !== 1) return void fail(at, 'an expectation needs exactly one of allow, deny or only');
    const verdict = verdicts[0]!;
    const from = parseEndpoint(item.from, [...at, 'from'], fail);
    const to = parseEndpoint(item.to, [...at, 'to'], fail);
    const ports = parsePorts(item[verdict], [...at, verdict], fail);
    if (!from || !to || !ports) return;
    if (from.kind === 'addresses' && to.kind === 'addresses') return void fail(at, 'from and to cannot both be addresses: NetworkPolicies judge only traffic to or from pods');
    if (item.name !== undefined && typeof item.name !== 'string') return void fail([...at, 'name'], 'name must be a string');
    const name = typeof item.name === 'string' && item.name !== '' ? item.name : `${from.text} → ${to.text}: ${verdict} ${formatVerdictPorts(ports)}`;
    expectations.push({ name, from, to, verdict, ports, location: doc.locate(at) });
  });
  return { expectations, diagnostics };
}

function parseEndpoint(raw: unknown, path: FieldPath, fail: (path: FieldPath, message: string) => void): ExpectationEndpoint | undefined {
  if (raw === undefined) return void fail(path.slice(0, -1), `missing "${String(path[path.length - 1])}"`);
  if (typeof raw === 'string') {
    const s = parseSelectorText(raw);
    if (!s.ok) return void fail(path, `invalid selector: ${s.reason}`);
    return { kind: 'pods', pods: s.selector, text: raw.trim() === '' ? 'every workload' : raw.trim() };
  }
  if (!isRecord(raw)) return void fail(path, 'expected a label selector string, or a map with pods/namespaces or cidr/except or ip');
  const keys = Object.keys(raw);
  const unknown = keys.find((k) => !['pods', 'namespaces', 'cidr', 'except', 'ip'].includes(k));
  if (unknown) return void fail([...path, unknown], `unknown field "${unknown}" (expected pods, namespaces, cidr, except or ip)`);
  const isAddress = keys.some((k) => k === 'cidr' || k === 'ip');
  if (isAddress) {
    if (keys.includes('pods') || keys.includes('namespaces')) return void fail(path, 'use either pods/namespaces or cidr/ip, not both');
    if (keys.includes('cidr') && keys.includes('ip')) return void fail(path, 'use either cidr or ip, not both');
    const texts = raw.ip !== undefined ? [raw.ip] : Array.isArray(raw.cidr) ? raw.cidr : [raw.cidr];
    const ranges: AddressRange[] = [];
    for (const text of texts) {
      const cidr = typeof text === 'string' ? parseCidr(raw.ip !== undefined ? `${text}/${text.includes(':') ? 128 : 32}` : text) : undefined;
      if (!cidr?.ok) return void fail([...path, raw.ip !== undefined ? 'ip' : 'cidr'], `${JSON.stringify(text)} is not a valid ${raw.ip !== undefined ? 'IP address' : 'CIDR'}`);
      ranges.push(cidr.range);
    }
    const except: AddressRange[] = [];
    if (raw.except !== undefined) {
      if (!Array.isArray(raw.except)) return void fail([...path, 'except'], 'except must be a list of CIDRs');
      for (const [i, text] of raw.except.entries()) {
        const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
        if (!cidr?.ok) return void fail([...path, 'except', i], `${JSON.stringify(text)} is not a valid CIDR`);
        except.push(cidr.range);
      }
    }
    const kept = subtractRanges(ranges, except);
    if (kept.length === 0) return void fail(path, 'except removes every address');
    const written = texts.map(String).join(',');
    return { kind: 'addresses', ranges: kept, text: raw.except ? `${written} except ${(raw.except as unknown[]).map(String).join(',')}` : written };
  }
  const pods = raw.pods === undefined ? '' : raw.pods;
  if (typeof pods !== 'string') return void fail([...path, 'pods'], 'pods must be a label selector string');
  const podSelector = parseSelectorText(pods);
  if (!podSelector.ok) return void fail([...path, 'pods'], `invalid selector: ${podSelector.reason}`);
  if (raw.namespaces === undefined) return { kind: 'pods', pods: podSelector.selector, text: pods.trim() === '' ? 'every workload' : pods.trim() };
  if (typeof raw.namespaces !== 'string') return void fail([...path, 'namespaces'], 'namespaces must be a label selector string');
  const nsSelector = parseSelectorText(raw.namespaces);
  if (!nsSelector.ok) return void fail([...path, 'namespaces'], `invalid selector: ${nsSelector.reason}`);
  return {
    kind: 'pods', pods: podSelector.selector, namespaces: nsSelector.selector,
    text: `${pods.trim() === '' ? 'every workload' : pods.trim()} in namespaces ${raw.namespaces.trim() === '' ? '(any)' : raw.namespaces.trim()}`,
  };
}

function parsePorts(raw: unknown, path: FieldPath, fail: (path: FieldPath, message: string) => void): PortSet | undefined {
  if (raw === 'all' || raw === true) return ALL_PORTS;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) return void fail(path, 'list at least one port, or write "all"');
  let ports: PortSet = NO_PORTS;
  for (const [i, item] of list.entries()) {
    if (typeof item !== 'string' && typeof item !== 'number') return void fail(Array.isArray(raw) ? [...path, i] : path, 'a port is written 80, 80/TCP or 8000-8080/UDP, or "all"');
    const parsed = parsePortSpec(item);
    if (!parsed.ok) return void fail(Array.isArray(raw) ? [...path, i] : path, parsed.reason);
    ports = unionPorts(ports, parsed.ports);
  }
  return ports;
}

/** What went wrong for one pair. */
export interface ExpectationFailure {
  readonly from: string;
  readonly to: string;
  readonly allowed: PortSet;
  readonly reason: string;
}

/** The outcome of one expectation. */
export interface ExpectationResult {
  readonly expectation: Expectation;
  readonly passed: boolean;
  /** How many (from, to) pairs were checked. */
  readonly pairs: number;
  readonly failures: readonly ExpectationFailure[];
  /** Why the expectation could not be checked (a side matching nothing fails it). */
  readonly problem?: string;
}

/** Options of `checkExpectations`. */
export interface CheckOptions {
  /** Pod CIDRs; when given, ipBlocks also match in-cluster pods. */
  readonly podCidrs?: readonly string[];
}

/**
 * Checks expectations against what the cluster's NetworkPolicies allow. An address side is cut at
 * every ipBlock boundary, so each piece is judged whole; a side that matches nothing fails, so a
 * mistyped selector never passes silently.
 */
export function checkExpectations(cluster: Cluster, expectations: readonly Expectation[], options: CheckOptions = {}): ExpectationResult[] {
  const podCidrs = (options.podCidrs ?? []).flatMap((t) => {
    const p = parseCidr(t);
    return p.ok ? [p.range] : [];
  });
  const evaluation = { podCidrs };
  const index = indexPolicies(cluster.policies, cluster.clusterPolicies, cluster.calico ?? cluster.cilium);
  const boundaries = cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.peers ?? [])
    .flatMap((peer) => (peer.kind === 'ipblock' ? peer.ranges : []));
  const partiesOf = (e: ExpectationEndpoint): { name: string; subject: Subject }[] => {
    if (e.kind === 'addresses') {
      return splitAddressSpace(normalizeRanges(e.ranges), boundaries).map((atom) => ({ name: rangesToCidrs([atom]).join(','), subject: addressSubject([atom]) }));
    }
    return selectWorkloads(cluster, e.pods, e.namespaces).map((w) => ({ name: w.id, subject: podSubjectOf(cluster, w, evaluation) }));
  };
  return expectations.map((expectation): ExpectationResult => {
    const from = partiesOf(expectation.from);
    const to = partiesOf(expectation.to);
    const problem = from.length === 0 ? `from (${expectation.from.text}) matches no workload`
      : to.length === 0 ? `to (${expectation.to.text}) matches no workload` : undefined;
    if (problem) return { expectation, passed: false, pairs: 0, failures: [], problem };
    const failures: ExpectationFailure[] = [];
    let pairs = 0;
    for (const s of from) {
      for (const d of to) {
        if (s.name === d.name) continue; // a workload's pods talking among themselves is not a flow between two sides
        pairs++;
        const allowed = pairVerdict(index, s.subject, d.subject, evaluation).ports;
        const reason = judge(expectation, allowed);
        if (reason) failures.push({ from: s.name, to: d.name, allowed, reason });
      }
    }
    if (pairs === 0) return { expectation, passed: false, pairs, failures, problem: 'from and to name the same single workload: no pair to check' };
    return { expectation, passed: failures.length === 0, pairs, failures };
  });
}

function judge(e: Expectation, allowed: PortSet): string | undefined {
  const want = formatVerdictPorts(e.ports);
  switch (e.verdict) {
    case 'allow':
      return samePorts(intersectPorts(allowed, e.ports), e.ports) ? undefined : `allows ${formatPorts(allowed)}; expected at least ${want}`;
    case 'deny': {
      const open = intersectPorts(allowed, e.ports);
      return isEmptyPorts(open) ? undefined : `allows ${formatPorts(open)}; expected ${want} denied`;
    }
    case 'only':
      return samePorts(allowed, e.ports) ? undefined : `allows ${formatPorts(allowed)}; expected exactly ${want}`;
  }
}

function formatVerdictPorts(ports: PortSet): string {
  return samePorts(ports, ALL_PORTS) ? 'all ports' : formatPorts(ports);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
