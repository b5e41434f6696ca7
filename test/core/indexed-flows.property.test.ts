import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManifests, type PodSubject } from '@netdiagram/core';
import { groupExternalFlows, type ExternalFlow } from '../../packages/core/src/graph/external-flows.js';
import { externalUniverse, splitAddressSpace } from '../../packages/core/src/graph/external.js';
import { computeClassFlows, externalVerdict } from '../../packages/core/src/graph/flows.js';
import { parseCidr, type AddressRange } from '../../packages/core/src/model/ipblock.js';
import { portsKey } from '../../packages/core/src/model/ports.js';
import type { Peer } from '../../packages/core/src/model/types.js';
import { indexPolicies, pairVerdict } from '../../packages/core/src/policy/evaluate.js';
import { workloadSubject } from '../../packages/core/src/policy/subjects.js';

// The graph finds verdicts through indexes (each rule's peers found once, ipBlocks by binary search
// over the address pieces); these properties hold them to the straightforward walk of every rule for
// every pair (pairVerdict), on random clusters with overlapping policies, ipBlocks and pod CIDRs.

const KEYS = ['app', 'tier'];
const VALUES = ['a', 'b', 'c'];
const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const selector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 1 }) }),
  fc.record({ matchExpressions: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('In', 'NotIn'), fc.subarray(VALUES, { minLength: 1 }))
    .map(([key, operator, values]) => [{ key, operator, values }]) }),
);
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '0.0.0.0/0', '8.8.8.0/24', '192.168.0.0/16', '::/0', 'fd00::/8'];
const EXCEPTS: Record<string, string[]> = { '10.0.0.0/8': ['10.1.0.0/16'], '0.0.0.0/0': ['10.0.0.0/8', '8.8.8.0/24'], '::/0': ['fd00::/8'] };
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.tuple(fc.constantFrom(...CIDRS), fc.boolean()).map(([cidr, except]) => ({ ipBlock: { cidr, ...(except && EXCEPTS[cidr] ? { except: EXCEPTS[cidr] } : {}) } })),
);
const port = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 443, 8080) }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(53, 80), endPort: fc.constantFrom(80, 100) })
    .filter((p) => p.endPort >= p.port),
  fc.record({ port: fc.constantFrom('http', 'dns') }),
  fc.record({ protocol: fc.constantFrom('UDP', 'SCTP') }),
);
const rule = (key: 'from' | 'to') => fc.record({
  [key]: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }),
}, { requiredKeys: [] });
const NAMESPACES = ['x', 'y'];
const cluster = fc.record({
  namespaceLabels: fc.tuple(labels, labels),
  pods: fc.array(fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    labels,
    ports: fc.subarray([{ name: 'http', containerPort: 8080 }, { name: 'http', containerPort: 80 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }])
      .map((ps) => ps.filter((p, i) => ps.findIndex((q) => q.name === p.name) === i)),
    ip: fc.option(fc.constantFrom('10.1.2.3', '10.2.0.1', '192.168.1.1', 'fd00::1'), { nil: undefined }),
  }), { minLength: 1, maxLength: 6 }),
  policies: fc.array(fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    podSelector: selector,
    policyTypes: fc.option(fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
    ingress: fc.option(fc.array(rule('from'), { maxLength: 3 }), { nil: undefined }),
    egress: fc.option(fc.array(rule('to'), { maxLength: 3 }), { nil: undefined }),
  }), { maxLength: 6 }),
  podCidrs: fc.constantFrom([], ['10.0.0.0/8'], ['10.1.0.0/16', 'fd00::/8']),
});
type ClusterInput = typeof cluster extends fc.Arbitrary<infer T> ? T : never;

function compiled(input: ClusterInput) {
  const docs = [
    ...NAMESPACES.map((name, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: input.namespaceLabels[i] } })),
    ...input.pods.map((p, i) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: p.namespace, labels: p.labels },
      spec: { containers: [{ name: 'c', ports: p.ports }] }, ...(p.ip ? { status: { podIP: p.ip } } : {}),
    })),
    ...input.policies.map((p, i) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.namespace },
      spec: { podSelector: p.podSelector, ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
        ...(p.ingress ? { ingress: p.ingress } : {}), ...(p.egress ? { egress: p.egress } : {}) },
    })),
  ];
  const parsed = parseManifests([{ name: 'input.yaml', text: docs.map((d) => JSON.stringify(d)).join('\n---\n') }]);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const podCidrs = input.podCidrs.map((c) => (parseCidr(c) as Extract<ReturnType<typeof parseCidr>, { ok: true }>).range);
  const namespaceLabels = new Map(parsed.cluster.namespaces.map((n) => [n.name, n.labels]));
  const subjects: PodSubject[] = parsed.cluster.workloads.map((w) => workloadSubject(w, namespaceLabels.get(w.namespace), { withPodIPs: podCidrs.length > 0 }));
  return { cluster: parsed.cluster, subjects, podCidrs, index: indexPolicies(parsed.cluster.policies, parsed.cluster.clusterPolicies) };
}

const verdictText = (v: { ports: Parameters<typeof portsKey>[0]; via: readonly string[]; partial: boolean }) => `${portsKey(v.ports)} via ${v.via.join(',')}${v.partial ? ' partial' : ''}`;

describe('indexed flows', () => {
  it('give every pair of pod classes the verdict of walking every rule of both sides', () => {
    fc.assert(fc.property(cluster, fc.boolean(), (input, includeOpenPairs) => {
      const { subjects, podCidrs, index } = compiled(input);
      const flows = computeClassFlows(subjects, index, { podCidrs }, { includeOpenPairs });
      const actual = new Map(flows.pairs.map((p) => [`${p.source}->${p.target}`, verdictText(p.verdict)]));
      const expected = new Map<string, string>();
      subjects.forEach((s, i) => subjects.forEach((d, j) => {
        const v = pairVerdict(index, s, d, { podCidrs });
        const open = !flows.egressIsolated[i] && !flows.ingressIsolated[j];
        if (portsKey(v.ports) !== portsKey({ SCTP: [], TCP: [], UDP: [] }) && (includeOpenPairs || !open)) expected.set(`${i}->${j}`, verdictText(v));
      }));
      expect(actual).toEqual(expected);
      expect(actual.size).toBe(flows.pairs.length);
    }), { numRuns: 300, seed: 20261202 });
  });

  it('give every piece of the outside address space and every class the verdict of walking every rule', () => {
    fc.assert(fc.property(cluster, (input) => {
      const { cluster: c, subjects, podCidrs, index } = compiled(input);
      const flows = computeClassFlows(subjects, index, { podCidrs }, { includeOpenPairs: true });
      const universe = externalUniverse(podCidrs);
      const blocks = (direction: 'ingress' | 'egress') => c.policies.flatMap((p) => p[direction]).flatMap((r) => r.peers ?? [])
        .flatMap((p: Peer) => (p.kind === 'ipblock' ? p.ranges : []));
      const groups = groupExternalFlows({
        subjects,
        isolation: flows.isolation,
        ingressFromOutside: subjects.map((_s, i) => flows.ingressIsolated[i]! && flows.ingressFromOutside[i]!),
        egressToOutside: subjects.map((_s, i) => flows.egressIsolated[i]! && flows.egressToOutside[i]!),
        universe,
        inboundBoundaries: blocks('ingress'),
        outboundBoundaries: blocks('egress'),
        openFlows: [],
      });
      const text = (f: ExternalFlow) => `${f.classIndex} ${verdictText(f.flow)}`;
      for (const inbound of [true, false]) {
        // every atom lies in exactly one group of its direction, whose flows are the straightforward ones
        const atoms = splitAddressSpace(universe, blocks(inbound ? 'ingress' : 'egress'));
        const mine = groups.filter((g) => g.inbound === inbound);
        expect(mine.reduce((n, g) => n + g.ranges.length, 0)).toBe(atoms.length);
        for (const atom of atoms) {
          const group = mine.find((g) => g.ranges.some((r: AddressRange) => r.family === atom.family && r.lo === atom.lo && r.hi === atom.hi));
          expect(group).toBeDefined();
          const address = { kind: 'address', ranges: [atom] } as const;
          const expected = subjects.flatMap((pod, i) => {
            const isolated = inbound ? flows.ingressIsolated[i] : flows.egressIsolated[i];
            if (!isolated) return [];
            const v = inbound ? externalVerdict(index, address, pod, flows.evaluation) : externalVerdict(index, pod, address, flows.evaluation);
            return v ? [`${i} ${verdictText(v)}`] : [];
          });
          expect(group!.flows.map(text).sort()).toEqual(expected.sort());
        }
      }
    }), { numRuns: 300, seed: 20261203 });
  });
});
