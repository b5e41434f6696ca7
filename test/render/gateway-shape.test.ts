import { describe, expect, it } from 'vitest';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { graphOf, ingress, service, workload } from './builders.js';

const gateway = (hostname: string) => JSON.stringify({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'x' },
  spec: { gatewayClassName: 'c', listeners: [{ name: 'web', port: 443, protocol: 'HTTPS', hostname }, { name: 'plain', port: 80, protocol: 'HTTP' }] },
});
const route = JSON.stringify({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'x' },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
});
const backend = [workload('x', 'web', { labels: { app: 'web' }, ports: [{ containerPort: 8080 }] }), service('x', 'web', { app: 'web' }, [{ port: 80, targetPort: 8080 }])];
const render = async (manifests: string[]) => renderSvg(await layoutGraph(graphOf(manifests)));

describe('the Gateway shape', () => {
  it('is the Ingress parallelogram with a second wall, labelled with its listeners, host and name', async () => {
    const svg = await render([...backend, gateway('shop.example.com'), route]);
    expect(svg).toContain('>HTTPS 443 · HTTP 80</text>');
    expect(svg).toContain('>shop.example.com</text>');
    expect(svg).toContain('Gateway x/gw\nhosts: shop.example.com\nlisteners: web HTTPS 443 shop.example.com, plain HTTP 80\nroutes: x/r[HTTPRoute]');
    expect(svg).toContain('Gateway: listeners, host and name');
    expect(svg).not.toContain('Ingress: host and name');
  });
  it('names Gateways in the legend of the traffic from outside', async () => {
    // web admits every pod on 8080: the Gateway's traffic is a flow drawn as from outside
    const admitPods = JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'x' },
      spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }] } });
    const svg = await render([...backend, gateway('shop.example.com'), route, admitPods]);
    expect(svg).toContain('class="edge from-outside');
    expect(svg).toContain('allowed from outside the cluster or via an Ingress or Gateway');
  });
  it('says once in the title block that every Gateway is taken as programmed and accepted by its controller', async () => {
    const layout = await layoutGraph(graphOf([...backend, gateway('shop.example.com'), route]));
    const svg = renderSvg(layout, { title: 't', gateways: 1 });
    expect(svg.split('taken as programmed').length - 1).toBe(1);
    expect(svg).toContain('>Gateways</text>');
    expect(svg).toContain('>1, taken as programmed and accepted by its controller</text>');
    expect(renderSvg(layout, { title: 't', gateways: 0 })).not.toContain('taken as programmed');
  });
  it('keeps the Ingress legend entry to diagrams that draw an Ingress', async () => {
    const svg = await render([...backend, ingress('x', 'ing', 'shop.example.com', 'web', 80)]);
    expect(svg).toContain('Ingress: host and name');
    expect(svg).not.toContain('Gateway: listeners');
  });
  it('escapes a hostile hostname', async () => {
    const svg = await render([...backend, gateway('<script>.example.com'), route]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;.example.com');
  });
});
