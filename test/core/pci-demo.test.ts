import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrafficGraph, formatConnectionLines, parseManifests, toGraphJson } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';

const sourcesOf = (example: string) => () => {
  const dir = join(import.meta.dirname, `../../examples/${example}`);
  return readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'expectations.yaml').sort()
    .map((f) => ({ name: `examples/${example}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
};
const sources = sourcesOf('pci-demo');

describe('the seed demo (examples/pci-demo)', () => {
  it('allows exactly frontend → backend on TCP 6379 and TCP 80 into pci-frontend from outside the pod network', () => {
    const parsed = parseManifests(sources());
    expect(parsed.diagnostics).toEqual([]);
    const graph = buildTrafficGraph(parsed.cluster);
    expect(formatConnectionLines(graph)).toEqual([
      'default/pci-frontend[Deployment] => default/pci-backend[Deployment] : TCP 6379',
      'ipblock:0.0.0.0/0 except 10.96.0.0/12 => default/pci-frontend[Deployment] : TCP 80',
    ]);
    const json = toGraphJson(graph);
    const outside = json.endpoints.find((e) => e.id.startsWith('ipblock:'));
    expect(outside && 'ips' in outside ? outside.ips : []).not.toContain('10.96.0.0/12');
    expect(json.connections.map((c) => c.via)).toEqual([
      ['netpol:default/pci-backend-from-frontend#ingress[0]', 'netpol:default/pci-frontend-to-backend#egress[0]'],
      ['netpol:default/pci-frontend-from-outside#ingress[0]'],
    ]);
  });

  it('gives byte-identical JSON whatever the order of the input files', () => {
    const forward = toGraphJson(buildTrafficGraph(parseManifests(sources()).cluster));
    const backward = toGraphJson(buildTrafficGraph(parseManifests(sources().reverse()).cluster));
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });
});

describe('the seed demo written with Calico policies (examples/pci-demo-calico)', () => {
  const calicoSources = sourcesOf('pci-demo-calico');
  it('gives the same connection list as the NetworkPolicy version, each flow by its Calico rule', () => {
    const parsed = parseManifests(calicoSources(), { cni: 'calico' });
    expect(parsed.diagnostics).toEqual([]);
    const graph = buildTrafficGraph(parsed.cluster);
    expect(formatConnectionLines(graph)).toEqual(formatConnectionLines(buildTrafficGraph(parseManifests(sources()).cluster)));
    expect(toGraphJson(graph).connections.map((c) => c.via)).toEqual([
      ['calico:default/default/pci-backend-from-frontend#ingress[0]', 'calico:default/default/pci-frontend-to-backend#egress[0]'],
      ['calico:default/default/pci-frontend-from-outside#ingress[0]'],
    ]);
  });

  it('gives byte-identical JSON whatever the order of the input files', () => {
    const json = (list: ReturnType<typeof calicoSources>) => JSON.stringify(toGraphJson(buildTrafficGraph(parseManifests(list, { cni: 'calico' }).cluster)));
    const reversed = calicoSources().reverse().map((s) => ({ ...s, text: s.text.split('\n---\n').reverse().join('\n---\n') }));
    expect(json(reversed)).toBe(json(calicoSources()));
  });

  it('is judged for Calico without --cni, saying so, and draws no Calico flow under the generic profile', () => {
    const inferred = parseManifests(calicoSources());
    expect(inferred.cni.name).toBe('calico');
    expect(formatConnectionLines(buildTrafficGraph(inferred.cluster))).toHaveLength(2);
    const generic = parseManifests(calicoSources(), { cni: 'generic' });
    expect(generic.diagnostics.filter((d) => d.code === 'policy/not-evaluated')).toHaveLength(4);
  });
});

describe('the seed demo written with Cilium policies (examples/pci-demo-cilium)', () => {
  const ciliumSources = sourcesOf('pci-demo-cilium');
  it('gives the same connection list as the NetworkPolicy version, each flow by its Cilium rule', () => {
    const parsed = parseManifests(ciliumSources(), { cni: 'cilium' });
    expect(parsed.diagnostics).toEqual([]);
    const graph = buildTrafficGraph(parsed.cluster);
    expect(formatConnectionLines(graph)).toEqual(formatConnectionLines(buildTrafficGraph(parseManifests(sources()).cluster)));
    expect(toGraphJson(graph).connections.map((c) => c.via)).toEqual([
      ['cilium:default/pci-backend-from-frontend#ingress[0]', 'cilium:default/pci-frontend-to-backend#egress[0]'],
      ['cilium:default/pci-frontend-from-outside#ingress[0]'],
    ]);
  });
});

describe("Cilium's Star Wars demo (examples/star-wars-cilium)", () => {
  const app = sourcesOf('star-wars-cilium')().filter((s) => s.name.endsWith('http-sw-app.yaml'));
  // examples/minikube/sw_l3_l4_policy.yaml and sw_deny_policy.yaml (SOURCE.md), inline
  const l3l4 = 'apiVersion: "cilium.io/v2"\nkind: CiliumNetworkPolicy\nmetadata:\n  name: "rule1"\nspec:\n  endpointSelector:\n    matchLabels:\n      org: empire\n      class: deathstar\n  ingress:\n  - fromEndpoints:\n    - matchLabels:\n        org: empire\n    toPorts:\n    - ports:\n      - port: "80"\n        protocol: TCP\n';
  const denyAll = 'apiVersion: "cilium.io/v2"\nkind: CiliumNetworkPolicy\nmetadata:\n  name: "empire-default-deny"\nspec:\n  endpointSelector:\n    matchLabels:\n      org: empire\n  ingress:\n  - {}\n';
  const toDeathstar = (texts: { name: string; text: string }[]) => formatConnectionLines(buildTrafficGraph(parseManifests(texts, { cni: 'cilium' }).cluster)).filter((l) => l.includes('=> default/deathstar'));
  it('lands the TIE fighter on TCP 80 and not the X-wing, as the demo documents', () => {
    expect(toDeathstar([...app, { name: 'l3l4.yaml', text: l3l4 }])).toEqual(['default/tiefighter[Pod] => default/deathstar[Deployment] : TCP 80']);
  });
  it('marks the landing L7-restricted with the L7 policy (only POST /v1/request-landing passes)', () => {
    expect(toDeathstar(sourcesOf('star-wars-cilium')())).toEqual(['default/tiefighter[Pod] => default/deathstar[Deployment] : TCP 80 (L7-restricted)']);
  });
  it('lets no ship land under the Empire\'s default-deny', () => {
    expect(toDeathstar([...app, { name: 'deny.yaml', text: denyAll }])).toEqual([]);
  });
});
