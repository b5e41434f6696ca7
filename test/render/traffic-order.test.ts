import { describe, expect, it } from 'vitest';
import { layoutGraph, type Layout } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, policy, workload } from './builders.js';

const x = (layout: Layout, id: string) => layout.nodes.find((n) => n.node.id === id)!.box.x;

/**
 * Online Boutique in small, with names that sort against the traffic: `zeta` (the front end) is
 * called by `yak` and calls `alpha`, `beta` and `gamma`; zeta admits every source and the three may
 * send anywhere, so each of them may also reach zeta: as many edges back as forward.
 */
function shop(): string[] {
  const callees = ['alpha', 'beta', 'gamma'];
  return [
    namespace('shop'),
    workload('shop', 'yak'),
    workload('shop', 'zeta', { ports: [{ containerPort: 8080 }] }),
    ...callees.map((c, i) => workload('shop', c, { ports: [{ containerPort: 7000 + i }] })),
    denyAll('shop'),
    ...allow('shop', 'yak', 'shop', 'zeta', 8080),
    ...callees.flatMap((c, i) => allow('shop', 'zeta', 'shop', c, 7000 + i)),
    policy('shop', 'zeta-open', { podSelector: { matchLabels: { app: 'zeta' } }, policyTypes: ['Ingress'], ingress: [{}] }),
    ...callees.map((c) => policy('shop', `${c}-out`, { podSelector: { matchLabels: { app: c } }, policyTypes: ['Egress'], egress: [{}] })),
  ];
}

describe('layering that follows the traffic', () => {
  it('places callers before callees, whatever their names, and breaks cycles at the edges an open side makes', async () => {
    const layout = await layoutGraph(graphOf(shop()), { detail: 'workload' });
    const zeta = x(layout, 'shop/zeta[Deployment]');
    expect(x(layout, 'shop/yak[Deployment]')).toBeLessThan(zeta);
    for (const callee of ['alpha', 'beta', 'gamma']) expect(zeta).toBeLessThan(x(layout, `shop/${callee}[Deployment]`));
    // every edge that points back ends on zeta, the side that admits every source
    const backward = layout.edges.filter((e) => e.edge.style !== 'route' && e.points.at(-1)!.x < e.points[0]!.x);
    expect(backward.every((e) => e.edge.target === 'shop/zeta[Deployment]')).toBe(true);
  });
});
