import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { admits, inCidr, ipv4, type PortsJson } from '../support/verdicts.js';
import { manifests } from '../support/cluster-arbitraries.js';
import { tieredClusterArb } from '../support/cluster-policy-arbitraries.js';
import { refAllowed } from '../support/reference.js';

const SAMPLE_PORTS = [1, 52, 53, 54, 79, 80, 81, 82, 5000, 8080, 8081, 8082, 9090, 9091, 65535];
const SAMPLE_IPS = ['10.1.2.3', '8.8.8.8', '8.8.9.9', '192.168.1.1'];

describe('cluster-wide policies', () => {
  it('agree with the reference evaluator: Admin, then NetworkPolicy, then Baseline, first matching rule per port, in both API versions', () => {
    fc.assert(fc.property(tieredClusterArb, (cluster) => {
      const { parsed, json } = analyse(manifests(cluster));
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(parsed.cluster.clusterPolicies?.length).toBe(cluster.clusterPolicies!.length);
      const conn = new Map(json.connections.map((c) => [`${c.from} => ${c.to}`, c.ports as PortsJson]));
      const id = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}[Pod]`;
      for (const src of cluster.pods) {
        for (const dst of cluster.pods) {
          if (src === dst) continue;
          for (const protocol of ['TCP', 'UDP', 'SCTP']) {
            for (const port of SAMPLE_PORTS) {
              const expected = refAllowed(cluster, { pod: src }, { pod: dst }, protocol, port);
              const actual = admits(conn.get(`${id(src)} => ${id(dst)}`), protocol, port);
              if (expected !== actual) throw new Error(`${id(src)} => ${id(dst)} ${protocol}/${port}: expected ${expected}, got ${actual}`);
            }
          }
        }
      }
      const externals = json.endpoints.filter((e): e is Extract<typeof e, { type: 'external' }> => e.type === 'external');
      for (const ipText of SAMPLE_IPS) {
        const ip = ipv4(ipText);
        const sources = externals.filter((e) => e.ips.some((c) => inCidr(ip, c)) && json.connections.some((c) => c.from === e.id));
        const destinations = externals.filter((e) => e.ips.some((c) => inCidr(ip, c)) && json.connections.some((c) => c.to === e.id));
        expect(sources.length).toBeLessThanOrEqual(1);
        expect(destinations.length).toBeLessThanOrEqual(1);
        for (const p of cluster.pods) {
          for (const protocol of ['TCP', 'UDP']) {
            for (const port of [53, 80, 8080]) {
              const inbound = refAllowed(cluster, { ip }, { pod: p }, protocol, port);
              const outbound = refAllowed(cluster, { pod: p }, { ip }, protocol, port);
              const gotIn = sources[0] ? admits(conn.get(`${sources[0].id} => ${id(p)}`), protocol, port) : false;
              const gotOut = destinations[0] ? admits(conn.get(`${id(p)} => ${destinations[0].id}`), protocol, port) : false;
              if (inbound !== gotIn) throw new Error(`${ipText} => ${id(p)} ${protocol}/${port}: expected ${inbound}, got ${gotIn}`);
              if (outbound !== gotOut) throw new Error(`${id(p)} => ${ipText} ${protocol}/${port}: expected ${outbound}, got ${gotOut}`);
            }
          }
        }
      }
    }), { numRuns: 1500, seed: 20261202 });
  });

  it('give the same verdicts with the open pairs left out of the graph', () => {
    fc.assert(fc.property(tieredClusterArb, (cluster) => {
      const text = manifests(cluster);
      expect(analyse(text, { openFlows: 'omit' }).json.connections).toEqual(analyse(text).json.connections);
    }), { numRuns: 300, seed: 11 });
  });
});
