import { describe, expect, it } from 'vitest';
import { buildView, MAX_AUTO_NODES, type DiagramView } from '@netdiagram/render';
import { allow, denyAll, graphOf, ingress, namespace, policy, service, workload } from './builders.js';

const edge = (view: DiagramView, id: string) => view.edges.find((e) => e.id === id);
const node = (view: DiagramView, id: string) => view.nodes.find((n) => n.id === id);

/** shop: web → api → db, web behind an Ingress, everything default-deny. */
function shop(): string[] {
  return [
    namespace('shop'),
    workload('shop', 'web', { ports: [{ name: 'http', containerPort: 8080 }] }),
    workload('shop', 'api', { ports: [{ name: 'http', containerPort: 9000 }, { name: 'metrics', containerPort: 9102 }], configMap: 'api-config', secret: 'api-key' }),
    workload('shop', 'db', { kind: 'StatefulSet', ports: [{ name: 'pg', containerPort: 5432 }], claim: 'db-data' }),
    service('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }]),
    ingress('shop', 'web', 'shop.example.com', 'web', 80),
    denyAll('shop'),
    ...allow('shop', 'web', 'shop', 'api', 9000),
    ...allow('shop', 'api', 'shop', 'db', 5432),
    policy('shop', 'web-from-ingress', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }] }),
  ];
}

describe('buildView at full detail', () => {
  it('draws one shape per workload and attaches a Service to its only backend', () => {
    const view = buildView(graphOf(shop()), { detail: 'full' });
    expect(view.detail).toBe('full');
    const web = node(view, 'shop/web[Deployment]');
    expect(web?.kind === 'workload' && web.attached.map((s) => s.name)).toEqual(['web']);
    expect(node(view, 'shop/web[Service]')).toBeUndefined();
  });

  it('labels a flow with its protocol and ports and lands it on the port square it uses', () => {
    const view = buildView(graphOf(shop()), { detail: 'full' });
    const e = edge(view, 'shop/api[Deployment]->shop/db[StatefulSet]');
    expect(e).toMatchObject({ style: 'flow', label: 'TCP 5432', sourcePort: 'out', targetPort: 'port:TCP/5432' });
    expect(e?.title).toContain('netpol:shop/db-from-shop-api#ingress[0]');
  });

  it('draws the route from an Ingress to the Service drawn inside its backend, apart from the allowed flow', () => {
    const view = buildView(graphOf(shop()), { detail: 'full' });
    expect(edge(view, 'shop/web[Ingress]->shop/web[Deployment]')).toMatchObject({ style: 'from-outside', label: 'TCP 8080', targetPort: 'port:TCP/8080' });
    const route = view.edges.find((e) => e.style === 'route' && e.source === 'shop/web[Ingress]');
    expect(route).toMatchObject({ target: 'shop/web[Deployment]', targetPort: 'svc:web:port:TCP/80', label: '' });
  });

  it('shows the ConfigMaps, Secrets and PVCs a workload uses, by name only', () => {
    const view = buildView(graphOf(shop()), { detail: 'full' });
    const api = node(view, 'shop/api[Deployment]');
    expect(api?.kind === 'workload' && api.configs).toEqual([{ kind: 'Secret', name: 'api-key' }, { kind: 'ConfigMap', name: 'api-config' }]);
  });

  it('draws a Service with several backends as its own stadium with route edges', () => {
    const view = buildView(graphOf([
      workload('x', 'a', { labels: { tier: 'be', app: 'a' }, ports: [{ containerPort: 80 }] }),
      workload('x', 'b', { labels: { tier: 'be', app: 'b' }, ports: [{ containerPort: 80 }] }),
      service('x', 'be', { tier: 'be' }, [{ port: 80 }], 'NodePort'),
    ]), { detail: 'full' });
    expect(node(view, 'x/be[Service]')).toMatchObject({ kind: 'service', code: 'NP' });
    expect(view.edges.filter((e) => e.style === 'route' && e.source === 'x/be[Service]').map((e) => e.target)).toEqual(['x/a[Deployment]', 'x/b[Deployment]']);
  });

  it('draws a route whose named targetPort names no container port of the backend as broken, and never joins that Service to its pod', () => {
    const view = buildView(graphOf([
      namespace('x'),
      workload('x', 'a', { labels: { tier: 'be', app: 'a' }, ports: [{ name: 'grpc', containerPort: 9000 }] }),
      workload('x', 'b', { labels: { tier: 'be', app: 'b' }, ports: [{ name: 'http', containerPort: 8080 }] }),
      workload('x', 'c', { labels: { app: 'c' }, ports: [{ name: 'grpc', containerPort: 9000 }] }),
      service('x', 'be', { tier: 'be' }, [{ port: 80, targetPort: 'http' }]),
      service('x', 'c', { app: 'c' }, [{ port: 80, targetPort: 'http' }]),
    ]), { detail: 'full' });
    const routes = (source: string) => view.edges.filter((e) => e.source === source && (e.style === 'route' || e.style === 'broken-route')).map((e) => [e.target, e.style]);
    expect(routes('x/be[Service]')).toEqual([['x/a[Deployment]', 'broken-route'], ['x/b[Deployment]', 'route']]);
    expect(routes('x/c[Service]')).toEqual([['x/c[Deployment]', 'broken-route']]);
    expect(node(view, 'x/c[Service]')).toMatchObject({ kind: 'service' });
  });
});

describe('buildView: unrestricted workloads', () => {
  it('replaces the flows no policy restricts with ANY edges to and from the namespace box', () => {
    const view = buildView(graphOf([workload('open', 'a'), workload('open', 'b'), workload('open', 'c')]), { detail: 'full' });
    expect(view.edges.map((e) => e.id)).toEqual(['@any:source->@ns:open', '@ns:open->@any:destination']);
    expect(view.edges.every((e) => e.style === 'unrestricted' && e.label === 'ALL' && e.strong)).toBe(true);
    expect(view.stats.unrestrictedWorkloads).toBe(3);
  });

  it('keeps a flow one side restricts, and gives an open workload its own ANY edge', () => {
    const view = buildView(graphOf([
      workload('x', 'client'), workload('x', 'server', { ports: [{ containerPort: 443 }] }),
      policy('x', 'server', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 443 }] }] }),
    ]), { detail: 'full' });
    expect(edge(view, 'x/client[Deployment]->x/server[Deployment]')).toMatchObject({ style: 'flow', label: 'TCP 443' });
    expect(edge(view, 'x/client[Deployment]->x/server[Deployment]')?.title).toContain('default-allow:egress');
    expect(edge(view, '@any:source->x/client[Deployment]')).toMatchObject({ style: 'unrestricted' });
    expect(edge(view, '@any:source->x/server[Deployment]')).toBeUndefined();
  });
});

describe('buildView: outside the cluster', () => {
  it('puts ipBlock sources on the left and destinations on the right, each in its own copy', () => {
    const view = buildView(graphOf([
      workload('x', 'gw', { ports: [{ containerPort: 443 }] }), denyAll('x'),
      policy('x', 'gw', {
        podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }],
        egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 8443 }] }],
      }),
    ]), { detail: 'full' });
    expect(node(view, 'ipblock:203.0.113.0/24@in')).toMatchObject({ kind: 'external', side: 'source', lines: ['203.0.113.0/24'] });
    expect(node(view, 'ipblock:203.0.113.0/24@out')).toMatchObject({ kind: 'external', side: 'destination' });
    expect(edge(view, 'ipblock:203.0.113.0/24@in->x/gw[Deployment]')).toMatchObject({ style: 'from-outside', label: 'TCP 443' });
    expect(edge(view, 'x/gw[Deployment]->ipblock:203.0.113.0/24@out')).toMatchObject({ style: 'to-outside', label: 'TCP 8443' });
  });

  it('writes an ipBlock with exceptions on two lines', () => {
    const view = buildView(graphOf([
      workload('x', 'web', { ports: [{ containerPort: 80 }] }), denyAll('x'),
      policy('x', 'web', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 80 }] }] }),
    ]), { detail: 'full' });
    expect(node(view, 'ipblock:0.0.0.0/0 except 10.0.0.0/8@in')).toMatchObject({ lines: ['0.0.0.0/0', 'except 10.0.0.0/8'] });
  });
});

describe('buildView: aggregation', () => {
  const dnsSetup = (clients: number) => [
    namespace('kube-system'), workload('kube-system', 'coredns', { labels: { 'k8s-app': 'kube-dns' }, ports: [{ containerPort: 53, protocol: 'UDP' }] }),
    policy('kube-system', 'dns', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }], egress: [] , policyTypes: ['Ingress', 'Egress'] }),
    ...Array.from({ length: clients }, (_, i) => workload('app', `w${i}`)),
    denyAll('app'),
    policy('app', 'dns', { podSelector: {}, egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] }),
  ];

  it('draws one edge from a namespace box when all its workloads share a flow', () => {
    const view = buildView(graphOf(dnsSetup(4)), { detail: 'full' });
    const flows = view.edges.filter((e) => e.style === 'flow');
    expect(flows.map((e) => e.id)).toEqual(['@ns:app->kube-system/coredns[Deployment]']);
    expect(flows[0]).toMatchObject({ label: 'UDP 53', targetPort: 'port:UDP/53' });
    expect(flows[0]!.title).toContain('all 4 workloads of namespace app');
  });

  it('keeps separate edges below three workloads', () => {
    const view = buildView(graphOf(dnsSetup(2)), { detail: 'full' });
    expect(view.edges.filter((e) => e.style === 'flow')).toHaveLength(2);
  });

  it('replaces workloads that all reach each other by a note on their namespace', () => {
    const view = buildView(graphOf([
      ...['a', 'b', 'c'].map((n) => workload('mesh', n, { labels: { app: n, mesh: 'on' }, ports: [{ containerPort: 8080 }] })),
      denyAll('mesh'),
      policy('mesh', 'same-ns', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8080 }] }], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 8080 }] }] }),
    ]), { detail: 'full' });
    expect(view.edges).toEqual([]);
    expect(view.containers.find((c) => c.id === '@ns:mesh')?.note).toBe('⇄ all 3 workloads here reach each other: TCP 8080');
  });
});

describe('buildView at workload detail', () => {
  it('folds Services into their backends and merges workloads with identical connectivity', () => {
    const view = buildView(graphOf([
      ...shop(),
      ...['w1', 'w2', 'w3'].map((n) => workload('shop', `worker-${n}`, { labels: { role: 'worker', app: `worker-${n}` } })),
    ]), { detail: 'workload' });
    const web = node(view, 'shop/web[Deployment]');
    expect(web?.kind === 'workload' && web.services).toEqual(['CIP web 80→http']);
    expect(web?.kind === 'workload' && web.configs).toEqual([]);
    const group = view.nodes.find((n) => n.kind === 'workload' && n.count === 3);
    expect(group).toMatchObject({ id: 'shop/worker-w1[Deployment]+2', name: 'worker-w*' });
  });

  it('groups six or more sources of one namespace that share a flow into one dotted peer', () => {
    const clients = Array.from({ length: 7 }, (_, i) => `c${i}`);
    const view = buildView(graphOf([
      ...clients.map((c, i) => workload('clients', c, { ports: [{ containerPort: 1000 + i }] })),
      workload('clients', 'other'),
      workload('db', 'pg', { ports: [{ containerPort: 5432 }] }), denyAll('db'), denyAll('clients'),
      ...clients.flatMap((c) => allow('clients', c, 'db', 'pg', 5432)),
    ]), { detail: 'workload' });
    const peer = view.nodes.find((n) => n.kind === 'peer-group');
    expect(peer).toMatchObject({ kind: 'peer-group', namespace: 'clients', parent: '@ns:clients' });
    expect(peer?.kind === 'peer-group' && peer.members).toHaveLength(7);
    expect(view.edges.filter((e) => e.target === 'db/pg[Deployment]').map((e) => e.source)).toEqual([peer!.id]);
  });
});

describe('buildView at namespace detail', () => {
  const manifests = [
    ...['a', 'b'].map((n) => workload('front', n, { ports: [{ containerPort: 80 }] })),
    workload('back', 'db', { ports: [{ containerPort: 5432 }] }),
    denyAll('front'), denyAll('back'),
    ...allow('front', 'a', 'back', 'db', 5432), ...allow('front', 'b', 'back', 'db', 5432),
  ];

  it('collapses each namespace into a box and counts the flows an edge stands for', () => {
    const view = buildView(graphOf(manifests), { detail: 'namespace' });
    expect(view.nodes.map((n) => n.id)).toEqual(['@summary:back', '@summary:front']);
    expect(edge(view, '@summary:front->@summary:back')).toMatchObject({ label: '2 flows · TCP 5432' });
    expect(node(view, '@summary:front')).toMatchObject({ workloads: 2, ingressIsolated: 2, egressIsolated: 2 });
  });

  it('keeps the namespaces named by --expand at workload level', () => {
    const view = buildView(graphOf(manifests), { detail: 'namespace', expand: ['back'] });
    expect(view.nodes.map((n) => n.id)).toEqual(['@summary:front', 'back/db[Deployment]']);
    expect(edge(view, '@summary:front->back/db[Deployment]')).toMatchObject({ label: '2 flows · TCP 5432' });
  });
});

describe('buildView with detail auto', () => {
  it('picks full detail for a small cluster', () => {
    expect(buildView(graphOf(shop())).detail).toBe('full');
  });

  it(`keeps a 2,000-workload cluster under ${MAX_AUTO_NODES} shapes`, () => {
    const manifests: string[] = [];
    for (let n = 0; n < 200; n++) {
      manifests.push(denyAll(`team-${n}`));
      for (let w = 0; w < 10; w++) manifests.push(workload(`team-${n}`, `svc-${w}`, { labels: { app: `svc-${w}` }, ports: [{ containerPort: 8080 }] }));
      manifests.push(...allow(`team-${n}`, 'svc-0', `team-${(n + 1) % 200}`, 'svc-1', 8080));
    }
    const view = buildView(graphOf(manifests));
    expect(view.detail).toBe('namespace');
    expect(view.stats.workloads).toBe(2000);
    expect(view.nodes.length).toBeLessThanOrEqual(MAX_AUTO_NODES);
    expect(view.nodes.some((n) => n.kind === 'namespace-summary' && n.namespaces.length > 1)).toBe(true);
  });
});
