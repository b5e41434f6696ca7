import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildTrafficGraph, computeExposure, computeScope, parseManifests, type Cluster, type ScopeOptions } from '@netdiagram/core';
import { boundaryExposureRows, buildView, layoutView, renderSvg, type DiagramView, type RepresentativeShape } from '@netdiagram/render';
import { placeholder, withHostileText } from '../support/hostile.js';
import { denyAll, namespace, policy, workload } from './builders.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return e.name.endsWith('.yaml') && e.name !== 'expectations.yaml' ? [path] : [];
  });
}

function clusterOf(sources: readonly { name: string; text: string }[]): Cluster {
  const parsed = parseManifests(sources);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return parsed.cluster;
}

const example = (name: string) => clusterOf(yamlFiles(join('examples', name)).sort().map((path) => ({ name: path, text: readFileSync(path, 'utf8') })));
const inline = (manifests: readonly string[]) => clusterOf([{ name: 'input.yaml', text: manifests.join('\n---\n') }]);

/** The view as `diagram` builds it: the scope with the exposure, and the rows `--exposure` (all) or the default (the boundary's) picks. */
function viewOf(cluster: Cluster, options: { scope?: ScopeOptions; rows: 'all' | 'boundary' | 'none'; detail?: 'full' | 'workload' | 'namespace' }): DiagramView {
  const graph = buildTrafficGraph(cluster);
  const exposure = computeExposure(cluster);
  const scope = computeScope(cluster, graph, { ...options.scope, exposure });
  const rows = options.rows === 'all' ? exposure.rows : options.rows === 'boundary' ? boundaryExposureRows(exposure.rows, scope) : [];
  return buildView(graph, { scope, exposure: rows, detail: options.detail ?? 'full' });
}

const representatives = (view: DiagramView) => view.nodes.filter((n): n is RepresentativeShape => n.kind === 'representative');
const edgesOf = (view: DiagramView, id: string) => view.edges.filter((e) => e.source === id || e.target === id);

/**
 * ops/tool reaches any pod labelled app=monitoring in namespaces labelled team=ops on a named
 * port (no pod of the input resolves it); ops/api admits every pod of every namespace
 * (`namespaceSelector: {}`) on 8443, and so does ops/web.
 */
function selectorInput(texts: { team?: string; app?: string } = {}): string[] {
  return [
    namespace('ops'),
    workload('ops', 'tool'), workload('ops', 'api', { ports: [{ containerPort: 8443 }] }), workload('ops', 'web', { ports: [{ containerPort: 8443 }] }),
    denyAll('ops'),
    policy('ops', 'tool-out', {
      podSelector: { matchLabels: { app: 'tool' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { team: texts.team ?? 'ops' } }, podSelector: { matchLabels: { app: texts.app ?? 'monitoring' } } }], ports: [{ port: 'http' }] }],
    }),
    ...['api', 'web'].map((app) => policy('ops', `${app}-in`, {
      podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8443 }] }],
    })),
  ];
}

describe('diagram exposure: representative peers', () => {
  it('draws no representative peer for the pci-demo, whose policies name every peer inside the CDE or in the input', () => {
    const view = viewOf(example('pci-demo'), { scope: { cde: ['app=pci'] }, rows: 'boundary' });
    expect(view.scope?.boundary.filter((f) => f.representative)).toEqual([]);
    expect(representatives(view)).toEqual([]);
    expect(view.containers.filter((c) => c.kind === 'peer-namespace')).toEqual([]);
  });

  it('draws the shop\'s boundary peers, such as the pods app=prometheus in namespace monitoring, inside the namespace box, each with its F-numbers', () => {
    const view = viewOf(example('shop'), { scope: { cde: ['pci-dss/scope=cde'] }, rows: 'boundary' });
    const prometheus = representatives(view).find((n) => n.id === '@peer:monitoring/[pod with {app=prometheus}]');
    expect(prometheus).toMatchObject({ label: 'any pod · app=prometheus', parent: '@ns:monitoring', zone: 'connected' });
    expect(prometheus!.title).toContain('pods app=prometheus in namespace monitoring');
    expect(prometheus!.title).toContain('in the input: monitoring/prometheus[StatefulSet]');
    // one shape, shared by the four CDE workloads it may scrape
    const scrapes = edgesOf(view, prometheus!.id);
    expect(scrapes.map((e) => e.target).sort()).toEqual(['payment/card-vault[StatefulSet]', 'payment/fraud-check[Deployment]', 'payment/payment-api[Deployment]', 'payment/tokenizer[Deployment]']);
    expect(scrapes.every((e) => e.label === 'TCP 9102' && e.boundary?.length === 1)).toBe(true);
    // every representative boundary flow has its number on a drawn edge from or to its peer's shape
    const representativeIds = new Set(representatives(view).map((n) => n.id));
    const drawn = new Set(view.edges.filter((e) => representativeIds.has(e.source) || representativeIds.has(e.target)).flatMap((e) => e.boundary ?? []));
    const numbered = view.scope!.boundary.filter((f) => f.representative).map((f) => f.id);
    expect(numbered.length).toBeGreaterThan(0);
    expect([...drawn].sort()).toEqual([...numbered].sort());
  });

  it('still draws a representative edge that a drawn edge from a real pod covers, since it says more', () => {
    const view = viewOf(example('shop'), { scope: { cde: ['pci-dss/scope=cde'] }, rows: 'boundary' });
    // the real scrape edge goes to the payment namespace box, as every workload there shares it
    const real = view.edges.find((e) => e.source === 'monitoring/prometheus[StatefulSet]' && e.target === '@ns:payment');
    const peer = view.edges.find((e) => e.source === '@peer:monitoring/[pod with {app=prometheus}]' && e.target === 'payment/card-vault[StatefulSet]');
    expect(real?.label).toBe('TCP 9102');
    expect(peer?.label).toBe('TCP 9102');
    expect(real!.boundary).toContain(peer!.boundary![0]);
  });

  it('draws every exposure row with --exposure: a selector peer in a dashed namespace box, the whole cluster as one shape beside ANY', () => {
    const view = viewOf(inline(selectorInput()), { rows: 'all' });
    const box = view.containers.find((c) => c.kind === 'peer-namespace');
    expect(box).toMatchObject({ id: '@peer-ns:[team=ops]', label: 'any namespace · team=ops', parent: '@cluster' });
    const monitoring = representatives(view).find((n) => n.parent === box!.id);
    expect(monitoring?.label).toBe('any pod · app=monitoring');
    // a named egress port stays a name: no pod of the input says which number it is
    expect(edgesOf(view, monitoring!.id)).toMatchObject([{ source: 'ops/tool[Deployment]', label: 'TCP http' }]);
    const cluster = representatives(view).filter((n) => n.entireCluster);
    expect(cluster).toMatchObject([{ id: '@cluster-pods:source', label: 'any pod in the cluster', parent: undefined, side: 'source' }]);
    expect(edgesOf(view, cluster[0]!.id).map((e) => `${e.target} ${e.label}`)).toEqual(['ops/api[Deployment] TCP 8443', 'ops/web[Deployment] TCP 8443']);
    expect(view.scope).toBeUndefined();
  });

  it('numbers the ANY edge of a CDE workload no policy isolates with its representative flows, and draws no second shape for them', () => {
    // pay/api alone: no pod of the input reaches it, yet every pod of the cluster may
    const view = viewOf(inline([namespace('pay'), workload('pay', 'api')]), { scope: { cde: ['app=api'] }, rows: 'boundary' });
    const flows = view.scope!.boundary.filter((f) => f.representative);
    expect(flows.map((f) => `${f.from} → ${f.to}`)).toEqual(['any pod in the cluster → pay/api[Deployment]', 'pay/api[Deployment] → any pod in the cluster']);
    expect(view.edges.find((e) => e.id === '@any:source->pay/api[Deployment]')?.boundary).toContain(flows[0]!.id);
    expect(view.edges.find((e) => e.id === 'pay/api[Deployment]->@any:destination')?.boundary).toContain(flows[1]!.id);
    expect(representatives(view)).toEqual([]);
  });

  it('draws no representative peer when exposure is off, and none by default without a CDE', () => {
    expect(representatives(viewOf(inline(selectorInput()), { rows: 'none' }))).toEqual([]);
    expect(representatives(viewOf(example('shop'), { scope: { cde: ['pci-dss/scope=cde'] }, rows: 'none' }))).toEqual([]);
  });

  it('draws no second box for a peer whose namespace is collapsed and whose pods in the input already have the box\'s edge, which carries its numbers', () => {
    const view = viewOf(example('shop'), { scope: { cde: ['pci-dss/scope=cde'] }, rows: 'boundary', detail: 'namespace' });
    const scrape = view.scope!.boundary.filter((f) => f.from === 'pods app=prometheus in namespace monitoring').map((f) => f.id);
    expect(scrape.length).toBeGreaterThan(0);
    expect(representatives(view).filter((n) => n.id.startsWith('@peer:monitoring/'))).toEqual([]);
    expect(view.containers.some((c) => c.id === '@peer-ns:monitoring')).toBe(false);
    const box = view.edges.find((e) => e.source === '@summary:monitoring' && e.target === '@ns:payment');
    expect(box?.boundary).toEqual(expect.arrayContaining(scrape));
    // at full detail the peer keeps its shape beside the real pod's edge (see above)
    const full = viewOf(example('shop'), { scope: { cde: ['pci-dss/scope=cde'] }, rows: 'boundary' });
    expect(representatives(full).some((n) => n.id.startsWith('@peer:monitoring/'))).toBe(true);
  });

  it('attaches representative edges to the collapsed namespace at namespace detail', () => {
    const view = viewOf(inline([...selectorInput(), namespace('shop'), workload('shop', 'front'), denyAll('shop')]), { rows: 'all', detail: 'namespace' });
    const targets = edgesOf(view, '@cluster-pods:source').map((e) => e.target);
    expect(targets).toHaveLength(1);
    expect(view.nodes.find((n) => n.id === targets[0])?.kind).toBe('namespace-summary');
  });

  it('keeps the legend and the boundary table readable: the shape is explained, a named port stays a name', async () => {
    // the CDE is ops/tool: its egress to pods app=monitoring in namespaces team=ops crosses the boundary
    const view = viewOf(inline(selectorInput()), { scope: { cde: ['app=tool'] }, rows: 'boundary' });
    const flow = view.scope!.boundary.find((f) => f.representative);
    expect(flow).toMatchObject({ from: 'ops/tool[Deployment]', to: 'pods app=monitoring in namespaces team=ops' });
    const svg = renderSvg(await layoutView(view, 'right'), { title: 't', source: 's', inputDigest: 'sha256:00', toolVersion: '0' });
    expect(svg).toContain('class="legend-representative"');
    expect(svg).toContain('pods a policy admits by selector, in the input or not');
    expect(svg).toContain('class="legend-peer-namespace"');
    const table = svg.slice(svg.indexOf('id="boundary-table"'));
    expect(table).toContain('>pods app=monitoring in namespaces team=ops<');
    expect(table).toContain('>TCP http<');
  });

  it('escapes selector text from the input in the SVG', async () => {
    const hostile = [`a<b>&"c'`, '<script>alert(1)</script>'];
    const cluster = withHostileText(inline(selectorInput({ team: placeholder(0), app: placeholder(1) })), hostile);
    const view = viewOf(cluster, { rows: 'all' });
    expect(representatives(view).map((n) => n.label)).toContain(`any pod · app=${hostile[1]}`);
    const svg = renderSvg(await layoutView(view, 'right'), { title: 't', source: 's', inputDigest: 'sha256:00', toolVersion: '0' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('any pod · app=&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('any namespace · team=a&lt;b&gt;&amp;&quot;c&apos;');
  });
});

describe('a namespace-wide peer, said once', () => {
  // api/orders admits every pod of namespace front on TCP 9000; front/web and front/admin may send
  // anywhere, front/batch only to orders, front/cron nowhere (so not every workload of front reaches orders)
  const input = () => [
    namespace('api'), namespace('front'),
    workload('api', 'orders', { ports: [{ name: 'http', containerPort: 9000 }] }),
    workload('front', 'web'), workload('front', 'admin'), workload('front', 'batch'), workload('front', 'cron'),
    policy('front', 'cron', { podSelector: { matchLabels: { app: 'cron' } }, policyTypes: ['Egress'] }),
    policy('api', 'orders', { podSelector: { matchLabels: { app: 'orders' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } } }], ports: [{ port: 9000 }] }] }),
    policy('front', 'batch', { podSelector: { matchLabels: { app: 'batch' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'orders' } } }], ports: [{ port: 9000 }] }] }),
  ];

  it('is one edge from the namespace box, with no "any pod" shape in it, and no edge of its own for a workload whose egress is open', () => {
    const view = viewOf(inline(input()), { rows: 'all' });
    const wide = view.edges.find((e) => e.source === '@ns:front' && e.target === 'api/orders[Deployment]');
    expect(wide?.label).toBe('TCP 9000');
    expect(representatives(view).filter((n) => n.parent === '@ns:front')).toEqual([]);
    const pairs = view.edges.filter((e) => e.target === 'api/orders[Deployment]' && e.source.startsWith('front/')).map((e) => e.source);
    // front/batch restricts its egress: its flow keeps its own edge; web and admin are open, the box's edge says theirs
    expect(pairs).toEqual(['front/batch[Deployment]']);
    expect(wide!.title).toContain('front/admin[Deployment], front/web[Deployment]');
  });

  it('keeps every pair\'s edge when the exposure is not drawn', () => {
    const view = viewOf(inline(input()), { rows: 'none' });
    expect(view.edges.filter((e) => e.target === 'api/orders[Deployment]' && e.source.startsWith('front/')).map((e) => e.source).sort())
      .toEqual(['front/admin[Deployment]', 'front/batch[Deployment]', 'front/web[Deployment]']);
  });
});

describe('a cluster-wide peer, said once', () => {
  it('is one edge from "any pod in the cluster", and a workload open for egress gets no edge of its own for the flow it implies', () => {
    const view = viewOf(inline([
      namespace('dns'), namespace('a'),
      workload('dns', 'coredns', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
      workload('a', 'open'), workload('a', 'closed'),
      policy('dns', 'coredns', { podSelector: { matchLabels: { app: 'coredns' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }] }),
      policy('a', 'closed', { podSelector: { matchLabels: { app: 'closed' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'coredns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] }),
    ]), { rows: 'all' });
    const wide = view.edges.find((e) => e.source === '@cluster-pods:source' && e.target === 'dns/coredns[Deployment]');
    expect(wide?.label).toBe('UDP 53');
    expect(wide!.title).toContain('a/open[Deployment]');
    const pairs = view.edges.filter((e) => e.target === 'dns/coredns[Deployment]' && e.source.startsWith('a/')).map((e) => e.source);
    expect(pairs).toEqual(['a/closed[Deployment]']);
  });
});
