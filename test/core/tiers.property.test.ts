import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { manifests } from '../support/cluster-arbitraries.js';
import { tieredClusterArb } from '../support/cluster-policy-arbitraries.js';
import { expectReferenceVerdicts } from '../support/reference-check.js';

const SAMPLE_PORTS = [1, 52, 53, 54, 79, 80, 81, 82, 5000, 8080, 8081, 8082, 9090, 9091, 65535];
const SAMPLE_IPS = ['10.1.2.3', '8.8.8.8', '8.8.9.9', '192.168.1.1'];

describe('cluster-wide policies', () => {
  it('agree with the reference evaluator: Admin, then NetworkPolicy, then Baseline, first matching rule per port, in both API versions', () => {
    fc.assert(fc.property(tieredClusterArb, (cluster) => {
      const { parsed, json } = analyse(manifests(cluster));
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(parsed.cluster.clusterPolicies?.length).toBe(cluster.clusterPolicies!.length);
      expectReferenceVerdicts(cluster, json, { ports: SAMPLE_PORTS, ips: SAMPLE_IPS });
    }), { numRuns: 1500, seed: 20261202 });
  });

  it('give the same verdicts with the open pairs left out of the graph', () => {
    fc.assert(fc.property(tieredClusterArb, (cluster) => {
      const text = manifests(cluster);
      expect(analyse(text, { openFlows: 'omit' }).json.connections).toEqual(analyse(text).json.connections);
    }), { numRuns: 300, seed: 11 });
  });
});
