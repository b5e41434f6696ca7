import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCluster, buildTrafficGraph, computeScope, parseManifests, toGraphJson, unevaluatedPolicyNotices, type Diagnostic } from '@netdiagram/core';
import { analyse, docs, namespace, policy } from '../support/analyse.js';

const GW = 'gateway.networking.k8s.io/v1';
const object = (apiVersion: string, kind: string, ns: string, name: string, spec: Record<string, unknown>, labels?: Record<string, string>) =>
  JSON.stringify({ apiVersion, kind, metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, spec });
const deployment = (ns: string, name: string, labels: Record<string, string>, port: number) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: port }] }] } } },
});
const service = (ns: string, name: string, selector: Record<string, string>, port: number, targetPort: number | string) =>
  object('v1', 'Service', ns, name, { selector, ports: [{ port, targetPort }] });
const gateway = (ns: string, name: string, listeners: Record<string, unknown>[]) => object(GW, 'Gateway', ns, name, { gatewayClassName: 'example', listeners });
const httpRoute = (ns: string, name: string, spec: Record<string, unknown>) => object(GW, 'HTTPRoute', ns, name, spec);
const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);

// the backends: web in namespace app, admitted only from the edge namespace on 8080
const backends = [
  namespace('app', { team: 'shop' }), namespace('edge'),
  deployment('app', 'web', { app: 'web' }, 8080), service('app', 'web', { app: 'web' }, 80, 'http'),
  policy('app', 'from-edge', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }], ports: [{ port: 8080 }] }] }),
];
const httpListener = { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } };
const routeToWeb = (extra: Record<string, unknown> = {}) =>
  httpRoute('app', 'web', { parentRefs: [{ name: 'gw', namespace: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }], ...extra });

/** The flows from the Gateway (or Ingress) node, as `to : ports`. */
function entryFlows(texts: string[], from: string, options: Parameters<typeof analyse>[1] = {}): string[] {
  return analyse(docs(...texts), options).json.connections.filter((c) => c.from === from).map((c) => `${c.to} : ${JSON.stringify(c.ports)}`);
}

describe('Gateway API exposure', () => {
  it('gives the same connections through a Gateway as through an Ingress, but for the object names', () => {
    const ingress = JSON.stringify({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'app' },
      spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    const viaGateway = [gateway('edge', 'gw', [{ ...httpListener, hostname: 'shop.example.com' }]), routeToWeb({ hostnames: ['shop.example.com'] })];
    const controller = { namespace: 'edge', labels: {} };
    const connections = (texts: string[], rename: string) => {
      const { json } = analyse(docs(...texts), { ingressController: controller, gatewayController: controller });
      return JSON.stringify(json.connections).replaceAll(rename, '{entry}');
    };
    const throughIngress = connections([...backends, ingress], 'app/web[Ingress]');
    const throughGateway = connections([...backends, ...viaGateway], 'edge/gw[Gateway]');
    expect(throughIngress).toContain('{entry}');
    expect(throughGateway).toBe(throughIngress);
  });

  it('sends from the Gateway\'s own data-plane Deployment when the input holds it, judged by its egress too', () => {
    const dataPlane = deployment('edge', 'gw-istio', { 'gateway.networking.k8s.io/gateway-name': 'gw' }, 8443);
    const texts = [...backends, gateway('edge', 'gw', [httpListener]), routeToWeb(), dataPlane];
    expect(entryFlows(texts, 'edge/gw[Gateway]')).toEqual(['app/web[Deployment] : [{"protocol":"TCP","port":8080}]']);
    // its own egress policy refuses the backend: no flow
    const denyEgress = policy('edge', 'no-egress', { podSelector: {}, policyTypes: ['Egress'] });
    expect(entryFlows([...texts, denyEgress], 'edge/gw[Gateway]')).toEqual([]);
  });

  it('assumes a label-less data plane without --gateway-controller, which a policy naming the sender refuses with a warning', () => {
    const { json, graph } = analyse(docs(...backends, gateway('edge', 'gw', [httpListener]), routeToWeb()));
    expect(json.connections.some((c) => c.from === 'edge/gw[Gateway]')).toBe(false);
    const blocked = graph.getAttribute('diagnostics').find((d) => d.code === 'ingress/controller-blocked');
    expect(blocked?.message).toContain('name yours with --gateway-controller');
    expect(entryFlows([...backends, gateway('edge', 'gw', [httpListener]), routeToWeb()], 'edge/gw[Gateway]', { gatewayController: { namespace: 'edge', labels: {} } }))
      .toEqual(['app/web[Deployment] : [{"protocol":"TCP","port":8080}]']);
  });

  it('sends a UDPRoute\'s traffic on the UDP ports of the Service only, and the other routes\' on TCP', () => {
    const dns = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dns', namespace: 'app', labels: { app: 'dns' } },
      spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }] }] },
    });
    const svc = object('v1', 'Service', 'app', 'dns', { selector: { app: 'dns' }, ports: [{ name: 'udp', port: 53, protocol: 'UDP' }, { name: 'tcp', port: 53, protocol: 'TCP' }] });
    const udp = object(GW, 'UDPRoute', 'app', 'dns', { parentRefs: [{ name: 'gw', namespace: 'edge' }], rules: [{ backendRefs: [{ name: 'dns', port: 53 }] }] });
    const gw = gateway('edge', 'gw', [{ name: 'dns', port: 53, protocol: 'UDP', allowedRoutes: { namespaces: { from: 'All' } } }]);
    expect(entryFlows([namespace('app'), namespace('edge'), dns, svc, udp, gw], 'edge/gw[Gateway]', { gatewayController: { namespace: 'edge', labels: {} } }))
      .toEqual(['app/dns[Pod] : [{"protocol":"UDP","port":53}]']);
  });

  it('does not route weight-0 backends', () => {
    const split = routeToWeb({ rules: [{ backendRefs: [{ name: 'web', port: 80, weight: 0 }] }] });
    const { json } = analyse(docs(...backends, gateway('edge', 'gw', [httpListener]), split), { gatewayController: { namespace: 'edge', labels: {} } });
    expect(json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(false);
    expect(json.connections.some((c) => c.from === 'edge/gw[Gateway]')).toBe(false);
  });
});

describe('a Gateway in the PCI records', () => {
  it('is reported like an Ingress in front of a CDE workload (1.4.2), and its flow crosses the boundary', () => {
    const { parsed, graph } = analyse(docs(...backends, gateway('edge', 'gw', [{ ...httpListener, hostname: 'pay.example.com' }]), routeToWeb()),
      { gatewayController: { namespace: 'edge', labels: {} } });
    const scope = computeScope(parsed.cluster, graph, { cde: ['app=web'] });
    const finding = auditCluster(parsed.cluster, graph, scope).find((f) => f.code === 'cde/exposed-by-ingress');
    expect(finding).toMatchObject({ object: 'edge/gw[Gateway]', requirements: ['1.4.2'] });
    expect(finding?.message).toBe('Gateway edge/gw (pay.example.com) routes outside traffic to CDE workload app/web[Deployment] (through app/web[Service])');
    expect(scope.boundary.map((f) => `${f.from} -> ${f.to}`)).toContain('edge/gw[Gateway] -> app/web[Deployment]');
  });
});

describe('ReferenceGrant', () => {
  // the route lives in edge and names the Service in app: a cross-namespace backendRef
  const crossRoute = httpRoute('edge', 'web', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', namespace: 'app', port: 80 }] }] });
  const grant = (from: Record<string, unknown>, to: Record<string, unknown>) => object(GW, 'ReferenceGrant', 'app', 'allow-edge', { from: [from], to: [to] });
  const texts = [...backends, gateway('edge', 'gw', [{ name: 'http', port: 80, protocol: 'HTTP' }]), crossRoute];
  const options = { gatewayController: { namespace: 'edge', labels: {} } };

  it('refuses a backend in another namespace that no grant permits: a warning, and no route', () => {
    const { json, parsed } = analyse(docs(...texts), options);
    expect(json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(false);
    const warning = parsed.diagnostics.find((d) => d.code === 'gateway/backend-not-permitted');
    expect(warning?.message).toContain('no ReferenceGrant in namespace app permits HTTPRoutes of edge');
    expect(warning?.location?.line).toBeGreaterThan(0);
  });
  it('routes it once a grant in the Service\'s namespace permits the route\'s kind and namespace', () => {
    const permitted = grant({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }, { group: '', kind: 'Service' });
    expect(entryFlows([...texts, permitted], 'edge/gw[Gateway]', options)).toEqual(['app/web[Deployment] : [{"protocol":"TCP","port":8080}]']);
  });
  it.each([
    ['another namespace', { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'other' }, { group: '', kind: 'Service' }],
    ['another route kind', { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'edge' }, { group: '', kind: 'Service' }],
    ['another Service name', { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }, { group: '', kind: 'Service', name: 'api' }],
  ])('does not route it when the grant is for %s', (_what, from, to) => {
    const { json, parsed } = analyse(docs(...texts, grant(from, to)), options);
    expect(json.connections.some((c) => c.from === 'edge/gw[Gateway]')).toBe(false);
    expect(codes(parsed.diagnostics)).toContain('gateway/backend-not-permitted');
  });
});

describe('allowedRoutes and parentRefs', () => {
  const options = { gatewayController: { namespace: 'edge', labels: {} } };
  const attached = (listener: Record<string, unknown>, parentRef: Record<string, unknown> = { name: 'gw', namespace: 'edge' }) => {
    const { json, parsed } = analyse(docs(...backends, gateway('edge', 'gw', [listener]), routeToWeb({ parentRefs: [parentRef] })), options);
    return { routed: json.routes.some((r) => r.from === 'edge/gw[Gateway]'), warnings: parsed.diagnostics.filter((d) => d.code === 'gateway/not-attached').map((d) => d.message) };
  };
  const listener = (namespaces?: Record<string, unknown>) => ({ name: 'http', port: 80, protocol: 'HTTP', ...(namespaces ? { allowedRoutes: { namespaces } } : {}) });

  it('admits only routes of the Gateway\'s own namespace by default (from: Same)', () => {
    expect(attached(listener())).toMatchObject({ routed: false });
    expect(attached(listener()).warnings[0]).toContain('admits routes of its own namespace edge only');
    expect(attached(listener({ from: 'Same' })).routed).toBe(false);
  });
  it('admits routes of every namespace with from: All', () => {
    expect(attached(listener({ from: 'All' }))).toEqual({ routed: true, warnings: [] });
  });
  it('admits routes of the namespaces whose labels the selector matches with from: Selector', () => {
    expect(attached(listener({ from: 'Selector', selector: { matchLabels: { team: 'shop' } } })).routed).toBe(true);
    expect(attached(listener({ from: 'Selector', selector: { matchLabels: { team: 'other' } } })).routed).toBe(false);
    expect(attached(listener({ from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } } })).routed).toBe(true);
  });
  it('admits only the route kinds a listener names, or its protocol\'s', () => {
    expect(attached({ ...listener({ from: 'All' }), allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'GRPCRoute' }] } }).routed).toBe(false);
    expect(attached({ ...listener({ from: 'All' }), protocol: 'TCP' }).warnings[0]).toContain('admits TCPRoute, not HTTPRoute');
  });
  it('binds to the listener its sectionName names, and to no other', () => {
    const two = [{ name: 'a', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }, { name: 'b', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }];
    const route = (parentRef: Record<string, unknown>) => analyse(docs(...backends, gateway('edge', 'gw', two), routeToWeb({ parentRefs: [parentRef] })), options);
    expect(route({ name: 'gw', namespace: 'edge', sectionName: 'b' }).json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(true);
    // listener a admits only its own namespace: bound to it, the route is detached
    expect(route({ name: 'gw', namespace: 'edge', sectionName: 'a' }).json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(false);
    expect(codes(route({ name: 'gw', namespace: 'edge', sectionName: 'c' }).parsed.diagnostics)).toContain('gateway/not-attached');
    // port selects a listener too, and with sectionName both must match
    expect(route({ name: 'gw', namespace: 'edge', port: 8080 }).json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(true);
    expect(route({ name: 'gw', namespace: 'edge', sectionName: 'b', port: 80 }).json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(false);
  });
  it('detaches a route whose hostnames the listener\'s hostname does not match; a wildcard matches subdomains', () => {
    const withHost = (hostname: string, hostnames: string[]) => {
      const { json } = analyse(docs(...backends, gateway('edge', 'gw', [{ ...httpListener, hostname }]), routeToWeb({ hostnames })), options);
      return json.routes.some((r) => r.from === 'edge/gw[Gateway]');
    };
    expect(withHost('shop.example.com', ['shop.example.com'])).toBe(true);
    expect(withHost('shop.example.com', ['api.example.com'])).toBe(false);
    expect(withHost('*.example.com', ['api.example.com'])).toBe(true);
    expect(withHost('*.example.com', ['example.com'])).toBe(false);
  });
  it('warns of a parentRef to a Gateway not in the input, and of one to another kind, which is not evaluated', () => {
    expect(codes(analyse(docs(...backends, routeToWeb())).parsed.diagnostics)).toContain('gateway/unknown-gateway');
    const mesh = routeToWeb({ parentRefs: [{ group: '', kind: 'Service', name: 'web' }] });
    expect(codes(analyse(docs(...backends, mesh)).parsed.diagnostics)).toContain('gateway/unsupported-reference');
  });
});

describe('Gateway API schemas', () => {
  it.each([
    ['Gateway', `apiVersion: ${GW}\nkind: Gateway\nmetadata: { name: gw, namespace: edge }\nspec:\n  gatewayClassName: x\n  listeners:\n    - name: http\n      port: 80\n      protocol: HTTP\n      allowedRoute: {}\n`, 'spec.listeners[0].allowedRoute', 'allowedRoutes', 10],
    ['HTTPRoute', `apiVersion: ${GW}\nkind: HTTPRoute\nmetadata: { name: r, namespace: app }\nspec:\n  parentRefs:\n    - name: gw\n      sectionNme: http\n`, 'spec.parentRefs[0].sectionNme', 'sectionName', 7],
    ['TCPRoute', `apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata: { name: r }\nspec:\n  rules:\n    - backendRef:\n        - name: db\n`, 'spec.rules[0].backendRef', 'backendRefs', 6],
    ['ReferenceGrant', `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: g }\nspec:\n  form: []\n  to: []\n`, 'spec.form', 'from', 5],
  ])('refuses a misspelt field of a %s at its line and column', (_kind, text, field, meant, line) => {
    const parsed = parseManifests([{ name: 'gw.yaml', text }]);
    const error = parsed.diagnostics.find((d) => d.code === 'k8s/unknown-field');
    expect(error?.severity).toBe('error');
    expect(error?.message).toContain(`unknown field "${field}" (did you mean ${meant}?)`);
    expect(error?.location).toMatchObject({ file: 'gw.yaml', line });
    expect(error?.location?.column).toBeGreaterThan(1);
  });
  it('reads each kind in the versions it is served in, and refuses another', () => {
    const tls = (apiVersion: string) => parseManifests([{ name: 't.yaml', text: `apiVersion: ${apiVersion}\nkind: TLSRoute\nmetadata: { name: t }\nspec: {}\n` }]).diagnostics;
    for (const v of ['v1', 'v1alpha3', 'v1alpha2']) expect(tls(`gateway.networking.k8s.io/${v}`)).toEqual([]);
    expect(codes(tls('gateway.networking.k8s.io/v1beta1'))).toEqual(['k8s/unsupported-api-version']);
  });
});

describe('the Gateway API project\'s examples', () => {
  const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'gateway-api');
  const read = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(FIXTURES, dir, f), 'utf8') }));

  it('cross-namespace-routing: a shared Gateway admits the routes of the namespaces its selector matches', () => {
    const parsed = parseManifests(read('cross-namespace-routing'));
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const gw = parsed.cluster.ingresses.find((i) => i.id === 'infra-ns/shared-gateway[Gateway]');
    expect(gw?.routes).toEqual(['site-ns/home[HTTPRoute]', 'site-ns/login[HTTPRoute]', 'store-ns/store[HTTPRoute]']);
    expect(gw?.listeners).toEqual([{ name: 'https', port: 443, protocol: 'HTTPS', hostname: 'foo.example.com' }]);
    const json = toGraphJson(buildTrafficGraph(parsed.cluster));
    expect(json.connections.filter((c) => c.from === 'infra-ns/shared-gateway[Gateway]').map((c) => c.to))
      .toEqual(['site-ns/home[Deployment]', 'site-ns/login-v1[Deployment]', 'site-ns/login-v2[Deployment]', 'store-ns/store[Deployment]']);
  });
  it('http-route-attachment: a route attaches across namespaces by kubernetes.io/metadata.name', () => {
    const parsed = parseManifests(read('http-route-attachment'));
    expect(parsed.cluster.ingresses.find((i) => i.kind === 'Gateway')?.routes).toEqual(['gateway-api-example-ns2/my-route[HTTPRoute]']);
  });
  it('basic-tcp: each TCPRoute binds to the listener its sectionName names', () => {
    const parsed = parseManifests(read('basic-tcp'));
    const gw = parsed.cluster.ingresses.find((i) => i.kind === 'Gateway');
    expect(gw?.routes).toEqual(['default/tcp-app-1[TCPRoute]', 'default/tcp-app-2[TCPRoute]']);
    expect(gw?.backends.map((b) => `${b.route} ${b.service}:${b.port}`)).toEqual(['default/tcp-app-1[TCPRoute] my-foo-service:6000', 'default/tcp-app-2[TCPRoute] my-bar-service:6000']);
  });
  it('simple-gateway: from: Same admits the route of the Gateway\'s namespace', () => {
    const parsed = parseManifests(read('simple-gateway'));
    expect(parsed.cluster.ingresses.find((i) => i.kind === 'Gateway')?.routes).toEqual(['default/foo[HTTPRoute]']);
    expect(parsed.diagnostics).toEqual([]);
  });
});

describe('a Selector on the labels of a namespace the input does not declare', () => {
  const options = { gatewayController: { namespace: 'edge', labels: {} } };
  // the route lives in apps, which has no Namespace object: its labels are unknown
  const appsBackends = [namespace('edge'), deployment('apps', 'web', { app: 'web' }, 8080), service('apps', 'web', { app: 'web' }, 80, 'http')];
  const appsRoute = httpRoute('apps', 'web', { parentRefs: [{ name: 'gw', namespace: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
  const selecting = (selector: Record<string, unknown>) =>
    gateway('edge', 'gw', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector } } }]);

  it('cannot decide the attachment: a loud warning naming Gateway, listener and route, drawn as attached, and not evaluated', () => {
    const { json, parsed } = analyse(docs(...appsBackends, selecting({ matchLabels: { 'shared-gateway-access': 'true' } }), appsRoute), options);
    expect(codes(parsed.diagnostics)).not.toContain('gateway/not-attached');
    const warning = parsed.diagnostics.find((d) => d.code === 'gateway/namespace-unknown');
    expect(warning?.message).toContain('whether Gateway edge/gw admits HTTPRoute apps/web is NOT EVALUATED: listener "http" selects namespaces by labels');
    expect(warning?.message).toContain('namespace apps has no Namespace object in the input');
    expect(warning?.location).toMatchObject({ file: 'input-0.yaml' });
    expect(warning?.location?.line).toBeGreaterThan(0);
    // the wider exposure is drawn, and the part not evaluated joins the kinds not evaluated
    expect(json.connections.filter((c) => c.from === 'edge/gw[Gateway]').map((c) => c.to)).toEqual(['apps/web[Deployment]']);
    expect(parsed.unevaluated).toEqual([expect.objectContaining({ kind: 'HTTPRoute', family: 'Gateway API', count: 1, part: 'its attachment to a Gateway (namespace labels not in the input)' })]);
    expect(unevaluatedPolicyNotices(parsed)[0]).toContain('NOT EVALUATED: its attachment to a Gateway (namespace labels not in the input) of 1 HTTPRoute');
    const scope = computeScope(parsed.cluster, buildTrafficGraph(parsed.cluster, options), {});
    const finding = auditCluster(parsed.cluster, buildTrafficGraph(parsed.cluster, options), scope, { unevaluated: parsed.unevaluated }).find((f) => f.code === 'policy/not-evaluated');
    expect(finding?.severity).toBe('error');
  });
  it('decides it once the Namespace object is in the input', () => {
    const withNamespace = (labels: Record<string, string>) => analyse(docs(...appsBackends, namespace('apps', labels), selecting({ matchLabels: { 'shared-gateway-access': 'true' } }), appsRoute), options);
    expect(withNamespace({ 'shared-gateway-access': 'true' }).parsed.unevaluated).toEqual([]);
    expect(codes(withNamespace({}).parsed.diagnostics)).toContain('gateway/not-attached');
    expect(withNamespace({}).parsed.unevaluated).toEqual([]);
  });
  it.each([
    ['matchLabels', { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, true],
    ['matchExpressions In', { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['apps', 'web'] }] }, true],
    ['matchExpressions NotIn', { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['apps'] }] }, false],
  ])('decides a selector on kubernetes.io/metadata.name alone (%s) from the namespace name', (_what, selector, routed) => {
    const { json, parsed } = analyse(docs(...appsBackends, selecting(selector), appsRoute), options);
    expect(parsed.unevaluated).toEqual([]);
    expect(codes(parsed.diagnostics)).not.toContain('gateway/namespace-unknown');
    expect(json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(routed);
  });
  it('is not evaluated for the undecided listener even when another listener surely accepts the route: its port and hosts are drawn', () => {
    const two = gateway('edge', 'gw', [
      { name: 'http', port: 80, protocol: 'HTTP', hostname: 'admin.example.com', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { x: 'y' } } } } },
      { name: 'open', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    ]);
    const { parsed } = analyse(docs(...appsBackends, two, appsRoute), options);
    expect(parsed.unevaluated.map((u) => u.part)).toEqual(['its attachment to a Gateway (namespace labels not in the input)']);
    const warning = parsed.diagnostics.find((d) => d.code === 'gateway/namespace-unknown');
    expect(warning?.message).toContain('listener "http" selects namespaces by labels');
    expect(warning?.message).not.toContain('listener "open"');
    // with the two listeners decided, nothing is left unevaluated
    const decided = gateway('edge', 'gw', [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      { name: 'open', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
    ]);
    expect(analyse(docs(...appsBackends, decided, appsRoute), options).parsed.unevaluated).toEqual([]);
  });

  it('a listener protocol of the controller\'s own, without allowedRoutes.kinds: the attachment is not evaluated, drawn as attached', () => {
    const custom = gateway('edge', 'gw', [{ name: 'h3', port: 443, protocol: 'acme.io/HTTP3', allowedRoutes: { namespaces: { from: 'All' } } }]);
    const { parsed, json } = analyse(docs(...appsBackends, custom, appsRoute), options);
    expect(json.routes.some((r) => r.from === 'edge/gw[Gateway]')).toBe(true);
    expect(parsed.unevaluated.map((u) => u.part)).toEqual(['its attachment to a Gateway (a listener protocol of its controller\'s own)']);
    expect(codes(parsed.diagnostics)).toContain('gateway/protocol-not-evaluated');
    // naming the kinds decides it
    const named = gateway('edge', 'gw', [{ name: 'h3', port: 443, protocol: 'acme.io/HTTP3', allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] } }]);
    expect(analyse(docs(...appsBackends, named, appsRoute), options).parsed.unevaluated).toEqual([]);
  });
});

describe('default Gateways (GEP-3793, experimental)', () => {
  const options = { gatewayController: { namespace: 'edge', labels: {} } };
  const defaultRoute = (value: string) => httpRoute('app', 'web', { useDefaultGateways: value, rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });

  it('reports a route that uses default Gateways as not evaluated: it may be exposed without any parentRef', () => {
    const { parsed } = analyse(docs(...backends, gateway('edge', 'gw', [httpListener]), defaultRoute('All')), options);
    const warning = parsed.diagnostics.find((d) => d.code === 'gateway/default-gateway-not-evaluated');
    expect(warning?.message).toContain('HTTPRoute app/web uses default Gateways (spec.useDefaultGateways: All), which netdiagram does NOT EVALUATE');
    expect(warning?.location?.line).toBeGreaterThan(0);
    expect(parsed.unevaluated).toEqual([expect.objectContaining({ kind: 'HTTPRoute', part: 'its attachment to default Gateways (spec.useDefaultGateways)', objects: [expect.objectContaining({ name: 'app/web' })] })]);
  });
  it('says nothing of useDefaultGateways: None', () => {
    const { parsed } = analyse(docs(...backends, gateway('edge', 'gw', [httpListener]), defaultRoute('None')), options);
    expect(codes(parsed.diagnostics)).not.toContain('gateway/default-gateway-not-evaluated');
    expect(parsed.unevaluated).toEqual([]);
  });
  it('warns of a default Gateway, whose routes are each reported', () => {
    const gw = object(GW, 'Gateway', 'edge', 'gw', { gatewayClassName: 'example', defaultScope: 'All', listeners: [httpListener] });
    const { parsed } = analyse(docs(...backends, gw, routeToWeb()), options);
    expect(parsed.diagnostics.find((d) => d.code === 'gateway/default-gateway-not-evaluated')?.message).toContain('Gateway edge/gw is a default Gateway (spec.defaultScope: All)');
    // no route of the input uses it: nothing more can be exposed through it than is drawn
    expect(parsed.unevaluated).toEqual([]);
  });
});

describe('route filters', () => {
  const options = { gatewayController: { namespace: 'edge', labels: {} } };
  // a second backend the mirror sends copies of the requests to, in namespace shadow, open to all
  const shadow = [namespace('shadow'), deployment('shadow', 'copy', { app: 'copy' }, 9090), service('shadow', 'copy', { app: 'copy' }, 90, 'http')];
  const mirrorTo = (backendRef: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    routeToWeb({ rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef, ...extra } }], backendRefs: [{ name: 'web', port: 80 }] }] });
  const grant = object(GW, 'ReferenceGrant', 'shadow', 'allow-app', { from: [{ group: GW.split('/')[0], kind: 'HTTPRoute', namespace: 'app' }], to: [{ group: '', kind: 'Service' }] });

  it('routes the gateway to a RequestMirror filter\'s backend as to the route\'s own, honouring ReferenceGrant', () => {
    const mirrored = mirrorTo({ name: 'copy', namespace: 'shadow', port: 90 });
    const withGrant = entryFlows([...backends, ...shadow, gateway('edge', 'gw', [httpListener]), mirrored, grant], 'edge/gw[Gateway]', options);
    expect(withGrant).toEqual(['app/web[Deployment] : [{"protocol":"TCP","port":8080}]', 'shadow/copy[Deployment] : [{"protocol":"TCP","port":9090}]']);
    const { json, parsed } = analyse(docs(...backends, ...shadow, gateway('edge', 'gw', [httpListener]), mirrored), options);
    expect(json.connections.filter((c) => c.from === 'edge/gw[Gateway]').map((c) => c.to)).toEqual(['app/web[Deployment]']);
    expect(parsed.diagnostics.find((d) => d.code === 'gateway/backend-not-permitted')?.message).toContain('Service shadow/copy');
  });
  it('does not route a mirror of 0 %', () => {
    expect(entryFlows([...backends, ...shadow, gateway('edge', 'gw', [httpListener]), mirrorTo({ name: 'copy', namespace: 'shadow', port: 90 }, { percent: 0 }), grant], 'edge/gw[Gateway]', options))
      .toEqual(['app/web[Deployment] : [{"protocol":"TCP","port":8080}]']);
  });
  it.each([
    ['an HTTPRoute rule', 'HTTPRoute', { rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Mirror', name: 'm' } }], backendRefs: [{ name: 'web', port: 80 }] }] }],
    ['an HTTPRoute backendRef', 'HTTPRoute', { rules: [{ backendRefs: [{ name: 'web', port: 80, filters: [{ type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Mirror', name: 'm' } }] }] }] }],
    ['a GRPCRoute rule', 'GRPCRoute', { rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Mirror', name: 'm' } }], backendRefs: [{ name: 'web', port: 80 }] }] }],
  ])('reports an ExtensionRef filter of %s as not evaluated', (_where, kind, spec) => {
    const route = object(GW, kind, 'app', 'web', { parentRefs: [{ name: 'gw', namespace: 'edge' }], ...spec });
    const { parsed } = analyse(docs(...backends, gateway('edge', 'gw', [httpListener]), route), options);
    const warning = parsed.diagnostics.find((d) => d.code === 'gateway/filter-not-evaluated');
    expect(warning?.message).toContain(`${kind} app/web has an ExtensionRef filter (Mirror (example.com) m), an implementation's own, which netdiagram does NOT EVALUATE`);
    expect(warning?.location?.line).toBeGreaterThan(0);
    expect(parsed.unevaluated).toEqual([expect.objectContaining({ kind, part: 'an ExtensionRef filter', count: 1 })]);
  });
});

describe('the hosts of a Gateway', () => {
  const hostsOf = (listenerHostname: string | undefined, hostnames: string[] | undefined, kind = 'HTTPRoute') => {
    const listener = { name: 'l', port: 443, protocol: kind === 'TCPRoute' ? 'TCP' : 'HTTPS', allowedRoutes: { namespaces: { from: 'All' } }, ...(listenerHostname ? { hostname: listenerHostname } : {}) };
    const route = object(GW, kind, 'app', 'web', { parentRefs: [{ name: 'gw', namespace: 'edge' }], ...(hostnames ? { hostnames } : {}), rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    return analyse(docs(...backends, gateway('edge', 'gw', [listener]), route)).parsed.cluster.ingresses.find((i) => i.id === 'edge/gw[Gateway]')?.hosts;
  };
  it('holds only the route hostnames that intersect the listener\'s, narrowed to the more specific name', () => {
    expect(hostsOf('shop.example.com', ['shop.example.com', 'admin.internal'])).toEqual(['shop.example.com']);
    expect(hostsOf('*.example.com', ['shop.example.com', 'admin.internal', 'example.com'])).toEqual(['shop.example.com']);
    expect(hostsOf('shop.example.com', ['*.example.com'])).toEqual(['shop.example.com']);
    expect(hostsOf('*.example.com', ['*.shop.example.com'])).toEqual(['*.shop.example.com']);
    expect(hostsOf('*.shop.example.com', ['*.example.com'])).toEqual(['*.shop.example.com']);
  });
  it('holds the route\'s hostnames when the listener has none, and the listener\'s when the route has none', () => {
    expect(hostsOf(undefined, ['b.example.com', 'a.example.com'])).toEqual(['a.example.com', 'b.example.com']);
    expect(hostsOf('shop.example.com', undefined)).toEqual(['shop.example.com']);
    expect(hostsOf(undefined, undefined)).toEqual([]);
  });
  it('does not add a listener\'s hostname for a route that did not attach through it', () => {
    const two = gateway('edge', 'gw', [
      { name: 'a', port: 443, protocol: 'HTTPS', hostname: 'a.example.com', allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'b', port: 443, protocol: 'HTTPS', hostname: 'b.example.com', allowedRoutes: { namespaces: { from: 'All' } } },
    ]);
    const route = routeToWeb({ hostnames: ['a.example.com'] });
    expect(analyse(docs(...backends, two, route)).parsed.cluster.ingresses.find((i) => i.id === 'edge/gw[Gateway]')?.hosts).toEqual(['a.example.com']);
  });
});

describe('allowedRoutes.kinds and the listener protocol', () => {
  const options = { gatewayController: { namespace: 'edge', labels: {} } };
  const tcpRoute = object('gateway.networking.k8s.io/v1alpha2', 'TCPRoute', 'app', 'web', { parentRefs: [{ name: 'gw', namespace: 'edge' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
  const attachedRoutes = (protocol: string, kinds: string[], route: string) => {
    const listener = { name: 'l', port: 80, protocol, allowedRoutes: { namespaces: { from: 'All' }, kinds: kinds.map((kind) => ({ kind })) } };
    const { parsed } = analyse(docs(...backends, gateway('edge', 'gw', [listener]), route), options);
    return { routes: parsed.cluster.ingresses.find((i) => i.id === 'edge/gw[Gateway]')?.routes, diagnostics: parsed.diagnostics };
  };

  it.each([
    ['TCPRoute on an HTTP listener', 'HTTP', ['TCPRoute'], tcpRoute],
    ['HTTPRoute on a TCP listener', 'TCP', ['HTTPRoute'], routeToWeb()],
    ['HTTPRoute on a TLS listener', 'TLS', ['HTTPRoute'], routeToWeb()],
    ['TCPRoute on a UDP listener', 'UDP', ['TCPRoute'], tcpRoute],
  ])('does not attach a %s named in kinds: a warning (InvalidRouteKinds)', (_what, protocol, kinds, route) => {
    const { routes, diagnostics } = attachedRoutes(protocol, kinds, route);
    expect(routes).toEqual([]);
    const warning = diagnostics.find((d) => d.code === 'gateway/invalid-route-kind');
    expect(warning?.message).toContain(`Gateway edge/gw listener "l" (protocol ${protocol}) names ${kinds[0]} in allowedRoutes.kinds, which protocol ${protocol} does not carry`);
    expect(warning?.location?.line).toBeGreaterThan(0);
    expect(diagnostics.find((d) => d.code === 'gateway/not-attached')?.message).toContain('(InvalidRouteKinds)');
  });
  it('still attaches the valid kinds of a list that names an invalid one', () => {
    const { routes, diagnostics } = attachedRoutes('HTTP', ['TCPRoute', 'HTTPRoute'], routeToWeb());
    expect(routes).toEqual(['app/web[HTTPRoute]']);
    expect(codes(diagnostics)).toContain('gateway/invalid-route-kind');
  });
  it('attaches a compatible kind named in kinds without a warning, TCPRoute on TLS included', () => {
    expect(attachedRoutes('TLS', ['TCPRoute'], tcpRoute)).toMatchObject({ routes: ['app/web[TCPRoute]'] });
    expect(codes(attachedRoutes('HTTPS', ['HTTPRoute'], routeToWeb()).diagnostics)).not.toContain('gateway/invalid-route-kind');
  });
  it('takes the kinds of an implementation\'s own protocol as written', () => {
    expect(attachedRoutes('example.com/custom', ['HTTPRoute'], routeToWeb()).routes).toEqual(['app/web[HTTPRoute]']);
  });
});
