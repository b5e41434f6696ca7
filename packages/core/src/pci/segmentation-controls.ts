import type { SourceLocation } from '../diagnostics.js';
import { matchesSelector } from '../model/selectors.js';
import type { Cluster } from '../model/types.js';
import { indexPolicies, tierSelectionOf } from '../policy/evaluate.js';
import { podSubjectOf } from './endpoints.js';
import type { FlowDiff } from './flow-diff.js';
import type { CdeScope } from './scope.js';

/**
 * A segmentation control (PCI DSS 1.2.3 "unique identifiers for each control", 11.4.5, 12.5.2): a
 * policy that decides traffic of the CDE or beside it. Every NetworkPolicy that selects a CDE
 * workload or a workload in a namespace holding one (a default-deny there is what keeps the
 * neighbours out), every NetworkPolicy that selects an out-of-scope workload (its isolation is what
 * the scoping record cites to keep that workload out of scope), and every cluster-wide policy (it
 * may decide any pod's traffic).
 */
export interface SegmentationControl {
  /** `NetworkPolicy default/deny-all`, `ClusterNetworkPolicy guardrails` */
  readonly id: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** `admin`, `networkpolicy` or `baseline`: the order in which the network plugin applies them. */
  readonly tier: 'admin' | 'networkpolicy' | 'baseline';
  readonly priority?: number;
  /** The CDE workloads the policy selects (empty for one that only selects their neighbours). */
  readonly selectsCde: readonly string[];
  /** The policy as netdiagram evaluates it, canonical JSON without source positions: equal text, equal control. */
  readonly fingerprint: string;
  /** `metadata.uid` and `metadata.resourceVersion`, when the manifest carries them. */
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly location?: SourceLocation;
}

/** The segmentation controls of a cluster, sorted by id. */
export function segmentationControls(cluster: Cluster, scope: CdeScope): SegmentationControl[] {
  const cde = new Set(scope.cde.map((m) => m.id));
  const cdeNamespaces = new Set(cluster.workloads.filter((w) => cde.has(w.id)).map((w) => w.namespace));
  const controls: SegmentationControl[] = [];
  for (const p of cluster.policies) {
    const selected = cluster.workloads.filter((w) => w.namespace === p.namespace && matchesSelector(p.podSelector, w.labels));
    const selectsCde = selected.filter((w) => cde.has(w.id)).map((w) => w.id).sort();
    const selectsOutOfScope = selected.some((w) => scope.zones[w.id] === 'out-of-scope');
    if (selectsCde.length === 0 && !selectsOutOfScope && !(cdeNamespaces.has(p.namespace) && selected.length > 0)) continue;
    controls.push({
      id: `NetworkPolicy ${p.id}`, kind: 'NetworkPolicy', namespace: p.namespace, name: p.name, tier: 'networkpolicy', selectsCde,
      fingerprint: canonicalJson(p), ...p.identity, ...(p.location ? { location: p.location } : {}),
    });
  }
  // a cluster-wide policy selects a CDE workload when it applies to it in either direction
  const index = indexPolicies(cluster.policies, cluster.clusterPolicies ?? []);
  const selecting = new Map<string, Set<string>>();
  for (const w of cluster.workloads.filter((x) => cde.has(x.id))) {
    const tiers = tierSelectionOf(index, podSubjectOf(cluster, w));
    for (const c of [...tiers.ingress.admin, ...tiers.ingress.baseline, ...tiers.egress.admin, ...tiers.egress.baseline]) {
      const key = `${c.kind} ${c.name}`;
      selecting.set(key, (selecting.get(key) ?? new Set()).add(w.id));
    }
  }
  for (const c of cluster.clusterPolicies ?? []) {
    const id = `${c.kind} ${c.name}`;
    controls.push({
      id, kind: c.kind, name: c.name, tier: c.tier, priority: c.priority, selectsCde: [...(selecting.get(id) ?? [])].sort(),
      fingerprint: canonicalJson(c), ...c.identity, ...(c.location ? { location: c.location } : {}),
    });
  }
  return controls.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * What changed the segmentation between two inputs: each entry means the 11.4.5 test must be
 * repeated. A control changed when its text changed or when it selects other CDE workloads (a
 * label of a pod or Namespace moved); `boundary` lists the changed flows with an end in the CDE
 * and the workloads whose zone changed, which catches what no control's text shows (a Namespace
 * label that makes a CDE policy admit another namespace, a policy removed elsewhere).
 */
export interface SegmentationChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** `flow added other/job[Deployment] => pay/api[Deployment]`, `zone other/job[Deployment]: out-of-scope → connected` */
  readonly boundary: readonly string[];
}

export function diffSegmentationControls(before: readonly SegmentationControl[], after: readonly SegmentationControl[], flows?: FlowDiff): SegmentationChange {
  const old = new Map(before.map((c) => [c.id, c]));
  const now = new Map(after.map((c) => [c.id, c]));
  const differs = (a: SegmentationControl, b: SegmentationControl) => a.fingerprint !== b.fingerprint || a.selectsCde.join('\u0000') !== b.selectsCde.join('\u0000');
  const boundary = flows === undefined ? [] : [
    ...flows.changes.filter((c) => c.cde).map((c) => `flow ${c.change} ${c.from} => ${c.to}`),
    ...flows.zones.map((z) => `zone ${z.id}: ${z.before} → ${z.after}`),
  ];
  return {
    added: after.filter((c) => !old.has(c.id)).map((c) => c.id),
    removed: before.filter((c) => !now.has(c.id)).map((c) => c.id),
    changed: after.filter((c) => old.has(c.id) && differs(old.get(c.id)!, c)).map((c) => c.id),
    boundary,
  };
}

/** JSON with sorted keys, without `location` and `identity`: what a policy means, not where it is written or which apply it was. */
function canonicalJson(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'bigint') return v.toString();
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).filter((k) => k !== 'location' && k !== 'identity').sort().map((k) => [k, walk((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(walk(value));
}
