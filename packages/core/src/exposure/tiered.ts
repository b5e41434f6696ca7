import type { SourceLocation } from '../diagnostics.js';
import { ALL_PORTS, intersectPorts, isEmptyPorts, subtractPorts, unionPorts, NO_PORTS, type PortSet } from '../model/ports.js';
import type { Labels } from '../model/selectors.js';
import { coversRanges, overlapsRange, type AddressRange } from '../model/ipblock.js';
import type { ClusterPolicy, ContainerPort, NetworkPolicy, PortRules, RuleAction } from '../model/types.js';
import type { Direction } from '../policy/evaluate.js';
import { peerContains } from './containment.js';
import { ENTIRE_CLUSTER, peerKey, representativePeerOf, type RepresentativePeer } from './peer.js';
import { exposurePortsOf, isEmptyExposurePorts, NO_EXPOSURE_PORTS, unionExposurePorts, type ExposurePorts } from './ports.js';

/** One rule as exposure reads it: a representative peer, its ports, what it does, and its tier. */
export interface TieredEntry {
  readonly peer: RepresentativePeer;
  readonly ports: ExposurePorts;
  readonly action: RuleAction;
  /** 0 Admin, 1 NetworkPolicy or Baseline, 2 the default: a Pass skips to the next stage. */
  readonly stage: 0 | 1 | 2;
  readonly ref: string;
  readonly location?: SourceLocation;
}

/** A row exposure reports: a peer some rule admits, with the ports no earlier rule takes away. */
export interface TieredAdmission {
  readonly peer: RepresentativePeer;
  readonly ports: ExposurePorts;
  /** The rules that admit it, or, when nothing is admitted, those that decided so. */
  readonly refs: readonly string[];
  readonly locations: readonly SourceLocation[];
}

/**
 * The rules of every tier that decide a workload's direction, in evaluation order: the Admin
 * policies selecting it; then its isolating NetworkPolicies (which decide everything left), or, when
 * none isolates it, the Baseline policies and the default allow for the entire cluster.
 */
export function tieredEntries(
  direction: Direction,
  admin: readonly ClusterPolicy[],
  isolating: readonly NetworkPolicy[],
  baseline: readonly ClusterPolicy[],
  ownPorts: readonly ContainerPort[],
  podCidrs: readonly AddressRange[] = [],
): TieredEntry[] {
  const portsOf = (rules: PortRules) => exposurePortsOf(rules, direction === 'ingress' ? ownPorts : undefined);
  const clusterEntries = (policies: readonly ClusterPolicy[], stage: 0 | 1) => policies.flatMap((p) => p[direction].flatMap((rule) =>
    rule.peers.flatMap((peer) => {
      const entry = { ports: portsOf(rule.ports), action: rule.action, stage, ref: rule.ref, ...(rule.location ? { location: rule.location } : {}) };
      if (peer.kind === 'pods') return [{ ...entry, peer: representativePeerOf({ kind: 'pods', namespaces: peer.namespaces, pods: peer.pods }, '') }];
      // `networks` applies to pod addresses too: with the pod CIDRs known, one that covers them all
      // speaks for every pod; one that covers some of them admits (never denies) for the entire
      // cluster, so a row may overstate but never hide. Other addresses are the connection list's.
      if (peer.kind !== 'networks' || podCidrs.length === 0) return [];
      if (coversRanges(peer.ranges, podCidrs)) return [{ ...entry, peer: ENTIRE_CLUSTER }];
      const some = peer.ranges.some((r) => podCidrs.some((c) => overlapsRange(r, c)));
      return some && rule.action === 'allow' ? [{ ...entry, peer: ENTIRE_CLUSTER }] : [];
    })));
  const entries: TieredEntry[] = clusterEntries(admin, 0);
  if (isolating.length > 0) {
    for (const policy of isolating) {
      for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
        const peers = rule.peers === undefined ? [ENTIRE_CLUSTER]
          : rule.peers.flatMap((peer) => (peer.kind === 'pods' ? [representativePeerOf(peer, policy.namespace)] : []));
        for (const peer of peers) entries.push({ peer, ports: portsOf(rule.ports), action: 'allow', stage: 1, ref: rule.ref, ...(rule.location ? { location: rule.location } : {}) });
      }
    }
    return entries;
  }
  entries.push(...clusterEntries(baseline, 1));
  entries.push({ peer: ENTIRE_CLUSTER, ports: portsOf(undefined), action: 'allow', stage: 2, ref: `default-allow:${direction}` });
  return entries;
}

/**
 * For each peer an entry names, what the tiers admit for all of its pods, walked as the evaluator
 * walks a connection: an entry whose peer holds every pod of the peer decides its ports for it
 * (Accept and Deny for good, Pass up to the end of its stage). An entry whose peer holds only some
 * of them decides nothing for it; that entry's own peer has its own row. So a wider row may overstate
 * what a narrower Deny takes from some of its pods, and the narrower Deny's row says so: a peer
 * named by a Deny or Pass gets its row even when nothing is left ("No Connections").
 */
export function tieredAdmissions(entries: readonly TieredEntry[], namespaceLabels: ReadonlyMap<string, Labels>): TieredAdmission[] {
  const seen = new Map<string, RepresentativePeer>();
  for (const e of entries) seen.set(peerKey(e.peer), e.peer);
  const out: TieredAdmission[] = [];
  for (const peer of seen.values()) {
    let open: PortSet = ALL_PORTS;
    let passed: PortSet = NO_PORTS;
    let stage = 0;
    let admitted: ExposurePorts = NO_EXPOSURE_PORTS;
    const via: TieredEntry[] = [];
    const deciders: TieredEntry[] = [];
    for (const e of entries) {
      if (e.stage !== stage) {
        open = unionPorts(open, passed);
        passed = NO_PORTS;
        stage = e.stage;
      }
      // an entry for only some of the peer's pods decides nothing for the peer: its own row speaks for those pods
      if (!peerContains(e.peer, peer, namespaceLabels)) continue;
      const ports = intersectPorts(e.ports.numbers, open);
      const names = e.ports.names;
      if (isEmptyPorts(ports) && names.length === 0) continue;
      if (e.action === 'allow') {
        admitted = unionExposurePorts(admitted, { numbers: ports, names });
        via.push(e);
      } else deciders.push(e);
      if (e.action === 'pass') passed = unionPorts(passed, ports);
      open = subtractPorts(open, ports);
    }
    const named = entries.some((e) => e.action !== 'allow' && peerKey(e.peer) === peerKey(peer));
    if (isEmptyExposurePorts(admitted) && !named) continue;
    const why = isEmptyExposurePorts(admitted) ? deciders : via;
    out.push({ peer, ports: admitted, refs: [...new Set(why.map((e) => e.ref))], locations: why.flatMap((e) => (e.location ? [e.location] : [])) });
  }
  return out;
}
