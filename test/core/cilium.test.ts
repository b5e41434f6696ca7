import { auditCluster, buildTrafficGraph, computeScope, parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, flowsOf, namespace, pod, policy } from '../support/analyse.js';
import { admits, type PortsJson } from '../support/verdicts.js';

// Cilium's policies, each rule as its source states it (docs/semantics.md "Cilium" cites them):
// deny.rst (deny beats every allow, of any kind), layer3.rst (endpoints, entities, CIDRs, services),
// layer4.rst (toPorts), kubernetes.rst and utils.go getEndpointSelector (namespace scoping),
// rule_validation.go / repository.go (enableDefaultDeny, default-deny per direction).

const cnp = (name: string, ns: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec });
const ccnp = (name: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec });

const cluster = docs(
  namespace('star', { side: 'empire' }), namespace('rebels', { side: 'alliance' }),
  pod('star', 'deathstar', { org: 'empire', class: 'deathstar' }, [{ name: 'http', containerPort: 80 }, { containerPort: 81 }]),
  pod('star', 'tiefighter', { org: 'empire', class: 'tiefighter' }),
  pod('rebels', 'xwing', { org: 'alliance', class: 'xwing' }),
);
const flows = (...objects: string[]) => flowsOf([cluster, ...objects], { cni: 'cilium' });
const TIE = 'star/tiefighter[Pod] => star/deathstar[Pod]';
const XWING = 'rebels/xwing[Pod] => star/deathstar[Pod]';
const toDeathstar = { endpointSelector: { matchLabels: { class: 'deathstar' } } };

describe('Cilium namespace scoping', () => {
  it('confines a namespaced policy\'s fromEndpoints to its namespace, unless the selector names one', () => {
    const allowAll = cnp('p', 'star', { ...toDeathstar, ingress: [{ fromEndpoints: [{}] }] });
    expect(flows(allowAll).get(TIE)).toBe('All Connections');
    expect(flows(allowAll).get(XWING)).toBeUndefined();
    const named = cnp('p', 'star', { ...toDeathstar, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'rebels' } }] }] });
    expect(flows(named).get(XWING)).toBe('All Connections');
    expect(flows(named).get(TIE)).toBeUndefined();
    const byLabel = cnp('p', 'star', { ...toDeathstar, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.side': 'alliance' } }] }] });
    expect(flows(byLabel).get(XWING)).toBe('All Connections');
  });

  it('lets a clusterwide policy\'s {} mean every pod of every namespace, never the world', () => {
    const g = analyse([cluster, ccnp('c', { ...toDeathstar, ingress: [{ fromEndpoints: [{}] }] })], { cni: 'cilium' });
    const from = g.json.connections.filter((c) => c.to === 'star/deathstar[Pod]').map((c) => c.from);
    expect(from).toEqual(['rebels/xwing[Pod]', 'star/tiefighter[Pod]']);
  });
});

describe('Cilium entities and CIDRs', () => {
  const fromOutside = (ingress: unknown[]) => analyse([cluster, cnp('p', 'star', { ...toDeathstar, ingress })], { cni: 'cilium' })
    .json.connections.filter((c) => c.to === 'star/deathstar[Pod]').map((c) => c.from);
  it('draws world as every outside address, cluster as every pod, all as both', () => {
    expect(fromOutside([{ fromEntities: ['world'] }])).toEqual(['external']);
    expect(fromOutside([{ fromEntities: ['cluster'] }])).toEqual(['rebels/xwing[Pod]', 'star/tiefighter[Pod]']);
    expect(fromOutside([{ fromEntities: ['all'] }])).toEqual(['external', 'rebels/xwing[Pod]', 'star/tiefighter[Pod]']);
  });

  it('matches a CIDR set minus its exceptions, and never a pod, whatever --pod-cidr says', () => {
    const set = analyse([cluster, cnp('p', 'star', { ...toDeathstar, ingress: [{ fromCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] }] })], { cni: 'cilium' }).json;
    const from = set.connections.filter((c) => c.to === 'star/deathstar[Pod]').map((c) => set.endpoints.find((e) => e.id === c.from));
    expect(from.map((e) => (e && 'ips' in e ? e.ips : []))).toEqual([['10.0.0.0/10', '10.64.0.0/11', '10.112.0.0/12', '10.128.0.0/9']]);
    const g = analyse([cluster, cnp('p', 'star', { ...toDeathstar, ingress: [{ fromCIDR: ['0.0.0.0/0'] }] })], { cni: 'cilium', podCidrs: ['10.244.0.0/16'] });
    const sources = g.json.connections.filter((c) => c.to === 'star/deathstar[Pod]').map((c) => c.from);
    expect(sources).toHaveLength(1);
    expect(sources[0]!.startsWith('ipblock:')).toBe(true);
  });

  it('warns of the entities it cannot place', () => {
    const g = analyse([cluster, cnp('p', 'star', { ...toDeathstar, ingress: [{ fromEntities: ['host', 'kube-apiserver'] }] })], { cni: 'cilium' });
    expect(g.parsed.diagnostics.filter((d) => d.code === 'cilium/entity-not-drawn')).toHaveLength(2);
    expect(g.json.connections.filter((c) => c.to === 'star/deathstar[Pod]')).toEqual([]);
  });
});

describe('Cilium deny precedence (deny.rst)', () => {
  // the table's allow policies: L7 HTTP on 80, L4 80 and 81, L3 from the client
  const l3Allow = cnp('allow-l3', 'star', { ...toDeathstar, ingress: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }] }] });
  const l4Allow = cnp('allow-l4', 'star', { ...toDeathstar, ingress: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }, { port: '81', protocol: 'TCP' }] }] }] });
  const l4Deny = cnp('deny-l4', 'star', { ...toDeathstar, ingressDeny: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] });
  const l3Deny = cnp('deny-l3', 'star', { ...toDeathstar, ingressDeny: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }] }] });
  const sets: Record<string, string[]> = { allow: [l3Allow, l4Allow], 'allow, L4 deny': [l3Allow, l4Allow, l4Deny], 'allow, L4 and L3 deny': [l3Allow, l4Allow, l4Deny, l3Deny] };
  it.each([
    ['allow', true, true],
    ['allow, L4 deny', false, true],
    ['allow, L4 and L3 deny', false, false],
  ] as const)('policies %s: curl :80 allowed %s, curl :81 allowed %s', (set, port80, port81) => {
    const json = analyse([cluster, ...sets[set]!], { cni: 'cilium' }).json;
    const ports = json.connections.find((c) => c.from === 'star/tiefighter[Pod]' && c.to === 'star/deathstar[Pod]')?.ports as PortsJson | undefined;
    expect(admits(ports, 'TCP', 80)).toBe(port80);
    expect(admits(ports, 'TCP', 81)).toBe(port81);
  });

  it('beats an allow of a clusterwide policy and of a Kubernetes NetworkPolicy too', () => {
    const knp = policy('star', 'allow', { podSelector: { matchLabels: { class: 'deathstar' } }, ingress: [{}] });
    const deny = ccnp('deny-tie', { ...toDeathstar, ingressDeny: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }] }] });
    expect(flows(knp).get(TIE)).toBe('All Connections');
    expect(flows(knp, deny).get(TIE)).toBeUndefined();
    expect(flows(knp, deny).get(XWING)).toBe('All Connections');
    // a deny-only policy puts the endpoint into default-deny as well
    expect(flows(deny).get(XWING)).toBeUndefined();
  });
});

describe('Cilium default deny', () => {
  it('is on for a direction with rules unless enableDefaultDeny says false', () => {
    const only = (enable?: boolean) => cnp('p', 'star', { ...toDeathstar, ...(enable === undefined ? {} : { enableDefaultDeny: { ingress: enable } }), ingress: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }], toPorts: [{ ports: [{ port: '80' }] }] }] });
    expect(flows(only()).get(XWING)).toBeUndefined();
    expect(flows(only(false)).get(XWING)).toBe('All Connections');
    // an empty rule allows nothing but still isolates; an empty list isolates nothing
    expect(flows(cnp('p', 'star', { ...toDeathstar, ingress: [{}] })).get(TIE)).toBeUndefined();
    expect(flows(cnp('p', 'star', { ...toDeathstar, ingress: [] })).get(TIE)).toBe('All Connections');
  });

  it('counts a clusterwide endpointSelector: {} with ingress [{}] and egress [{}] as every namespace\'s default-deny', () => {
    const parsed = parseManifests([{ name: 'a.yaml', text: docs(cluster, ccnp('deny-all', { endpointSelector: {}, ingress: [{}], egress: [{}] })) }], { cni: 'cilium' });
    const graph = buildTrafficGraph(parsed.cluster);
    const findings = auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph)).map((f) => f.code);
    expect(findings.filter((c) => c.startsWith('namespace/no-default-deny'))).toEqual([]);
    expect(graph.someEdge((_k, a) => a.type === 'flow')).toBe(false);
  });
});

describe('Cilium ports, services and L7', () => {
  it('resolves named ports and ANY, and marks L7 rules', () => {
    const g = analyse([cluster, cnp('p', 'star', { ...toDeathstar, ingress: [{ fromEndpoints: [{ matchLabels: { class: 'tiefighter' } }], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }], rules: { http: [{ method: 'POST', path: '/v1/request-landing' }] } }] }] })], { cni: 'cilium' });
    const c = g.json.connections.find((x) => x.from === 'star/tiefighter[Pod]' && x.to === 'star/deathstar[Pod]');
    expect(c?.ports).toEqual([{ protocol: 'TCP', port: 80 }]);
    expect(c?.l7Restricted).toBe(true);
    expect(c?.via).toContain('cilium:star/p#ingress[0]');
  });

  it('matches toServices by the Service\'s selector', () => {
    const svc = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'deathstar', namespace: 'star' }, spec: { selector: { class: 'deathstar' }, ports: [{ port: 80 }] } });
    const f = flowsOf([cluster, svc, cnp('p', 'star', { endpointSelector: { matchLabels: { class: 'tiefighter' } }, egress: [{ toServices: [{ k8sService: { serviceName: 'deathstar', namespace: 'star' } }] }] })], { cni: 'cilium' });
    expect(f.get(TIE)).toBe('All Connections');
    expect(f.get('star/tiefighter[Pod] => rebels/xwing[Pod]')).toBeUndefined();
  });

  it('refuses endpointSelector beside nodeSelector, and warns of a nodeSelector rule', () => {
    const codes = (o: string) => parseManifests([{ name: 'a.yaml', text: o }], { cni: 'cilium' }).diagnostics.map((d) => `${d.severity} ${d.code}`);
    expect(codes(ccnp('x', { endpointSelector: {}, nodeSelector: {}, ingress: [{}] }))).toContain('error cilium/invalid');
    expect(codes(ccnp('x', { nodeSelector: {}, ingress: [{}] }))).toContain('warning cilium/host-policy-not-evaluated');
  });
});

describe('peers that are not evaluated', () => {
  const tieEgress = cnp('tie-out', 'star', {
    endpointSelector: { matchLabels: { class: 'tiefighter' } },
    egress: [
      { toFQDNs: [{ matchName: 'api.stripe.com' }, { matchPattern: '*.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { toEntities: ['kube-apiserver', 'host', 'none'] },
      { toGroups: [{ aws: { securityGroupsIds: ['sg-1'] } }] },
      { toEndpoints: [{ matchLabels: { class: 'deathstar' } }] },
    ],
    ingress: [{ fromRequires: [{ matchLabels: { env: 'prod' } }] }],
  });

  it('are matched to nothing, and listed with the rule, the workloads its policy selects and its ports', async () => {
    const { listNotEvaluatedPeers } = await import('@netdiagram/core');
    const { parsed, json } = analyse([cluster, tieEgress], { cni: 'cilium' });
    // matched to nothing: the tiefighter's only egress is to the deathstar
    expect(json.connections.filter((c) => c.from === 'star/tiefighter[Pod]').map((c) => c.to)).toEqual(['star/deathstar[Pod]']);
    expect(listNotEvaluatedPeers(parsed.cluster).map((p) => `${p.direction} ${p.action} ${p.peer} ${p.ports} ${p.rule} ${p.workloads.join(',')}`)).toEqual([
      'egress allow entity: host all cilium:star/tie-out#egress[1] star/tiefighter[Pod]',
      'egress allow entity: kube-apiserver all cilium:star/tie-out#egress[1] star/tiefighter[Pod]',
      'egress allow fqdn pattern: *.example.com TCP 443 cilium:star/tie-out#egress[0] star/tiefighter[Pod]',
      'egress allow fqdn: api.stripe.com TCP 443 cilium:star/tie-out#egress[0] star/tiefighter[Pod]',
      'ingress allow fromRequires: {"matchLabels":{"env":"prod"}} all cilium:star/tie-out#ingress[0] star/tiefighter[Pod]',
      'egress allow toGroups: {"aws":{"securityGroupsIds":["sg-1"]}} all cilium:star/tie-out#egress[2] star/tiefighter[Pod]',
    ]);
    // the warnings stay
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['cilium/fqdn-not-resolved', 'cilium/entity-not-drawn', 'cilium/peer-not-evaluated']));
  });

  it('are in the connections JSON and drawn as dashed peers, and the audit still fails', async () => {
    const { main } = await import('@netdiagram/cli');
    const { fakeIo, tempDir } = await import('../pci/support.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir();
    writeFileSync(join(dir, 'in.yaml'), docs(cluster, tieEgress));
    const json = fakeIo();
    expect(await main(['connections', dir, '--cni', 'cilium', '--format', 'json'], json)).toBe(0);
    const out = JSON.parse(json.out);
    expect(out.notEvaluatedPeers.map((p: { peer: string }) => p.peer)).toContain('fqdn: api.stripe.com');
    expect(out.connections.some((c: { to: string }) => c.to.includes('stripe'))).toBe(false);
    const svg = fakeIo();
    expect(await main(['diagram', dir, '--cni', 'cilium', '--format', 'svg', '--no-commit'], svg)).toBe(0);
    expect(svg.out).toContain('fqdn: api.stripe.com');
    expect(svg.out).toContain('TCP 443 · not evaluated');
    expect(svg.out).toContain('class="edge not-evaluated"');
    expect(svg.out).toContain('peer not evaluated (FQDN, group, entity, …): as the rule names it');
    // and the title block says in words that their traffic is missing (paper shows no tooltip)
    expect(svg.out).toContain('NOT EVALUATED: 6 peers the policies name (entity: host, entity: kube-apiserver, fqdn pattern: *.example.com and 3 more), matched to nothing and drawn dashed');
    // the audit fails: what those rules decide is missing from the flows
    const audit = fakeIo();
    expect(await main(['audit', dir, '--cni', 'cilium', '--format', 'json', '--fail-on', 'error'], audit)).toBe(1);
    const found = (JSON.parse(audit.out).findings as { code: string; severity: string; message: string }[]).filter((f) => f.code === 'policy/peer-not-evaluated');
    expect(found.map((f) => f.severity)).toEqual(Array(6).fill('error'));
    expect(found.map((f) => f.message)).toContain('cilium:star/tie-out#egress[0] allows egress to fqdn: api.stripe.com on TCP 443, which is not evaluated (matched to nothing), for star/tiefighter[Pod]');
    // without such peers, nothing of it is drawn
    const plainDir = tempDir();
    writeFileSync(join(plainDir, 'in.yaml'), cluster);
    const plain = fakeIo();
    expect(await main(['diagram', plainDir, '--cni', 'cilium', '--format', 'svg', '--no-commit'], plain)).toBe(0);
    expect(plain.out).not.toContain('not evaluated');
  });
});

describe('entities drawn by name', () => {
  it('names the outside addresses of world by the entity, and the diagram draws the name', async () => {
    const fromWorld = cnp('w', 'star', { ...toDeathstar, ingress: [{ fromEntities: ['world'] }] });
    const { graph } = analyse([cluster, fromWorld], { cni: 'cilium' });
    const external = graph.nodes().filter((id) => graph.getNodeAttribute(id, 'type') === 'external');
    expect(external.map((id) => [id, (graph.getNodeAttributes(id) as { names?: string[] }).names])).toEqual([['external', ['entity: world']]]);
    const { main } = await import('@netdiagram/cli');
    const { fakeIo, tempDir } = await import('../pci/support.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir();
    writeFileSync(join(dir, 'in.yaml'), docs(cluster, fromWorld));
    const io = fakeIo();
    expect(await main(['diagram', dir, '--format', 'svg', '--no-commit', '--cni', 'cilium'], io)).toBe(0);
    expect(io.out).toContain('>entity: world<');
    // a CIDR rule is no entity: its addresses keep their CIDR name
    const { graph: cidr } = analyse([cluster, cnp('c', 'star', { ...toDeathstar, ingress: [{ fromCIDR: ['8.8.8.0/24'] }] })], { cni: 'cilium' });
    expect(cidr.nodes().filter((id) => cidr.getNodeAttribute(id, 'type') === 'external').map((id) => (cidr.getNodeAttributes(id) as { names?: string[] }).names).filter((n) => n !== undefined)).toEqual([]);
  });
});
