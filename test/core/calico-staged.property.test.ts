import fc from 'fast-check';
import { previewStagedPolicies, toGraphJson } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { calicoClusterArb } from '../support/calico-arbitraries.js';
import { manifests } from '../support/cluster-arbitraries.js';
import { expectReferenceVerdicts } from '../support/reference-check.js';
import type { RefCalicoPolicy, RefCluster, RefPolicy } from '../support/reference.js';

// Staged Calico policies (docs.tigera.io reference/resources/stagednetworkpolicy and
// stagedkubernetesnetworkpolicy, and
// ConvertStagedPolicyToEnforced in api/pkg/apis/projectcalico/v3): never enforced, so the
// connections are those of the enforced policies alone; previewed, a `Set` stands in for the
// enforced policy of its kind, namespace and name (or is added), a `Delete` removes it. The preview
// is checked against the reference evaluator run on the cluster with the staged policies enforced.

const SAMPLE_PORTS = [1, 53, 80, 8080, 9090, 65535];
const SAMPLE_IPS = ['10.1.2.3', '8.8.8.8', '192.168.1.1'];

const keyOf = (p: RefCalicoPolicy) => `${p.kind}\u0000${p.namespace ?? ''}\u0000${p.name}`;

/** The staged policies as `Staged…` documents. */
function stagedText(staged: readonly { policy: RefCalicoPolicy; action: 'Set' | 'Delete' }[]): string {
  const text = manifests({ pods: [], namespaces: [], policies: [], calico: { tiers: [], policies: staged.map((s) => s.policy) } } as unknown as RefCluster);
  if (text.trim() === '') return '';
  const docs = text.split('\n---\n').map((d) => JSON.parse(d) as { kind: string; spec: Record<string, unknown> });
  return docs.map((d, i) => JSON.stringify({
    ...d, kind: `Staged${d.kind}`, spec: { ...d.spec, ...(staged[i]!.action === 'Delete' ? { stagedAction: 'Delete' } : {}) },
  })).join('\n---\n');
}

/** Kubernetes NetworkPolicies as StagedKubernetesNetworkPolicy documents. */
function stagedKnpText(staged: readonly { policy: RefPolicy; action: 'Set' | 'Delete' }[]): string {
  return staged.map((s) => JSON.stringify({
    apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata: { name: s.policy.name, namespace: s.policy.namespace },
    spec: s.action === 'Delete' ? { stagedAction: 'Delete' } : s.policy.spec,
  })).join('\n---\n');
}

const stagedArb = fc.record({
  cluster: calicoClusterArb,
  other: calicoClusterArb,
  actions: fc.array(fc.constantFrom<'Set' | 'Delete'>('Set', 'Set', 'Delete'), { minLength: 4, maxLength: 4 }),
  knpActions: fc.array(fc.constantFrom<'Set' | 'Delete'>('Set', 'Delete'), { minLength: 3, maxLength: 3 }),
}).map(({ cluster, other, actions, knpActions }) => {
  // the other cluster's policies are named c0, c1, … as well: some stand in for an enforced one, some are new
  const staged = other.calico!.policies.map((policy, i) => ({ policy, action: actions[i % actions.length]! }));
  const replaced = new Set(staged.map((s) => keyOf(s.policy)));
  // and its NetworkPolicies (named by index too) as StagedKubernetesNetworkPolicies, one per namespace and name
  const seen = new Set<string>();
  const stagedKnps = other.policies.filter((p) => !seen.has(`${p.namespace}/${p.name}`) && seen.add(`${p.namespace}/${p.name}`))
    .map((policy, i) => ({ policy, action: knpActions[i % knpActions.length]! }));
  const knpReplaced = new Set(stagedKnps.map((s) => `${s.policy.namespace}/${s.policy.name}`));
  const enforced: RefCluster = {
    ...cluster,
    policies: [...cluster.policies.filter((p) => !knpReplaced.has(`${p.namespace}/${p.name}`)), ...stagedKnps.filter((s) => s.action === 'Set').map((s) => s.policy)],
    calico: {
      ...cluster.calico!,
      policies: [...cluster.calico!.policies.filter((p) => !replaced.has(keyOf(p))), ...staged.filter((s) => s.action === 'Set').map((s) => s.policy)],
    },
  };
  return { cluster, staged, stagedKnps, enforced };
});

describe('staged Calico policies', () => {
  it('are never enforced, and their preview agrees with the reference evaluator run on the cluster with them enforced', () => {
    fc.assert(fc.property(stagedArb, ({ cluster, staged, stagedKnps, enforced }) => {
      const withStaged = [manifests(cluster), stagedText(staged), stagedKnpText(stagedKnps)].filter((t) => t !== '').join('\n---\n');
      const { parsed, json } = analyse(withStaged, { cni: 'calico' });
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(parsed.cluster.calico?.staged?.length).toBe(staged.length + stagedKnps.length);
      // never enforced: the connections are exactly those of the input without the staged policies
      expect(json.connections).toEqual(analyse(manifests(cluster), { cni: 'calico' }).json.connections);
      const preview = previewStagedPolicies(parsed.cluster);
      expect(preview.graphs).toBeDefined();
      expect(toGraphJson(preview.graphs!.enforced).connections).toEqual(json.connections);
      expectReferenceVerdicts(enforced, toGraphJson(preview.graphs!.staged), { ports: SAMPLE_PORTS, ips: SAMPLE_IPS });
      // and the changes are the difference between the two, pair by pair
      const before = new Map(json.connections.map((c) => [`${c.from} => ${c.to}`, JSON.stringify(c.ports)]));
      const after = new Map(toGraphJson(preview.graphs!.staged).connections.map((c) => [`${c.from} => ${c.to}`, JSON.stringify(c.ports)]));
      const pods = new Set(cluster.pods.map((p) => `${p.namespace}/${p.name}[Pod]`));
      const changed = new Set(preview.changes.filter((c) => pods.has(c.from) && pods.has(c.to)).map((c) => `${c.from} => ${c.to}`));
      for (const pair of new Set([...before.keys(), ...after.keys()])) {
        const [from, to] = pair.split(' => ');
        if (!pods.has(from!) || !pods.has(to!)) continue;
        expect(changed.has(pair)).toBe(before.get(pair) !== after.get(pair));
      }
    }), { numRuns: 120, seed: 20261203 });
  });
});
