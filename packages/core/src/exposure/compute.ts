import type { SourceLocation } from '../diagnostics.js';
import { parseCidr } from '../model/ipblock.js';
import type { Cluster, PolicyRule, Workload } from '../model/types.js';
import { indexPolicies, isolatingPolicies, type Direction } from '../policy/evaluate.js';
import { workloadSubject } from '../policy/subjects.js';
import { selectingPolicies } from '../policy/tiers.js';
import { tieredAdmissions, tieredEntries } from './tiered.js';
import { calicoExposure } from './calico.js';
import { peerContains } from './containment.js';
import { ENTIRE_CLUSTER, isEntireCluster, peerKey, representativePeerOf, type RepresentativePeer } from './peer.js';
import { coversExposurePorts, sameExposurePorts, exposurePortsOf, isEmptyExposurePorts, NO_EXPOSURE_PORTS, unionExposurePorts, type ExposurePorts } from './ports.js';
import type { Labels } from '../model/selectors.js';

/** One workload's exposure in one direction to one representative peer. */
export interface ExposureRow {
  readonly direction: Direction;
  /** `ns/name[Kind]` */
  readonly workload: string;
  readonly peer: RepresentativePeer;
  readonly ports: ExposurePorts;
  /** Rule refs (`netpol:ns/name#ingress[0]`), or `default-allow:ingress` for a direction no policy isolates. */
  readonly via: readonly string[];
  /** Where the admitting rules are written; empty for a default-allow direction. */
  readonly locations: readonly SourceLocation[];
}

export interface Unprotected {
  readonly workload: string;
  readonly direction: Direction;
}

/** What the policies admit beyond the pods in the input: rows sorted by direction, workload, peer. */
export interface Exposure {
  readonly rows: readonly ExposureRow[];
  /** Directions of workloads that no policy isolates (they admit the entire cluster and every address). */
  readonly unprotected: readonly Unprotected[];
}

const DIRECTIONS: readonly Direction[] = ['egress', 'ingress'];

export interface ExposureOptions {
  /** Pod CIDRs: a cluster-wide `networks` peer that covers them all decides for every pod. */
  readonly podCidrs?: readonly string[];
}

/**
 * For every workload and direction, the representative peers its isolating policies admit: each pod
 * peer of each rule (its namespace part and pod part, as written), the entire cluster for a rule
 * without peers, and the entire cluster for a direction no policy isolates. Peers that denote the
 * same pods merge, their ports unite; a peer also gets the ports of every wider peer that holds all
 * of its pods, and a peer the entire cluster already admits on the same ports says nothing more and
 * is left out (as netpol-analyzer reports it). ipBlock peers are addresses, which the connection list already
 * shows. The answer depends only on the workload and the policies, never on which other pods are in
 * the input.
 */
export function computeExposure(cluster: Cluster, options: ExposureOptions = {}): Exposure {
  const podCidrs = (options.podCidrs ?? []).flatMap((text) => { const p = parseCidr(text); return p.ok ? [p.range] : []; });
  const index = indexPolicies(cluster.policies, cluster.clusterPolicies, cluster.calico ?? cluster.cilium);
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const rows: ExposureRow[] = [];
  const unprotected: Unprotected[] = [];
  for (const workload of cluster.workloads) {
    const subject = workloadSubject(workload, namespaceLabels.get(workload.namespace));
    for (const direction of DIRECTIONS) {
      if (index.calico) {
        // the calico profile: the tier walk judges each representative peer (exposure/calico.ts)
        const calico = calicoExposure(index.calico, subject, direction);
        if (calico) for (const r of calico) rows.push({ direction, workload: workload.id, ...r });
        else {
          unprotected.push({ workload: workload.id, direction });
          rows.push({ direction, workload: workload.id, peer: ENTIRE_CLUSTER, ports: exposurePortsOf(undefined, undefined), via: [`default-allow:${direction}`], locations: [] });
        }
        continue;
      }
      const isolating = isolatingPolicies(index, subject, direction);
      const admin = selectingPolicies(index.admin, subject, direction);
      const baseline = isolating.length === 0 ? selectingPolicies(index.baseline, subject, direction) : [];
      if (admin.length > 0 || baseline.length > 0) {
        // cluster-wide tiers: each peer as the tiers judge all of its pods; a row that says no more
        // than the entire cluster's is left out, one that says less is kept
        const admitted = tieredAdmissions(tieredEntries(direction, admin, isolating, baseline, workload.ports, podCidrs), namespaceLabels);
        const cluster = admitted.find((a) => isEntireCluster(a.peer));
        for (const a of admitted) {
          if (cluster && a !== cluster && sameExposurePorts(a.ports, cluster.ports)) continue;
          // "No Connections" is news only beside a wider row that admits something
          if (isEmptyExposurePorts(a.ports) && !admitted.some((w) => w !== a && !isEmptyExposurePorts(w.ports) && peerContains(w.peer, a.peer, namespaceLabels))) continue;
          rows.push({ direction, workload: workload.id, peer: a.peer, ports: a.ports, via: [...a.refs].sort(), locations: a.locations });
        }
        continue;
      }
      if (isolating.length === 0) {
        unprotected.push({ workload: workload.id, direction });
        rows.push({ direction, workload: workload.id, peer: ENTIRE_CLUSTER, ports: exposurePortsOf(undefined, undefined), via: [`default-allow:${direction}`], locations: [] });
        continue;
      }
      const merged = new Map<string, Draft>();
      for (const policy of isolating) {
        for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
          const ports = exposurePortsOf(rule.ports, direction === 'ingress' ? workload.ports : undefined);
          if (isEmptyExposurePorts(ports)) continue;
          for (const peer of peersOf(rule, policy.namespace)) addTo(merged, peer, ports, rule);
        }
      }
      for (const draft of widen([...merged.values()], namespaceLabels)) rows.push(finish(direction, workload, draft));
    }
  }
  return { rows: rows.sort(compareRows), unprotected: unprotected.sort(compareUnprotected) };
}

interface Draft {
  peer: RepresentativePeer;
  ports: ExposurePorts;
  readonly via: Set<string>;
  readonly locations: SourceLocation[];
}

function peersOf(rule: PolicyRule, policyNamespace: string): RepresentativePeer[] {
  if (rule.peers === undefined) return [ENTIRE_CLUSTER];
  return rule.peers.flatMap((peer) => (peer.kind === 'pods' ? [representativePeerOf(peer, policyNamespace)] : []));
}

function addTo(merged: Map<string, Draft>, peer: RepresentativePeer, ports: ExposurePorts, rule: Pick<PolicyRule, 'ref' | 'location'>): void {
  const key = peerKey(peer);
  const draft = merged.get(key) ?? { peer, ports: NO_EXPOSURE_PORTS, via: new Set<string>(), locations: [] };
  draft.ports = unionExposurePorts(draft.ports, ports);
  if (!draft.via.has(rule.ref)) {
    draft.via.add(rule.ref);
    if (rule.location) draft.locations.push(rule.location);
  }
  merged.set(key, draft);
}

/** Each peer with the ports of the wider peers that contain it; peers the entire cluster covers dropped. */
function widen(drafts: readonly Draft[], namespaceLabels: ReadonlyMap<string, Labels>): Draft[] {
  const candidatesFor = containerCandidates(drafts);
  const widened = drafts.map((draft) => {
    const wider = candidatesFor(draft).filter((other) => other !== draft && peerContains(other.peer, draft.peer, namespaceLabels));
    if (wider.length === 0) return draft;
    const via = new Set(draft.via);
    const locations = [...draft.locations];
    let ports = draft.ports;
    for (const other of wider) {
      ports = unionExposurePorts(ports, other.ports);
      other.via.forEach((ref) => via.add(ref));
      for (const l of other.locations) locations.push(l);
    }
    return { peer: draft.peer, ports, via, locations };
  });
  const cluster = widened.find((d) => isEntireCluster(d.peer));
  return cluster ? widened.filter((d) => d === cluster || !coversExposurePorts(cluster.ports, d.ports)) : widened;
}

/**
 * The peers that may hold a given one. A pod selector with `key In (values)` holds another only if
 * the other also requires `key In` a subset of those values, so each peer is filed under the first
 * `In` requirement of its pod selector, once per value, and a peer's candidates are those filed
 * under one of its own `key=value` pairs, plus the peers whose pod selector has no `In` at all (the
 * entire cluster, `app Exists`…). One rule with thousands of peers then costs a lookup per peer,
 * not every pair of them; peerContains still decides.
 */
function containerCandidates(drafts: readonly Draft[]): (inner: Draft) => readonly Draft[] {
  const general: Draft[] = [];
  const byPair = new Map<string, Draft[]>();
  for (const d of drafts) {
    const anchor = d.peer.podSelector.requirements.find((r) => r.operator === 'In');
    if (!anchor) {
      general.push(d);
      continue;
    }
    for (const value of anchor.values) {
      const pair = `${anchor.key}\u0000${value}`;
      const list = byPair.get(pair);
      if (list) list.push(d);
      else byPair.set(pair, [d]);
    }
  }
  return (inner) => {
    const candidates = new Set<Draft>(general);
    for (const r of inner.peer.podSelector.requirements) {
      if (r.operator !== 'In' || r.values.length === 0) continue;
      for (const d of byPair.get(`${r.key}\u0000${r.values[0]}`) ?? []) candidates.add(d);
    }
    return [...candidates];
  };
}

function finish(direction: Direction, workload: Workload, draft: Draft): ExposureRow {
  return { direction, workload: workload.id, peer: draft.peer, ports: draft.ports, via: [...draft.via].sort(), locations: draft.locations };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRows(a: ExposureRow, b: ExposureRow): number {
  return compare(a.direction, b.direction) || compare(a.workload, b.workload) || compare(peerKey(a.peer), peerKey(b.peer));
}

function compareUnprotected(a: Unprotected, b: Unprotected): number {
  return compare(a.workload, b.workload) || compare(a.direction, b.direction);
}
