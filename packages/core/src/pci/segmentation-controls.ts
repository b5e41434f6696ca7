import type { SourceLocation } from '../diagnostics.js';
import { matchesSelector } from '../model/selectors.js';
import type { Cluster } from '../model/types.js';
import type { CdeScope } from './scope.js';

/**
 * A segmentation control (PCI DSS 1.2.3 "unique identifiers for each control", 11.4.5, 12.5.2): a
 * policy that decides traffic of the CDE or beside it. Every NetworkPolicy that selects a CDE
 * workload or a workload in a namespace holding one (a default-deny there is what keeps the
 * neighbours out), and every cluster-wide policy (it may decide any pod's traffic).
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
  /** The CDE workloads a NetworkPolicy selects (empty for one that only selects their neighbours). */
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
    if (selectsCde.length === 0 && !(cdeNamespaces.has(p.namespace) && selected.length > 0)) continue;
    controls.push({
      id: `NetworkPolicy ${p.id}`, kind: 'NetworkPolicy', namespace: p.namespace, name: p.name, tier: 'networkpolicy', selectsCde,
      fingerprint: canonicalJson(p), ...p.identity, ...(p.location ? { location: p.location } : {}),
    });
  }
  for (const c of cluster.clusterPolicies ?? []) {
    controls.push({
      id: `${c.kind} ${c.name}`, kind: c.kind, name: c.name, tier: c.tier, priority: c.priority, selectsCde: [],
      fingerprint: canonicalJson(c), ...c.identity, ...(c.location ? { location: c.location } : {}),
    });
  }
  return controls.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The segmentation controls added, removed or changed between two inputs: each one means the 11.4.5 test must be repeated. */
export interface SegmentationChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export function diffSegmentationControls(before: readonly SegmentationControl[], after: readonly SegmentationControl[]): SegmentationChange {
  const old = new Map(before.map((c) => [c.id, c]));
  const now = new Map(after.map((c) => [c.id, c]));
  return {
    added: after.filter((c) => !old.has(c.id)).map((c) => c.id),
    removed: before.filter((c) => !now.has(c.id)).map((c) => c.id),
    changed: after.filter((c) => old.has(c.id) && old.get(c.id)!.fingerprint !== c.fingerprint).map((c) => c.id),
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
