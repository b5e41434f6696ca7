import { describe, expect, it } from 'vitest';
import { buildView } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, policy, workload } from './builders.js';

/** `front` admits every source (`ingress: [{}]`); `caller` may reach only front; `worker` may send anywhere (`egress: [{}]`). */
function manifests(): string[] {
  return [
    namespace('shop'),
    workload('shop', 'front', { ports: [{ containerPort: 8080 }] }),
    workload('shop', 'caller'),
    workload('shop', 'worker'),
    denyAll('shop'),
    ...allow('shop', 'caller', 'shop', 'front', 8080),
    policy('shop', 'front-open', { podSelector: { matchLabels: { app: 'front' } }, policyTypes: ['Ingress'], ingress: [{}] }),
    policy('shop', 'worker-out', { podSelector: { matchLabels: { app: 'worker' } }, policyTypes: ['Egress'], egress: [{}] }),
  ];
}

describe('a side whose policies admit every peer is said once', () => {
  it('draws one edge from ANY titled with the rule that opens it, and no edge for a pair both open sides imply', () => {
    const graph = graphOf(manifests());
    const view = buildView(graph, { detail: 'workload' });
    const any = view.edges.find((e) => e.source === '@any:source' && e.target === 'shop/front[Deployment]');
    expect(any?.style).toBe('unrestricted');
    expect(any?.title).toContain('netpol:shop/front-open#ingress[0]');
    expect(view.edges.some((e) => e.source === 'shop/worker[Deployment]' && e.target === 'shop/front[Deployment]')).toBe(false);
    expect(view.edges.some((e) => e.source === 'shop/worker[Deployment]' && e.target === '@any:destination')).toBe(true);
  });

  it('keeps its own edge for a flow the other side restricts, and counts every flow in the title block', () => {
    const graph = graphOf(manifests());
    const view = buildView(graph, { detail: 'workload' });
    const caller = view.edges.find((e) => e.source === 'shop/caller[Deployment]' && e.target === 'shop/front[Deployment]');
    expect(caller?.label).toBe('TCP 8080');
    const flows = graph.filterEdges((_e, a) => a.type === 'flow').length;
    expect(view.stats.flows).toBe(flows);
    expect(flows).toBeGreaterThanOrEqual(2);
  });
});
