import { buildTrafficGraph, formatPorts, indexPolicies, pairVerdict, parseManifests, type PodSubject, type Workload } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../bench/generate.mjs';

/** Every workload pair evaluated one by one, with no classes and no candidate pruning. */
function pairwise(workloads: readonly Workload[], namespaces: ReadonlyMap<string, Record<string, string>>, policies: Parameters<typeof indexPolicies>[0]) {
  const index = indexPolicies(policies);
  const subject = (w: Workload): PodSubject => ({
    kind: 'pod', namespace: w.namespace, labels: w.labels, namespaceLabels: namespaces.get(w.namespace) ?? {}, ports: w.ports, podIPs: [],
  });
  const flows = new Map<string, string>();
  for (const a of workloads) {
    for (const b of workloads) {
      if (a === b) continue;
      const v = pairVerdict(index, subject(a), subject(b));
      if (v.via.length > 0) flows.set(`${a.id} => ${b.id}`, formatPorts(v.ports));
    }
  }
  return flows;
}

describe('the equivalence-class evaluator', () => {
  it.each([1, 2, 3])('gives the same workload connections as evaluating pod by pod (generated cluster, seed %i)', (seed) => {
    const sources = generateCluster({ size: { namespaces: 8, workloads: 40, policies: 30, podsPerWorkload: 2 }, seed });
    const { cluster, diagnostics } = parseManifests(sources);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const graph = buildTrafficGraph(cluster);
    const byClass = new Map<string, string>();
    graph.forEachEdge((_k, a, s, t) => {
      if (a.type === 'flow' && graph.getNodeAttribute(s, 'type') === 'workload' && graph.getNodeAttribute(t, 'type') === 'workload') {
        byClass.set(`${s} => ${t}`, formatPorts(a.ports));
      }
    });
    const namespaces = new Map(cluster.namespaces.map((n) => [n.name, { ...n.labels }]));
    const expected = pairwise(cluster.workloads, namespaces, cluster.policies);
    expect(byClass.size).toBeGreaterThan(0);
    expect([...byClass].sort()).toEqual([...expected].sort());
  });
});
