import { createHash } from 'node:crypto';
import type { TrafficGraph } from '../graph/types.js';
import { formatPorts } from '../model/ports.js';
import type { Cluster, Workload } from '../model/types.js';
import { indexPolicies, pairVerdict } from '../policy/evaluate.js';
import { decidingDirections, denyingControls } from './explain.js';
import { podSubjectOf } from './endpoints.js';
import { partiesHolding, type Party } from './parties.js';
import { boundaryPortsText, type CdeScope, type ScopeMember } from './scope.js';
import { segmentationControls, type SegmentationControl } from './segmentation-controls.js';
import { parseCidr, type AddressRange } from '../model/ipblock.js';

/** A segmentation control with its short unique identifier (sha256 of what it means). */
export interface RecordedControl extends SegmentationControl {
  /** `sc-1a2b3c4d5e6f`: the first 12 hex digits of the sha256 of the fingerprint; changes exactly when the control does. */
  readonly identifier: string;
}

/** Why an out-of-scope workload is out of scope: no allowed path either way, and the controls that deny each. */
export interface OutOfScopeJustification {
  readonly id: string;
  readonly namespace: string;
  /** The controls that decide the denial towards the CDE, and away from it, over every CDE workload (as explain reads each pair). */
  readonly toCde: readonly string[];
  readonly fromCde: readonly string[];
  /** Per CDE workload: the controls that decide each direction of that pair. */
  readonly pairs: readonly { readonly cde: string; readonly toCde: readonly string[]; readonly fromCde: readonly string[] }[];
  readonly text: string;
}

/** A connection between the CDE (or a connected-to workload) and an address outside the cluster. */
export interface ThirdPartyConnection {
  readonly boundary?: string;
  readonly from: string;
  readonly to: string;
  readonly ports: string;
  readonly party?: string;
  readonly policies: readonly string[];
}

/** The PCI DSS 12.5.2 scoping record of one input. */
export interface ScopeRecord {
  readonly cde: readonly ScopeMember[];
  readonly connected: readonly { readonly id: string; readonly flows: readonly string[] }[];
  /** Representative peers: pods the CDE's policies admit whether or not they are deployed (security-impacting). */
  readonly securityImpacting: readonly { readonly flow: string; readonly peer: string; readonly holds: readonly string[] }[];
  readonly controls: readonly RecordedControl[];
  readonly outOfScope: readonly OutOfScopeJustification[];
  readonly thirdParty: readonly ThirdPartyConnection[];
  /** Said plainly in the record: what the tool does not know. */
  readonly limits: readonly string[];
}

/**
 * Builds the scoping record (PCI DSS 12.5.2): every CDE, connected-to and security-impacting
 * component, every segmentation control with a unique identifier, each out-of-scope workload with
 * the controls that deny each direction between it and the CDE, and every connection to outside
 * addresses (named by party when a parties file is given). Deterministic: everything sorted.
 */
export function buildScopeRecord(cluster: Cluster, graph: TrafficGraph, scope: CdeScope, parties: readonly Party[] = []): ScopeRecord {
  const byId = new Map(cluster.workloads.map((w) => [w.id, w]));
  const connected = scope.connected.map((id) => ({
    id, flows: scope.boundary.filter((f) => f.from === id || f.to === id || (f.representative?.holds ?? []).includes(id)).map((f) => f.id),
  }));
  const securityImpacting = scope.boundary.filter((f) => f.representative).map((f) => ({ flow: f.id, peer: f.representative!.text, holds: f.representative!.holds }));
  const controls = segmentationControls(cluster, scope).map((c) => ({ ...c, identifier: `sc-${createHash('sha256').update(c.fingerprint).digest('hex').slice(0, 12)}` }));

  // the controls that decide each denied pair, read as explain reads the verdict (not every policy that selects a side)
  const index = indexPolicies(cluster.policies, cluster.clusterPolicies ?? []);
  const clusterNames = new Map((cluster.clusterPolicies ?? []).map((c) => [c.id, `${c.kind} ${c.name}`]));
  const nameOf = (id: string, kind: 'networkpolicy' | 'rule') => (kind === 'networkpolicy' ? `NetworkPolicy ${id}` : clusterNames.get(id) ?? id);
  const subjects = new Map<string, ReturnType<typeof podSubjectOf>>();
  const subjectOf = (w: Workload) => subjects.get(w.id) ?? subjects.set(w.id, podSubjectOf(cluster, w)).get(w.id)!;
  const deciding = (from: Workload, to: Workload): string[] =>
    [...new Set(decidingDirections(pairVerdict(index, subjectOf(from), subjectOf(to))).flatMap((v) => denyingControls(v, nameOf)))].sort();
  const cdeWorkloads = scope.cde.map((m) => byId.get(m.id)).filter((w): w is Workload => w !== undefined);
  const outOfScope = cluster.workloads.filter((w) => scope.zones[w.id] === 'out-of-scope').sort((a, b) => compare(a.id, b.id)).map((w): OutOfScopeJustification => {
    const pairs = cdeWorkloads.map((c) => ({ cde: c.id, toCde: deciding(w, c), fromCde: deciding(c, w) })).sort((a, b) => compare(a.cde, b.cde));
    const toCde = new Set(pairs.flatMap((p) => p.toCde));
    const fromCde = new Set(pairs.flatMap((p) => p.fromCde));
    const list = (s: Set<string>) => [...s].sort();
    const words = (s: Set<string>) => (s.size > 0 ? list(s).join(', ') : 'no policy isolates either side in this direction, yet no flow is allowed');
    return {
      id: w.id, namespace: w.namespace, toCde: list(toCde), fromCde: list(fromCde), pairs,
      text: `no allowed path to or from the CDE; towards the CDE denied by ${words(toCde)}; from the CDE denied by ${words(fromCde)}`,
    };
  });

  const partyOf = (id: string): string | undefined => {
    const node = graph.hasNode(id) ? graph.getNodeAttributes(id) : undefined;
    if (node?.type !== 'external') return undefined;
    const ranges: AddressRange[] = node.ips.flatMap((c) => {
      const p = parseCidr(c);
      return p.ok ? [p.range] : [];
    });
    const { holders } = partiesHolding(ranges, parties);
    return holders.length > 0 ? holders.map((p) => p.name).join(', ') : undefined;
  };
  const thirdParty: ThirdPartyConnection[] = [];
  const inScope = (id: string) => scope.zones[id] === 'cde' || scope.zones[id] === 'connected';
  const boundaryOf = new Map(scope.boundary.map((f) => [`${f.from}\u0000${f.to}`, f]));
  graph.forEachEdge((_k, a, source, target) => {
    if (a.type !== 'flow') return;
    const s = graph.getNodeAttributes(source);
    const t = graph.getNodeAttributes(target);
    if (!((s.type === 'external' && inScope(target)) || (t.type === 'external' && inScope(source)))) return;
    const f = boundaryOf.get(`${source}\u0000${target}`);
    const party = partyOf(s.type === 'external' ? source : target);
    thirdParty.push({
      ...(f ? { boundary: f.id } : {}), from: source, to: target, ports: f ? boundaryPortsText(f) : formatPorts(a.ports),
      ...(party !== undefined ? { party } : {}), policies: [...new Set(a.via.map((v) => v.replace(/#.*$/, '').replace(/^netpol:/, '')))].sort(),
    });
  });
  thirdParty.sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to));
  return {
    cde: scope.cde, connected, securityImpacting, controls, outOfScope, thirdParty,
    limits: [
      'The record describes what the policies allow, assuming a network plugin that enforces them; it does not observe traffic.',
      'Controls outside the manifests (cloud security groups, node firewalls, service mesh, WAF) are not in it; list them beside it.',
      'It does not replace the segmentation penetration test (11.4.5): netdiagram segmentation-plan says what that test must probe.',
    ],
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
