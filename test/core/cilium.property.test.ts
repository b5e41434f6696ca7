import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { ciliumClusterArb } from '../support/cilium-arbitraries.js';
import { manifests } from '../support/cluster-arbitraries.js';
import { expectReferenceVerdicts } from '../support/reference-check.js';

const SAMPLE_PORTS = [1, 52, 53, 54, 79, 80, 81, 8080, 8081, 9090, 65535];
const SAMPLE_IPS = ['10.1.2.3', '8.8.8.8', '8.8.9.9', '192.168.1.1'];

describe('Cilium policies', () => {
  it('agree with the reference evaluator: deny before every allow, allows a union with the NetworkPolicies\', default-deny per direction, namespace scoping, entities, CIDRs, toPorts', () => {
    fc.assert(fc.property(ciliumClusterArb, (cluster) => {
      const { parsed, json } = analyse(manifests(cluster), { cni: 'cilium' });
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expectReferenceVerdicts(cluster, json, { ports: SAMPLE_PORTS, ips: SAMPLE_IPS });
    }), { numRuns: 250, seed: 20261202 });
  });
});
