import { toConnectionJson, type FlowEdge } from '@netdiagram/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { expectReferenceVerdicts } from '../support/reference-check.js';
import { admits, type PortsJson } from '../support/verdicts.js';
import { refAllowed, refPolicyIsValid, type RefCluster } from '../support/reference.js';
import { labelsArb, selectorArbOf, POD_PORTS, NAMESPACES, clusterArbOf, clusterArb, manifests } from '../support/cluster-arbitraries.js';

const SAMPLE_PORTS = [1, 52, 53, 54, 79, 80, 81, 82, 4999, 5000, 8079, 8080, 8081, 8082, 9090, 9091, 65535];
const SAMPLE_IPS = ['10.1.2.3', '10.3.0.1', '8.8.8.8', '8.8.9.9', '192.168.1.1'];


describe('the evaluator', () => {
  it('agrees with a brute-force reference evaluator on random clusters', () => {
    fc.assert(fc.property(clusterArb, (cluster) => {
      const { parsed, json } = analyse(manifests(cluster));
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expectReferenceVerdicts(cluster, json, { ports: SAMPLE_PORTS, ips: SAMPLE_IPS });
    }), { numRuns: 2000, seed: 20261123 });
  });
});

describe('policies with invalid selectors', () => {
  it('leaves out exactly the policies the API server rejects, with an error, and evaluates the rest exactly', () => {
    fc.assert(fc.property(clusterArbOf(selectorArbOf(true)), (cluster) => {
      const { parsed, json } = analyse(manifests(cluster));
      const valid = cluster.policies.filter(refPolicyIsValid);
      expect(parsed.cluster.policies.map((p) => p.name).sort()).toEqual(valid.map((p) => p.name).sort());
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.length > 0).toBe(valid.length < cluster.policies.length);
      const reference: RefCluster = { ...cluster, policies: valid };
      const conn = new Map(json.connections.map((c) => [`${c.from} => ${c.to}`, c.ports as PortsJson]));
      const id = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}[Pod]`;
      for (const src of cluster.pods) {
        for (const dst of cluster.pods) {
          if (src === dst) continue;
          for (const port of [53, 80, 8080]) {
            const expected = refAllowed(reference, { pod: src }, { pod: dst }, 'TCP', port);
            const actual = admits(conn.get(`${id(src)} => ${id(dst)}`), 'TCP', port);
            if (expected !== actual) throw new Error(`${id(src)} => ${id(dst)} TCP/${port}: expected ${expected}, got ${actual}`);
          }
        }
      }
    }), { numRuns: 500, seed: 20261203 });
  });
});

/**
 * Pods with owners: Deployments in the input (their template stands for pods the input lacks) and a
 * ReplicaSet missing from it. Owned pods carry their template's labels or labels of their own
 * (`kubectl label pod`), so folding must never hide a difference some selector sees.
 */
interface OwnedCluster {
  readonly cluster: RefCluster;
  readonly deployments: readonly { namespace: string; name: string; labels: Record<string, string>; ports: RefCluster['pods'][number]['ports'] }[];
  /** pod name → the owner named in its controller ownerReference */
  readonly owners: ReadonlyMap<string, { kind: 'Deployment' | 'ReplicaSet'; name: string }>;
}
const portsArb = fc.subarray(POD_PORTS).map((ps) => ps.filter((p, i) => ps.findIndex((q) => q.name === p.name) === i));
const ownedClusterArb: fc.Arbitrary<OwnedCluster> = fc.record({
  base: clusterArb,
  deployments: fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels: labelsArb, ports: portsArb }), { maxLength: 2 }),
  owned: fc.array(fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    owner: fc.constantFrom('d0', 'd1', 'missing'),
    relabelled: fc.boolean(),
    labels: labelsArb,
  }), { maxLength: 4 }),
}).map(({ base, deployments, owned }) => {
  const deps = deployments.map((d, i) => ({ ...d, name: `d${i}` }));
  const owners = new Map<string, { kind: 'Deployment' | 'ReplicaSet'; name: string }>();
  const pods = [...base.pods];
  owned.forEach((o, i) => {
    const dep = deps.find((d) => d.name === o.owner);
    const namespace = dep ? dep.namespace : o.namespace;
    const name = `o${i}`;
    const labels = dep && !o.relabelled ? dep.labels : o.labels;
    pods.push({ namespace, name, labels, ports: dep ? dep.ports : [] });
    owners.set(name, dep ? { kind: 'Deployment', name: dep.name } : { kind: 'ReplicaSet', name: 'gone' });
  });
  return { cluster: { ...base, pods }, deployments: deps, owners };
});

function ownedManifests({ cluster, deployments, owners }: OwnedCluster): string {
  const podDoc = (p: RefCluster['pods'][number]) => {
    const owner = owners.get(p.name);
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, controller: true }] } : {}) },
      spec: { containers: [{ name: 'c', ports: p.ports }] },
    };
  };
  const docs: unknown[] = [
    ...Object.entries(cluster.namespaces).map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    ...deployments.map((d) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: d.name, namespace: d.namespace },
      spec: { template: { metadata: { labels: d.labels }, spec: { containers: [{ name: 'c', ports: d.ports }] } } },
    })),
    ...cluster.pods.map(podDoc),
    ...cluster.policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec: p.spec })),
  ];
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

describe('pods with owners', () => {
  it('judges every pod by its own labels: folding into an owner never changes a verdict', () => {
    fc.assert(fc.property(ownedClusterArb, (owned) => {
      const { parsed, json } = analyse(ownedManifests(owned));
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const endpoints = new Set(json.endpoints.map((e) => e.id));
      // each Deployment's template stands for the pods of it the input does not hold
      const templates = owned.deployments.map((d) => ({ namespace: d.namespace, name: `template-of-${d.name}`, labels: d.labels, ports: d.ports }));
      const reference: RefCluster = { ...owned.cluster, pods: [...owned.cluster.pods, ...templates] };
      const workloadOf = (p: { namespace: string; name: string }): string => {
        if (p.name.startsWith('template-of-')) return `${p.namespace}/${p.name.slice('template-of-'.length)}[Deployment]`;
        const own = `${p.namespace}/${p.name}[Pod]`;
        if (endpoints.has(own)) return own;
        const owner = owned.owners.get(p.name);
        if (!owner) throw new Error(`${own} is neither drawn nor owned`);
        const id = `${p.namespace}/${owner.name}[${owner.kind}]`;
        if (!endpoints.has(id)) throw new Error(`${own} is folded into ${id}, which is not drawn`);
        return id;
      };
      const conn = new Map(json.connections.map((c) => [`${c.from} => ${c.to}`, c.ports as PortsJson]));
      for (const src of reference.pods) {
        for (const dst of reference.pods) {
          const from = workloadOf(src);
          const to = workloadOf(dst);
          if (from === to) continue;
          for (const protocol of ['TCP', 'UDP']) {
            for (const port of [53, 80, 8080, 9090]) {
              const expected = refAllowed(reference, { pod: src }, { pod: dst }, protocol, port);
              const actual = admits(conn.get(`${from} => ${to}`), protocol, port);
              if (expected !== actual) throw new Error(`${src.namespace}/${src.name} (${from}) => ${dst.namespace}/${dst.name} (${to}) ${protocol}/${port}: expected ${expected}, got ${actual}`);
            }
          }
        }
      }
    }), { numRuns: 1000, seed: 20261202 });
  });
});

describe('openFlows: omit', () => {
  it('leaves out exactly the pairs where neither side is isolated', () => {
    fc.assert(fc.property(clusterArb, (cluster) => {
      const text = manifests(cluster);
      const full = analyse(text).json.connections;
      const omitted = analyse(text, { openFlows: 'omit' });
      const open = (c: { via: readonly string[] }) => c.via.length === 2 && c.via[0] === 'default-allow:egress' && c.via[1] === 'default-allow:ingress';
      const isPod = (id: string) => id.endsWith('[Pod]');
      const expected = full.filter((c) => !(open(c) && isPod(c.from) && isPod(c.to)));
      const externalOpen = (c: { from: string; to: string; via: readonly string[] }) =>
        (!isPod(c.from) || !isPod(c.to)) && c.via.every((v) => v.startsWith('default-allow:'));
      // the graph's own flow edges (toGraphJson lists the omitted flows too, see below)
      const edges = omitted.graph.filterEdges((_k, a) => a.type === 'flow')
        .map((key) => toConnectionJson({ source: omitted.graph.source(key), target: omitted.graph.target(key), verdict: omitted.graph.getEdgeAttributes(key) as FlowEdge }))
        .sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0));
      expect(edges.filter((c) => !externalOpen(c))).toEqual(expected.filter((c) => !externalOpen(c)));
      // and it says how many it left out, so counts stay true
      expect(edges.length + omitted.graph.getAttribute('omittedOpenFlows')).toBe(full.length);
      // listed from the workloads' isolation, the omitted flows make the same JSON as the full graph's
      expect(omitted.json.connections).toEqual(full);
    }), { numRuns: 300, seed: 7 });
  });
});
