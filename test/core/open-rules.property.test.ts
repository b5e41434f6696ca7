import fc from 'fast-check';
import { isAllPorts, parseCidr, type WorkloadNode } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, namespace, pod, policy } from '../support/analyse.js';

// rule shapes that real "allow everything" policies are made of, and near misses of them
const PEERS = [
  { namespaceSelector: {} }, { namespaceSelector: {}, podSelector: {} }, { podSelector: {} },
  { namespaceSelector: { matchLabels: { team: 'x' } } },
  { ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '0.0.0.0/1' } }, { ipBlock: { cidr: '128.0.0.0/1' } },
  { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '::/0' } },
];
const PORTS = [[{ protocol: 'TCP' }], [{ protocol: 'UDP' }, { protocol: 'SCTP' }], [{ port: 80 }], [{ protocol: 'TCP', port: 1, endPort: 65535 }]];
const ruleArb = fc.record({
  from: fc.option(fc.array(fc.constantFrom(...PEERS), { maxLength: 3 }), { nil: undefined }),
  ports: fc.option(fc.constantFrom(...PORTS), { nil: undefined }),
}, { requiredKeys: [] });
const policiesArb = fc.array(fc.array(ruleArb, { maxLength: 3 }), { minLength: 1, maxLength: 3 });

/** Whether the ranges of outside nodes reaching `id` on every port cover all of IPv4 or all of IPv6. */
function everyAddressReaches(graph: ReturnType<typeof analyse>['graph'], id: string): boolean {
  let v4 = 0n;
  let v6 = 0n;
  graph.forEachInEdge(id, (_e, a, source) => {
    const s = graph.getNodeAttributes(source);
    if (a.type !== 'flow' || s.type !== 'external' || !isAllPorts(a.ports)) return;
    for (const c of s.ips) {
      const p = parseCidr(c);
      if (!p.ok) continue;
      if (p.range.family === 4) v4 += p.range.hi - p.range.lo + 1n;
      else v6 += p.range.hi - p.range.lo + 1n;
    }
  });
  return v4 === 2n ** 32n || v6 === 2n ** 128n;
}

describe('isolation in name only', () => {
  it('holds exactly when a pod of an unrelated namespace and every outside address reach the workload on every port', () => {
    fc.assert(fc.property(policiesArb, (policies) => {
      const text = docs(
        namespace('shop'), namespace('elsewhere'),
        pod('shop', 'api', { app: 'api' }, [{ name: 'http', containerPort: 80 }]),
        pod('elsewhere', 'probe', { app: 'probe' }),
        ...policies.map((ingress, i) => policy('shop', `p${i}`, { podSelector: {}, policyTypes: ['Ingress'], ingress })),
      );
      const { graph } = analyse(text);
      const node = graph.getNodeAttributes('shop/api[Pod]') as WorkloadNode;
      const flow = graph.outEdges('elsewhere/probe[Pod]', 'shop/api[Pod]').map((e) => graph.getEdgeAttributes(e)).find((a) => a.type === 'flow');
      const probeOnEveryPort = flow !== undefined && isAllPorts(flow.ports);
      expect(node.ingressInNameOnly === true).toBe(probeOnEveryPort && everyAddressReaches(graph, 'shop/api[Pod]'));
    }), { numRuns: 300 });
  });
});
