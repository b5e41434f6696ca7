import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KIND_GROUPS } from '../../packages/core/src/manifests/kind-groups.js';
import { CLUSTER_KINDS, NOT_LISTED } from '../../packages/cli/src/cluster/kinds.js';

/** The resource name of a kind, as its API serves it (Multus names its own with a dash). */
const pluralOf = (kind: string) => kind === 'MultiNetworkPolicy' ? 'multi-networkpolicies'
  : kind.toLowerCase().replace(/([^aeiou])y$/, '$1ie').replace(/s$/, 'se') + 's';

describe('the kinds netdiagram lists from a cluster', () => {
  it('are every kind the loader reads, in the groups a current API server serves, but Secrets and ConfigMaps', () => {
    // `extensions` stopped serving these in Kubernetes 1.16, and OpenShift 3's legacy Route long before
    const legacy = (kind: string, group: string) => group === 'extensions' || (kind === 'Route' && group === '');
    for (const [kind, groups] of KIND_GROUPS) {
      for (const group of groups.filter((g) => !legacy(kind, g))) {
        const listed = CLUSTER_KINDS.some((k) => k.kind === kind && k.group === group);
        expect(listed || NOT_LISTED.has(kind), `${kind} in "${group}"`).toBe(true);
      }
    }
    expect(CLUSTER_KINDS.some((k) => NOT_LISTED.has(k.kind) && k.group === '')).toBe(false);
  });

  it('are exactly what the ClusterRole in examples/rbac grants, with get and list only', () => {
    const role = jsyaml.load(readFileSync(join(import.meta.dirname, '../../examples/rbac/netdiagram-reader.yaml'), 'utf8')) as {
      rules: { apiGroups?: string[]; resources?: string[]; nonResourceURLs?: string[]; verbs: string[] }[];
    };
    const granted = role.rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g}/${res}`))).sort();
    const needed = [...new Set(CLUSTER_KINDS.map((k) => `${k.group}/${pluralOf(k.kind)}`))].sort();
    expect(granted).toEqual(needed);
    expect(new Set(role.rules.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list']));
    expect(granted.filter((g) => /secrets|configmaps/.test(g))).toEqual([]);
  });
});
