import { computeExposure, exposureToJson, type ExposureJson, type LabelSelectorJson } from '@netdiagram/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { clusterArb, labelsArb, manifests, NAMESPACES, POD_PORTS } from '../support/cluster-arbitraries.js';
import { directionAllows, refSelects, type RefCluster, type RefPod } from '../support/reference.js';

// Exposure against the brute-force reference: for a pod that is NOT in the input (a probe: any
// namespace, including one the input never declares, any labels and ports), a workload's policies
// admit it on a port exactly when some exposure row of the workload names a peer holding the probe
// and lists that port. Sound (no row claims what the policies deny) and complete (nothing they admit
// is missing), whatever else is in the input.

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const SAMPLE_PORTS = [1, 53, 80, 81, 5000, 8080, 8081, 9090, 65535];
const probeArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES, 'undeclared'),
  labels: labelsArb,
  ports: fc.subarray(POD_PORTS).map((ps) => ps.filter((p, i) => ps.findIndex((q) => q.name === p.name) === i)),
}).map((p): RefPod => ({ ...p, name: 'probe' }));

const selects = (selector: LabelSelectorJson, labels: Record<string, string>) =>
  refSelects({ ...(selector.matchLabels ? { matchLabels: { ...selector.matchLabels } } : {}), ...(selector.matchExpressions ? { matchExpressions: selector.matchExpressions.map((e) => ({ ...e, values: e.values ? [...e.values] : [] })) } : {}) }, labels);

function peerHolds(row: ExposureJson, probe: RefPod, cluster: RefCluster): boolean {
  const peer = row.peer;
  const namespaceLabels = { 'kubernetes.io/metadata.name': probe.namespace, ...(cluster.namespaces[probe.namespace] ?? {}) };
  const inNamespace = 'namespace' in peer ? peer.namespace === probe.namespace : selects(peer.namespaceSelector, namespaceLabels);
  return inNamespace && selects(peer.podSelector, probe.labels);
}

function rowAdmits(row: ExposureJson, protocol: string, port: number, destination: RefPod): boolean {
  if (row.ports === 'all') return true;
  return row.ports.some((p) => {
    if (p.protocol !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return destination.ports.some((cp) => cp.name === p.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port);
    return port >= p.port && port <= ('endPort' in p && p.endPort !== undefined ? p.endPort : p.port);
  });
}

describe('exposure analysis', () => {
  it('admits a pod outside the input on a port exactly when the reference evaluator does', () => {
    fc.assert(fc.property(clusterArb, probeArb, (cluster, probe) => {
      const { parsed } = analyse(manifests(cluster));
      const rows = exposureToJson(computeExposure(parsed.cluster));
      // the reference reads namespace labels of the cluster; the probe's namespace is known by name only
      const reference: RefCluster = { ...cluster, namespaces: { ...cluster.namespaces, undeclared: {} } };
      for (const pod of cluster.pods) {
        const id = `${pod.namespace}/${pod.name}[Pod]`;
        for (const direction of ['ingress', 'egress'] as const) {
          const mine = rows.filter((r) => r.workload === id && r.direction === direction && peerHolds(r, probe, cluster));
          const destination = direction === 'ingress' ? pod : probe;
          for (const protocol of PROTOCOLS) {
            for (const port of SAMPLE_PORTS) {
              const expected = directionAllows(reference, pod, direction === 'ingress' ? 'Ingress' : 'Egress', { pod: probe }, destination, protocol, port);
              const actual = mine.some((r) => rowAdmits(r, protocol, port, destination));
              if (expected !== actual) {
                throw new Error(`${direction} of ${id} with probe ${JSON.stringify(probe)} on ${protocol}/${port}: expected ${expected}, got ${actual}\n${JSON.stringify(mine)}`);
              }
            }
          }
        }
      }
    }), { numRuns: 1500, seed: 20261202 });
  });

  it('gives every workload the same rows whatever other pods are in the input', () => {
    fc.assert(fc.property(clusterArb, fc.array(probeArb, { minLength: 1, maxLength: 3 }), (cluster, extra) => {
      const alone = exposureToJson(computeExposure(analyse(manifests(cluster)).parsed.cluster));
      const crowded: RefCluster = { ...cluster, pods: [...cluster.pods, ...extra.map((p, i) => ({ ...p, name: `extra${i}` }))] };
      const withOthers = exposureToJson(computeExposure(analyse(manifests(crowded)).parsed.cluster))
        .filter((r) => !r.workload.includes('/extra'));
      expect(withOthers).toEqual(alone);
    }), { numRuns: 300, seed: 20261204 });
  });
});
