import { describe, expect, it } from 'vitest';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { denyAll, graphOf, namespace, policy, service, workload } from './builders.js';

/** Bookinfo's shape: a Service with two backends (so drawn on its own), and a flow to the same pod port. */
function manifests(): string[] {
  const reviews = (version: string) => workload('bookinfo', `reviews-${version}`, { labels: { app: 'reviews', version }, ports: [{ containerPort: 9080 }] });
  return [
    namespace('bookinfo'),
    workload('bookinfo', 'productpage', { ports: [{ containerPort: 9080 }] }),
    reviews('v1'), reviews('v2'),
    service('bookinfo', 'reviews', { app: 'reviews' }, [{ port: 9080 }]),
    denyAll('bookinfo'),
    policy('bookinfo', 'productpage-out', { podSelector: { matchLabels: { app: 'productpage' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'reviews' } } }], ports: [{ port: 9080 }] }] }),
    policy('bookinfo', 'reviews-in', { podSelector: { matchLabels: { app: 'reviews' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'productpage' } } }], ports: [{ port: 9080 }] }] }),
  ];
}

describe('routes under flows', () => {
  it('draws Service routes beneath the flows and moves a route off the point where a flow lands on the same port', async () => {
    const layout = await layoutGraph(graphOf(manifests()), { detail: 'full' });
    const routes = layout.edges.filter((e) => e.edge.style === 'route' && e.edge.target.startsWith('bookinfo/reviews-'));
    const flows = layout.edges.filter((e) => e.edge.style === 'flow' && e.edge.target.startsWith('bookinfo/reviews-'));
    expect(routes.length).toBe(2);
    expect(flows.length).toBe(2);
    for (const route of routes) {
      const flow = flows.find((f) => f.edge.target === route.edge.target && f.edge.targetPort === route.edge.targetPort)!;
      expect(flow).toBeDefined();
      const a = route.points.at(-1)!;
      const b = flow.points.at(-1)!;
      expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(5);
      // still orthogonal after the move
      for (let i = 1; i < route.points.length; i++) {
        const p = route.points[i - 1]!;
        const q = route.points[i]!;
        expect(p.x === q.x || p.y === q.y).toBe(true);
      }
    }
    const svg = renderSvg(layout);
    const order = [...svg.matchAll(/<g id="e-[^"]*" class="edge ([a-z-]+)/g)].map((m) => m[1]);
    expect(order.lastIndexOf('route')).toBeLessThan(order.indexOf('flow'));
  });
});
