import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { calicoClusterArb } from '../support/calico-arbitraries.js';
import { manifests } from '../support/cluster-arbitraries.js';
import { expectReferenceVerdicts } from '../support/reference-check.js';

const SAMPLE_PORTS = [1, 52, 53, 54, 79, 80, 81, 82, 5000, 8080, 8081, 8082, 9090, 9091, 65535];
const SAMPLE_IPS = ['10.1.2.3', '8.8.8.8', '8.8.9.9', '192.168.1.1'];

describe('Calico tiers', () => {
  it('agree with the reference evaluator: tiers by order, policies by order, first rule per port, Pass, Log, default actions, NetworkPolicies at order 1000', () => {
    fc.assert(fc.property(calicoClusterArb, (cluster) => {
      const { parsed, json } = analyse(manifests(cluster), { cni: 'calico' });
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(parsed.cluster.calico?.policies.length).toBe(cluster.calico!.policies.length);
      expectReferenceVerdicts(cluster, json, { ports: SAMPLE_PORTS, ips: SAMPLE_IPS });
    }), { numRuns: 250, seed: 20261202 });
  });
});
