import { explainTraffic, parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, calico, docs, flowsOf, namespace, pod, policy } from '../support/analyse.js';

// Calico's tiered evaluation, each rule as its source states it (docs/semantics.md "Calico" cites them):
// tier.mdx (tiers by order, Pass, default actions), _rule.mdx (Log continues; Allow and Deny final),
// policy_sorter.go (order ties), conversion.go (Kubernetes NetworkPolicies in tier default at order 1000),
// updateprocessors/rules.go (how selector, namespaceSelector and notSelector combine).

const cluster = docs(
  namespace('shop', { team: 'shop' }),
  namespace('ops'),
  pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
  pod('shop', 'db', { app: 'db' }, [{ containerPort: 5432 }]),
  pod('ops', 'probe', { app: 'probe', blocked: 'yes' }),
);
const flows = (...objects: string[]) => flowsOf([cluster, ...objects], { cni: 'calico' });
const tier = (name: string, order: number | undefined, defaultAction?: 'Deny' | 'Pass') =>
  calico('Tier', name, undefined, { ...(order !== undefined ? { order } : {}), ...(defaultAction ? { defaultAction } : {}) });
const dbIngress = (name: string, spec: Record<string, unknown>, ns = 'shop') =>
  calico('NetworkPolicy', name, ns, { selector: "app == 'db'", types: ['Ingress'], ...spec });
const fromWeb = { source: { selector: "app == 'web'" } };
const WEB_DB = 'shop/web[Pod] => shop/db[Pod]';
const PROBE_DB = 'ops/probe[Pod] => shop/db[Pod]';

describe('Calico tiers', () => {
  it('walks tiers by order: the first tier that matches decides', () => {
    const a = (order: number) => docs(tier('first', order), calico('NetworkPolicy', 'deny', 'shop', { tier: 'first', selector: "app == 'db'", ingress: [{ action: 'Deny', ...fromWeb }] }));
    const b = (order: number) => docs(tier('second', order), calico('NetworkPolicy', 'allow', 'shop', { tier: 'second', selector: "app == 'db'", ingress: [{ action: 'Allow', ...fromWeb }] }));
    expect(flows(a(100), b(200)).get(WEB_DB)).toBeUndefined();
    expect(flows(a(200), b(100)).get(WEB_DB)).toBe('All Connections');
  });

  it('breaks an order tie between tiers by name, and puts a tier without order last', () => {
    const deny = (t: string) => calico('NetworkPolicy', `deny-${t}`, 'shop', { tier: t, selector: "app == 'db'", ingress: [{ action: 'Deny', ...fromWeb }] });
    const allow = (t: string) => calico('NetworkPolicy', `allow-${t}`, 'shop', { tier: t, selector: "app == 'db'", ingress: [{ action: 'Allow', ...fromWeb }] });
    expect(flows(tier('aa', 5), tier('bb', 5), allow('aa'), deny('bb')).get(WEB_DB)).toBe('All Connections');
    expect(flows(tier('aa', 5), tier('bb', 5), deny('aa'), allow('bb')).get(WEB_DB)).toBeUndefined();
    expect(flows(tier('aa', undefined), tier('zz', 9_999_999_999), deny('aa'), allow('zz')).get(WEB_DB)).toBe('All Connections');
  });

  it('orders policies within a tier by order, unset last, ties by name', () => {
    const p = (name: string, action: string, order?: number) => dbIngress(name, { ...(order !== undefined ? { order } : {}), ingress: [{ action, ...fromWeb }] });
    expect(flows(p('a-deny', 'Deny', 20), p('b-allow', 'Allow', 10)).get(WEB_DB)).toBe('All Connections');
    expect(flows(p('a-deny', 'Deny'), p('b-allow', 'Allow', 10)).get(WEB_DB)).toBe('All Connections');
    expect(flows(p('a-deny', 'Deny', 10), p('b-allow', 'Allow', 10)).get(WEB_DB)).toBeUndefined();
    expect(flows(p('b-deny', 'Deny', 10), p('a-allow', 'Allow', 10)).get(WEB_DB)).toBe('All Connections');
  });

  it('lets the first matching rule decide per port, so a later rule decides the ports an earlier one did not match', () => {
    const f = flows(dbIngress('p', { ingress: [
      { action: 'Deny', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] } },
      { action: 'Allow', ...fromWeb },
    ] }));
    expect(f.get(WEB_DB)).toBe('SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535');
  });

  it('hands the ports a Pass matches to the next tier that applies, skipping the rest of its own tier', () => {
    const platform = docs(tier('platform', 100),
      calico('GlobalNetworkPolicy', 'pass-shop', undefined, { tier: 'platform', selector: "projectcalico.org/namespace == 'shop'", ingress: [{ action: 'Pass', source: { namespaceSelector: "team == 'shop'" } }, { action: 'Deny' }] }));
    const f = flows(platform, dbIngress('allow-web', { ingress: [{ action: 'Allow', ...fromWeb }] }));
    expect(f.get(WEB_DB)).toBe('All Connections');
    expect(f.get(PROBE_DB)).toBeUndefined();
  });

  it('lets a Log rule match and carry on to the next rule', () => {
    const f = flows(dbIngress('p', { ingress: [{ action: 'Log', ...fromWeb }, { action: 'Allow', ...fromWeb }] }));
    expect(f.get(WEB_DB)).toBe('All Connections');
    expect(flows(dbIngress('p', { ingress: [{ action: 'Log', ...fromWeb }] })).get(WEB_DB)).toBeUndefined();
  });

  it('gives traffic a tier matches nothing of its default action: Deny, or Pass to the next tier', () => {
    const watch = (action?: 'Deny' | 'Pass') => docs(tier('watch', 10, action),
      calico('GlobalNetworkPolicy', 'watch-db', undefined, { tier: 'watch', selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: "app == 'nothing'" } }] }));
    expect(flows(watch()).get(WEB_DB)).toBeUndefined();
    expect(flows(watch('Deny')).get(WEB_DB)).toBeUndefined();
    // passed on, and no later tier applies: the namespace's profile allows
    expect(flows(watch('Pass')).get(WEB_DB)).toBe('All Connections');
  });

  it('allows what no tier applies to, and what the last tier passes, by the namespace profile', () => {
    const f = flows(dbIngress('p', { ingress: [{ action: 'Allow', ...fromWeb }] }));
    expect(f.get('ops/probe[Pod] => shop/web[Pod]')).toBe('All Connections');
    expect(f.get(PROBE_DB)).toBeUndefined();
  });
});

describe('Kubernetes NetworkPolicies under the calico profile', () => {
  const knp = policy('shop', 'db-from-web', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] });
  it('sit in tier default at order 1000: a Calico policy with a lower order decides first, a higher one after', () => {
    const denyAll = (order: number) => dbIngress('deny', { order, ingress: [{ action: 'Deny' }] });
    expect(flows(knp).get(WEB_DB)).toBe('TCP 5432');
    expect(flows(knp, denyAll(500)).get(WEB_DB)).toBeUndefined();
    expect(flows(knp, denyAll(2000)).get(WEB_DB)).toBe('TCP 5432');
    // an Allow after the KNP in the same tier opens what the KNP does not
    expect(flows(knp, dbIngress('more', { order: 2000, ingress: [{ action: 'Allow', source: { selector: "app == 'probe'" } }] })).get(PROBE_DB)).toBeUndefined();
    expect(flows(knp, dbIngress('more', { order: 2000, ingress: [{ action: 'Allow', source: { namespaceSelector: 'all()', selector: "app == 'probe'" } }] })).get(PROBE_DB)).toBe('All Connections');
  });

  it('give the same flows as without Calico objects when alone', () => {
    const plain = flowsOf([cluster, knp]);
    expect(flows(knp)).toEqual(plain);
  });
});

describe('Calico rule fields', () => {
  const gnpIngress = (ingress: unknown[]) => calico('GlobalNetworkPolicy', 'g', undefined, { selector: "app == 'db'", types: ['Ingress'], ingress });

  it('matches outside addresses with notSelector in a GlobalNetworkPolicy, and only the policy namespace in a NetworkPolicy', () => {
    const g = analyse([cluster, gnpIngress([{ action: 'Allow', source: { notSelector: 'has(blocked)' } }])], { cni: 'calico' });
    const to = g.json.connections.filter((c) => c.to === 'shop/db[Pod]').map((c) => c.from);
    expect(to).toContain('shop/web[Pod]');
    expect(to).not.toContain('ops/probe[Pod]');
    expect(to.some((f) => f.startsWith('ipblock:') || f === 'external')).toBe(true);
    const n = analyse([cluster, dbIngress('n', { ingress: [{ action: 'Allow', source: { notSelector: 'has(blocked)' } }] })], { cni: 'calico' });
    expect(n.json.connections.filter((c) => c.to === 'shop/db[Pod]').map((c) => c.from)).toEqual(['shop/web[Pod]']);
  });

  it('matches notNets outside the named addresses, outside addresses included', () => {
    const g = analyse([cluster, gnpIngress([{ action: 'Allow', source: { notNets: ['10.0.0.0/8'] } }])], { cni: 'calico' });
    const from = g.json.connections.filter((c) => c.to === 'shop/db[Pod]').map((c) => c.from);
    expect(from).toContain('shop/web[Pod]');
    expect(from.filter((f) => f.startsWith('ipblock:'))).toEqual(['ipblock:* except 10.0.0.0/8']);
  });

  it('matches the addresses of the NetworkSets and GlobalNetworkSets a selector picks', () => {
    const sets = docs(
      calico('GlobalNetworkSet', 'partners', undefined, { nets: ['203.0.113.0/24'] }, { role: 'partner' }),
      calico('NetworkSet', 'office', 'shop', { nets: ['198.51.100.0/24'] }, { role: 'partner' }),
    );
    const global = analyse([cluster, sets, gnpIngress([{ action: 'Allow', source: { selector: "role == 'partner'" } }])], { cni: 'calico' });
    expect(global.json.connections.filter((c) => c.to === 'shop/db[Pod]').map((c) => c.from)).toEqual(['ipblock:198.51.100.0/24,203.0.113.0/24']);
    // a NetworkPolicy's selector sees its own namespace's sets; global() sees the global ones
    const local = analyse([cluster, sets, dbIngress('n', { ingress: [{ action: 'Allow', source: { selector: "role == 'partner'" } }] })], { cni: 'calico' });
    expect(local.json.connections.filter((c) => c.to === 'shop/db[Pod]').map((c) => c.from)).toEqual(['ipblock:198.51.100.0/24']);
    const globalOnly = analyse([cluster, sets, dbIngress('n', { ingress: [{ action: 'Allow', source: { namespaceSelector: 'global()', selector: "role == 'partner'" } }] })], { cni: 'calico' });
    expect(globalOnly.json.connections.filter((c) => c.to === 'shop/db[Pod]').map((c) => c.from)).toEqual(['ipblock:203.0.113.0/24']);
  });

  it('names the outside addresses of NetworkSets by the sets, in the graph and on the diagram', async () => {
    const sets = docs(
      calico('GlobalNetworkSet', 'partners', undefined, { nets: ['203.0.113.0/24'] }, { role: 'partner' }),
      calico('NetworkSet', 'office', 'shop', { nets: ['198.51.100.0/24'] }, { role: 'partner' }),
    );
    const names = (text: string) => {
      const { graph } = analyse([cluster, sets, text], { cni: 'calico' });
      return graph.nodes().filter((id) => graph.getNodeAttribute(id, 'type') === 'external' && /^ipblock:\d/.test(id)).map((id) => `${id}: ${(graph.getNodeAttributes(id) as { names?: string[] }).names?.join(' + ') ?? '-'}`);
    };
    // two sets one selector picks make one address set, named by both
    expect(names(gnpIngress([{ action: 'Allow', source: { selector: "role == 'partner'" } }]))).toEqual(['ipblock:198.51.100.0/24,203.0.113.0/24: globalnetset: partners + netset: shop/office']);
    expect(names(dbIngress('n', { ingress: [{ action: 'Allow', source: { selector: "role == 'partner'" } }] }))).toEqual(['ipblock:198.51.100.0/24: netset: shop/office']);
    // addresses that are more than a set's are not named by it
    expect(names(dbIngress('n', { ingress: [{ action: 'Allow', source: { nets: ['198.51.100.0/23'] } }] }))).toEqual(['ipblock:198.51.100.0/23: -']);
    const { main } = await import('@netdiagram/cli');
    const { fakeIo, tempDir } = await import('../pci/support.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir();
    writeFileSync(join(dir, 'in.yaml'), docs(cluster, sets, dbIngress('n', { ingress: [{ action: 'Allow', source: { selector: "role == 'partner'" } }] })));
    const io = fakeIo();
    expect(await main(['diagram', dir, '--format', 'svg', '--no-commit', '--cni', 'calico'], io)).toBe(0);
    expect(io.out).toContain('>netset: shop/office<');
    expect(io.out).toContain('netset: shop/office: outside addresses 198.51.100.0/24');
    expect(io.out).toContain('named addresses (NetworkSet, Cilium entity): CIDRs in its tooltip');
    // the connections keep their ids
    const json = fakeIo();
    expect(await main(['connections', dir, '--format', 'json', '--cni', 'calico'], json)).toBe(0);
    expect(JSON.parse(json.out).connections.map((c: { from: string }) => c.from)).toContain('ipblock:198.51.100.0/24');
  });

  it('resolves named ports against the destination pod, numbers and ranges as written', () => {
    const web = (ports: unknown[]) => calico('NetworkPolicy', 'w', 'shop', { selector: "app == 'web'", ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports } }] });
    expect(flows(web(['http'])).get('shop/db[Pod] => shop/web[Pod]')).toBe('TCP 8080');
    expect(flows(web(['8000:8100', 9090])).get('shop/db[Pod] => shop/web[Pod]')).toBe('TCP 8000-8100,9090');
    const notPorts = calico('NetworkPolicy', 'w', 'shop', { selector: "app == 'web'", ingress: [{ action: 'Allow', protocol: 'UDP', destination: { notPorts: ['1:1000'] } }] });
    expect(flows(notPorts).get('shop/db[Pod] => shop/web[Pod]')).toBe('UDP 1001-65535');
  });

  it('names the deciding rule in via, tier and namespace included', () => {
    const g = analyse([cluster, dbIngress('allow-web', { ingress: [{ action: 'Deny', source: { selector: "app == 'probe'" } }, { action: 'Allow', ...fromWeb }] })], { cni: 'calico' });
    expect(g.json.connections.find((c) => c.from === 'shop/web[Pod]' && c.to === 'shop/db[Pod]')?.via).toEqual(['calico:default/shop/allow-web#ingress[1]', 'default-allow:egress']);
  });

  it('marks flows an http rule admits as L7-restricted', () => {
    const g = analyse([cluster, dbIngress('h', { ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, http: { methods: ['GET'] } }] })], { cni: 'calico' });
    expect(g.json.connections.find((c) => c.from === 'shop/web[Pod]' && c.to === 'shop/db[Pod]')?.l7Restricted).toBe(true);
    expect(g.parsed.diagnostics.map((d) => d.code)).toContain('calico/l7-not-evaluated');
  });
});

describe('Calico validation', () => {
  const codes = (...objects: string[]) => parseManifests(objects.map((text, i) => ({ name: `in-${i}.yaml`, text })), { cni: 'calico' }).diagnostics.map((d) => `${d.severity} ${d.code}`);

  it('reports a selector that does not parse at its character in the manifest', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  selector: app = "web"\n';
    const d = parseManifests([{ name: 'p.yaml', text }], { cni: 'calico' }).diagnostics.find((x) => x.code === 'calico/invalid-selector');
    expect(d?.location).toMatchObject({ line: 5, column: 17 });
    expect(d?.message).toContain("does not parse at character 5: expected '=='");
    const quoted = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  selector: "app == web"\n';
    expect(parseManifests([{ name: 'q.yaml', text: quoted }], { cni: 'calico' }).diagnostics.find((x) => x.code === 'calico/invalid-selector')?.location).toMatchObject({ line: 5, column: 21 });
  });

  it.each([
    ['numeric ports without a protocol', { ingress: [{ action: 'Allow', destination: { ports: [80] } }] }],
    ['ports with a protocol that has none', { ingress: [{ action: 'Allow', protocol: 'ICMP', destination: { ports: [80] } }] }],
    ['a catch-all notNets', { ingress: [{ action: 'Allow', source: { notNets: ['0.0.0.0/0'] } }] }],
    ['IPv4 and IPv6 CIDRs in one rule', { ingress: [{ action: 'Allow', source: { nets: ['10.0.0.0/8', 'fd00::/8'] } }] }],
    ['an unknown action', { ingress: [{ action: 'Accept' }] }],
    ['global() with more in a namespaceSelector', { ingress: [{ action: 'Allow', source: { namespaceSelector: 'global() && has(a)' } }] }],
    ['services with a selector', { ingress: [{ action: 'Allow', source: { services: { name: 'x' }, selector: 'has(a)' } }] }],
    ['a backwards port range', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['90:80'] } }] }],
  ])('refuses %s, as the API server does, and leaves the policy out', (_what, spec) => {
    const c = codes(cluster, calico('NetworkPolicy', 'bad', 'shop', { selector: "app == 'db'", ...spec }));
    expect(c.filter((x) => x.startsWith('error'))).not.toEqual([]);
    expect(flowsOf([cluster, calico('NetworkPolicy', 'bad', 'shop', { selector: "app == 'db'", ...spec })], { cni: 'calico' }).get(WEB_DB)).toBe('All Connections');
  });

  it('accepts named ports without a protocol, and warns of what it does not evaluate', () => {
    expect(codes(calico('NetworkPolicy', 'n', 'shop', { ingress: [{ action: 'Allow', destination: { ports: ['http'] } }] })).filter((c) => c.startsWith('error'))).toEqual([]);
    expect(codes(calico('StagedNetworkPolicy', 's', 'shop', {}))).toContain('warning calico/staged-not-enforced');
    expect(codes(calico('HostEndpoint', 'h', undefined, {}))).toContain('warning calico/host-endpoint-not-evaluated');
    expect(codes(calico('GlobalNetworkPolicy', 'g', undefined, { preDNAT: true, applyOnForward: true, ingress: [{ action: 'Deny' }] }))).toContain('warning calico/host-endpoint-not-evaluated');
    expect(codes(calico('NetworkPolicy', 'n', 'shop', { tier: 'nowhere' }))).toContain('warning calico/unknown-tier');
  });
});

describe('explain under the calico profile', () => {
  it('shows the tier walk: each tier that applies, what its rules decided, and its default action', () => {
    const parsed = parseManifests([{ name: 'a.yaml', text: docs(cluster, tier('platform', 10, 'Pass'),
      calico('GlobalNetworkPolicy', 'pass-all', undefined, { tier: 'platform', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass', ...fromWeb }] }),
      dbIngress('allow-web', { ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] } }] })) }], { cni: 'calico' });
    const explained = explainTraffic(parsed.cluster, { from: 'shop/web', to: 'shop/db', ports: ['5432'] });
    const ingress = JSON.parse(JSON.stringify(explained)).explanation.pairs[0].directions.find((d: { direction: string }) => d.direction === 'ingress');
    expect(ingress.tierWalk.map((s: { tier: string; policies: string[] }) => [s.tier, s.policies])).toEqual([
      ['platform', ['calico:platform/pass-all']], ['default', ['calico:default/shop/allow-web']],
    ]);
    expect(ingress.summary).toBe('ingress of shop/db[Pod] (Calico tiers): tier platform (calico:platform/pass-all): calico:platform/pass-all#ingress[0] passes All Connections to the next tier; '
      + 'tier default (calico:default/shop/allow-web): calico:default/shop/allow-web#ingress[0] allows shop/web[Pod] on TCP 5432; no rule matches SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535: the tier\'s default action denies it');
  });
});

describe('audit under the calico profile', () => {
  const findings = async (...objects: string[]) => {
    const { auditCluster, buildTrafficGraph, computeScope } = await import('@netdiagram/core');
    const parsed = parseManifests([{ name: 'a.yaml', text: docs(cluster, ...objects) }], { cni: 'calico' });
    const graph = buildTrafficGraph(parsed.cluster);
    return auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph)).map((f) => `${f.code} ${f.object}`).filter((f) => f.includes('default-deny')).sort();
  };
  it('counts a GlobalNetworkPolicy selecting all() with no rules, in a tier whose default is Deny, as default-deny', async () => {
    const none = await findings();
    expect(none).toContain('namespace/no-default-deny-ingress shop[Namespace]');
    const gnp = (types: string[], t?: string) => calico('GlobalNetworkPolicy', 'default-deny', undefined, { selector: 'all()', types, ...(t ? { tier: t } : {}) });
    expect(await findings(gnp(['Ingress', 'Egress']))).toEqual([]);
    expect(await findings(gnp(['Ingress']))).toEqual(['namespace/no-default-deny-egress ops[Namespace]', 'namespace/no-default-deny-egress shop[Namespace]']);
    // in a tier that passes what it does not match, it denies nothing
    expect(await findings(tier('open', 5, 'Pass'), gnp(['Ingress', 'Egress'], 'open'))).toHaveLength(4);
    // a rule in the direction is no longer default-deny; a namespaceSelector confines it
    expect(await findings(calico('GlobalNetworkPolicy', 'g', undefined, { selector: 'all()', namespaceSelector: "team == 'shop'", types: ['Ingress', 'Egress'] })))
      .toEqual(['namespace/no-default-deny-egress ops[Namespace]', 'namespace/no-default-deny-ingress ops[Namespace]']);
  });
});

describe('exposure under the calico profile', () => {
  it('judges each representative peer by the tier walk, and reports a selector with no member form for the entire cluster', async () => {
    const { computeExposure } = await import('@netdiagram/core');
    const p = parseManifests([{ name: 'a.yaml', text: docs(cluster,
      dbIngress('from-web', { ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'web'" }, destination: { ports: [5432] } }] }),
      dbIngress('either', { ingress: [{ action: 'Allow', protocol: 'UDP', source: { selector: "app == 'a' || app == 'b'" }, destination: { ports: [53] } }] })) }], { cni: 'calico' });
    const rows = computeExposure(p.cluster).rows.filter((r) => r.workload === 'shop/db[Pod]' && r.direction === 'ingress');
    expect(rows.map((r) => [JSON.stringify(r.peer), r.via])).toEqual([
      [JSON.stringify({ namespace: 'shop', podSelector: { requirements: [{ key: 'app', operator: 'In', values: ['web'] }] } }), ['calico:default/shop/from-web#ingress[0]']],
      [JSON.stringify({ namespaceSelector: { requirements: [] }, podSelector: { requirements: [] } }), ['calico:default/shop/either#ingress[0]']],
    ]);
  });
});

describe('staged Calico policies', () => {
  it('are never enforced, and say what they would change were they enforced', async () => {
    const { buildTrafficGraph, stagedPolicyChanges } = await import('@netdiagram/core');
    const stagedDeny = JSON.stringify({
      apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'lock-db', namespace: 'shop' },
      spec: { selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] } }] },
    });
    const parsed = parseManifests([{ name: 'a.yaml', text: docs(cluster, stagedDeny) }], { cni: 'calico' });
    const graph = buildTrafficGraph(parsed.cluster);
    // not enforced: the db is open
    expect(graph.hasEdge('flow:ops/probe[Pod]->shop/db[Pod]')).toBe(true);
    const messages = stagedPolicyChanges(parsed.cluster, graph).map((d) => d.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('StagedNetworkPolicy shop/lock-db (stagedAction Set) is not enforced; enforced, it would add 0, remove 2 and change 1 flows: external => shop/db[Pod] (-All Connections)');
    expect(messages[0]).toContain('ops/probe[Pod] => shop/db[Pod] (-All Connections)');
    expect(messages[0]).toContain('shop/web[Pod] => shop/db[Pod] (-SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535)');
    // a Delete previews the enforced policy of its name gone
    const enforced = dbIngress('lock-db', { ingress: [{ action: 'Allow', ...fromWeb }] });
    const deleting = JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'StagedNetworkPolicy', metadata: { name: 'lock-db', namespace: 'shop' }, spec: { stagedAction: 'Delete', selector: "app == 'db'" } });
    const p2 = parseManifests([{ name: 'b.yaml', text: docs(cluster, enforced, deleting) }], { cni: 'calico' });
    const d2 = stagedPolicyChanges(p2.cluster, buildTrafficGraph(p2.cluster)).map((d) => d.message);
    expect(d2[0]).toContain('(stagedAction Delete) is not enforced; enforced, it would add 2, remove 0 and change 0 flows: external => shop/db[Pod] (+All Connections); ops/probe[Pod] => shop/db[Pod] (+All Connections)');
  });
});

describe('staged policies, all applied at once', () => {
  const staged = (name: string, spec: Record<string, unknown>, kind = 'StagedNetworkPolicy', ns: string | undefined = 'shop') => JSON.stringify({
    apiVersion: 'projectcalico.org/v3', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec,
  });
  // web may send to db on 5432 only, and db admit web on 5432 only: each alone changes nothing the other does not already allow
  const webEgress = calico('NetworkPolicy', 'web-out', 'shop', { selector: "app == 'web'", types: ['Egress'], egress: [{ action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'db'", ports: [5432] } }] });
  const dbIn = dbIngress('db-in', { ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] } }] });
  const widen = (spec: Record<string, unknown>) => JSON.parse(JSON.stringify(spec).replace('[5432]', '[5432,9187]')) as Record<string, unknown>;
  const stagedWebOut = staged('web-out', widen({ selector: "app == 'web'", types: ['Egress'], egress: [{ action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'db'", ports: [5432] } }] }));
  const stagedDbIn = staged('db-in', widen({ selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] } }] }));

  it('finds the change two staged policies make together, and names both', async () => {
    const { previewStagedPolicies, stagedChangesToJson } = await import('@netdiagram/core');
    const parsed = parseManifests([{ name: 'a.yaml', text: docs(cluster, webEgress, dbIn, stagedWebOut, stagedDbIn) }], { cni: 'calico' });
    const preview = previewStagedPolicies(parsed.cluster);
    // each alone: the other side still stops 9187
    expect(preview.diagnostics.map((d) => d.message.replace(/ \(stagedAction.*/, '') + (d.message.includes('would change no flow') ? ': none' : ': some'))).toEqual([
      'StagedNetworkPolicy shop/db-in: none', 'StagedNetworkPolicy shop/web-out: none',
    ]);
    expect(stagedChangesToJson(preview.changes)).toEqual([{
      change: 'change', from: 'shop/web[Pod]', to: 'shop/db[Pod]',
      ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 9187 }], enforcedPorts: [{ protocol: 'TCP', port: 5432 }],
      addedPorts: [{ protocol: 'TCP', port: 9187 }], removedPorts: [],
      policies: ['StagedNetworkPolicy shop/db-in', 'StagedNetworkPolicy shop/web-out'],
    }]);
  });

  it('previews a StagedKubernetesNetworkPolicy as the Kubernetes NetworkPolicy of its name, Set and Delete', async () => {
    const { previewStagedPolicies } = await import('@netdiagram/core');
    const npSpec = { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] };
    const stagedKnp = staged('db-in', npSpec, 'StagedKubernetesNetworkPolicy');
    const changes = (...objects: string[]) => previewStagedPolicies(parseManifests([{ name: 'a.yaml', text: docs(cluster, ...objects) }], { cni: 'calico' }).cluster).changes
      .map((c) => `${c.change} ${c.from} => ${c.to}: ${c.policies.join(',')}`);
    // new: the db is isolated to web on 5432
    expect(changes(stagedKnp)).toEqual(expect.arrayContaining([
      `removed ${PROBE_DB}: StagedKubernetesNetworkPolicy shop/db-in`, `changed ${WEB_DB}: StagedKubernetesNetworkPolicy shop/db-in`,
    ]));
    // standing in for the enforced NetworkPolicy of its name: the same spec changes nothing
    expect(changes(policy('shop', 'db-in', npSpec), stagedKnp)).toEqual([]);
    // Delete: the enforced NetworkPolicy gone, the db open again
    const deleting = staged('db-in', { stagedAction: 'Delete' }, 'StagedKubernetesNetworkPolicy');
    expect(changes(policy('shop', 'db-in', npSpec), deleting)).toEqual(expect.arrayContaining([`added ${PROBE_DB}: StagedKubernetesNetworkPolicy shop/db-in`]));
  });

  it('sees the pairs a staged policy closes even when the caller leaves default-allow pairs out of its graph', async () => {
    const { previewStagedPolicies } = await import('@netdiagram/core');
    const lock = staged('lock-db', { selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] } }] });
    const parsed = parseManifests([{ name: 'a.yaml', text: docs(cluster, lock) }], { cni: 'calico' });
    const removed = previewStagedPolicies(parsed.cluster, { openFlows: 'omit' }).changes.filter((c) => c.change === 'removed').map((c) => `${c.from} => ${c.to}`);
    expect(removed).toContain(PROBE_DB);
  });

  it('are listed by connections, audit and the diagram, and never change the enforced connections', async () => {
    const { main } = await import('@netdiagram/cli');
    const { fakeIo, tempDir } = await import('../pci/support.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const run = async (args: string[], files: string[]) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'in.yaml'), docs(cluster, ...files));
      const io = fakeIo();
      const code = await main([args[0]!, dir, ...args.slice(1), '--cni', 'calico'], io);
      return { code, out: io.out, err: io.err };
    };
    const plain = await run(['connections', '--format', 'json'], [webEgress, dbIn]);
    const withStaged = await run(['connections', '--format', 'json'], [webEgress, dbIn, stagedWebOut, stagedDbIn]);
    expect(withStaged.code).toBe(0);
    const a = JSON.parse(plain.out);
    const b = JSON.parse(withStaged.out);
    expect(a.stagedChanges).toBeUndefined();
    expect(b.connections).toEqual(a.connections);
    expect(b.stagedChanges.map((c: { change: string; from: string; to: string }) => `${c.change} ${c.from} => ${c.to}`)).toEqual(['change shop/web[Pod] => shop/db[Pod]']);
    const audit = await run(['audit', '--format', 'json'], [webEgress, dbIn, stagedWebOut, stagedDbIn]);
    const findings = (JSON.parse(audit.out).findings as { code: string; object: string; severity: string; message: string }[]).filter((f) => f.code === 'policy/staged-would-change');
    expect(findings.map((f) => `${f.severity} ${f.object}`).sort()).toEqual(['warning StagedNetworkPolicy shop/db-in', 'warning StagedNetworkPolicy shop/web-out']);
    expect(findings[0]!.message).toContain('~ shop/web[Pod] → shop/db[Pod]: TCP 5432,9187');
    const svg = (await run(['diagram', '--format', 'svg', '--no-commit'], [webEgress, dbIn, stagedWebOut, stagedDbIn])).out;
    expect(svg).toContain('class="edge staged-add"');
    expect(svg).toContain('staged + TCP 9187');
    expect(svg).toContain('staged +: a staged policy (not enforced) would allow it');
    expect(svg).not.toContain('class="edge staged-remove"');
    // the enforced edge is drawn as before
    expect(svg).toContain('>TCP 5432<');
    const plainSvg = (await run(['diagram', '--format', 'svg', '--no-commit'], [webEgress, dbIn])).out;
    expect(plainSvg).not.toContain('staged');
    // the evidence bundle's diagram draws them too
    const { readFileSync } = await import('node:fs');
    const bundle = join(tempDir(), 'evidence');
    expect((await run(['evidence', '-o', bundle], [webEgress, dbIn, stagedWebOut, stagedDbIn])).code).toBe(0);
    expect(readFileSync(join(bundle, 'diagram.svg'), 'utf8')).toContain('staged + TCP 9187');
  });
});

describe('L7-restricted flows in the diagram', () => {
  it('say so on the edge label, in its tooltip and in the legend', async () => {
    const { main } = await import('@netdiagram/cli');
    const { fakeIo, tempDir } = await import('../pci/support.js');
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = tempDir();
    writeFileSync(join(dir, 'in.yaml'), docs(cluster, dbIngress('h', { ingress: [{ action: 'Allow', protocol: 'TCP', ...fromWeb, destination: { ports: [5432] }, http: { methods: ['GET'] } }] })));
    const io = fakeIo();
    expect(await main(['diagram', dir, '--format', 'svg', '--no-commit', '--cni', 'calico'], io)).toBe(0);
    expect(io.out).toContain('TCP 5432 · L7');
    expect(io.out).toContain('L7-restricted: a rule admits only some HTTP requests (not evaluated)');
    expect(io.out).toContain('L7: a rule admits only some HTTP requests (not evaluated)');
  });
});

describe('strict Calico input', () => {
  it('refuses an unknown field, as for every other kind, and keeps the object with --lenient', () => {
    const typo = calico('NetworkPolicy', 'typo', 'shop', { selecter: "app == 'db'", ingress: [{ action: 'Deny' }] });
    const strict = parseManifests([{ name: 'a.yaml', text: docs(cluster, typo) }], { cni: 'calico' });
    const d = strict.diagnostics.find((x) => x.code === 'k8s/unknown-field');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('unknown field "spec.selecter" (did you mean selector?)');
    expect(strict.cluster.calico?.policies).toEqual([]);
    const lenient = parseManifests([{ name: 'a.yaml', text: docs(cluster, typo) }], { cni: 'calico', lenient: true });
    expect(lenient.diagnostics.find((x) => x.code === 'k8s/unknown-field')?.severity).toBe('warning');
    expect(lenient.cluster.calico?.policies.map((p) => p.id)).toEqual(['calico:default/shop/typo']);
  });
});
