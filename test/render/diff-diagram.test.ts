import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildView, layoutGraph, renderSvg, type DiagramView } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, policy, workload } from './builders.js';

const edge = (view: DiagramView, id: string) => view.edges.find((e) => e.id === id);

const base = [namespace('s'), denyAll('s'), workload('s', 'web'), workload('s', 'db', { ports: [{ containerPort: 5432 }] })];
const webToDb = (ports: number[]) => [
  policy('s', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: ports.map((port) => ({ port })) }] }),
  policy('s', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: ports.map((port) => ({ port })) }] }),
];
const webToOutside = policy('s', 'web-to-partner', {
  podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'],
  egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 443 }] }],
});

describe('buildView with a previous input', () => {
  it('marks an added flow and a flow whose ports changed, with a label prefix and the change in the tooltip', () => {
    const previous = graphOf([...base, ...webToDb([5432])]);
    const added = buildView(graphOf([...base, ...webToDb([5432]), workload('s', 'cache', { ports: [{ containerPort: 6379 }] }), ...allow('s', 'web', 's', 'cache', 6379)]), { previous, detail: 'full' });
    expect(edge(added, 's/web[Deployment]->s/cache[Deployment]')).toMatchObject({ change: 'added', label: '+ TCP 6379' });
    expect(edge(added, 's/web[Deployment]->s/db[Deployment]')?.change).toBeUndefined();
    expect(added.changes).toEqual({ added: 1, removed: 0, changed: 0 });

    const changed = buildView(graphOf([...base, ...webToDb([5432, 6432])]), { previous, detail: 'full' });
    const e = edge(changed, 's/web[Deployment]->s/db[Deployment]');
    expect(e).toMatchObject({ change: 'changed', label: '~ TCP 5432,6432' });
    expect(e?.title).toContain('~ s/web[Deployment] → s/db[Deployment]: TCP 5432 → TCP 5432,6432');
  });

  it('draws a removed flow as a removed edge, with a removed shape for a workload that is gone', () => {
    const previous = graphOf([...base, ...webToDb([5432]), workload('s', 'old', { ports: [{ containerPort: 8080 }] }), ...allow('s', 'web', 's', 'old', 8080)]);
    const view = buildView(graphOf([...base, ...webToDb([5432])]), { previous, detail: 'full' });
    expect(view.nodes.find((n) => n.id === '@removed:s/old[Deployment]')).toMatchObject({ kind: 'removed', parent: '@ns:s', name: 'old', objectKind: 'Deployment' });
    expect(edge(view, 's/web[Deployment]->@removed:s/old[Deployment]#removed')).toMatchObject({ style: 'removed', label: '\u2212 TCP 8080' });
    expect(view.changes).toEqual({ added: 0, removed: 1, changed: 0 });
  });

  it('draws a removed flow to outside addresses that the new input no longer names', () => {
    const previous = graphOf([...base, webToOutside]);
    const view = buildView(graphOf(base), { previous, detail: 'full' });
    const removed = view.edges.filter((e) => e.style === 'removed');
    expect(removed.map((e) => [e.source, e.target, e.label])).toEqual([['s/web[Deployment]', 'ipblock:198.51.100.0/24@out', '\u2212 TCP 443']]);
    expect(view.nodes.find((n) => n.id === 'ipblock:198.51.100.0/24@out')).toMatchObject({ kind: 'external', side: 'destination' });
  });

  it('marks the unrestricted edges of workloads that lost or gained their isolation, not every implied flow', () => {
    const isolated = graphOf([...base, ...webToDb([5432])]);
    const open = graphOf([namespace('s'), workload('s', 'web'), workload('s', 'db', { ports: [{ containerPort: 5432 }] })]);
    const opened = buildView(open, { previous: isolated, detail: 'full' });
    const unrestricted = opened.edges.filter((e) => e.style === 'unrestricted');
    expect(unrestricted.length).toBeGreaterThan(0);
    expect(unrestricted.every((e) => e.change === 'added' && e.label.startsWith('+ ALL'))).toBe(true);
    expect(opened.edges.filter((e) => e.style === 'removed')).toEqual([]);

    const closed = buildView(isolated, { previous: open, detail: 'full' });
    const removed = closed.edges.filter((e) => e.style === 'removed');
    expect(removed.map((e) => e.id).sort()).toEqual([
      '@any:source->@ns:s#removed', '@ns:s->@any:destination#removed',
    ].sort());
    expect(removed.every((e) => e.label === '\u2212 ALL')).toBe(true);
  });

  it('marks nothing without a previous input, or against the same input', () => {
    const graph = graphOf([...base, ...webToDb([5432]), webToOutside]);
    for (const view of [buildView(graph, { detail: 'full' }), buildView(graph, { previous: graph, detail: 'full' })]) {
      expect(view.edges.every((e) => e.change === undefined && e.style !== 'removed')).toBe(true);
    }
    expect(buildView(graph, { detail: 'full' }).changes).toBeUndefined();
  });
});

describe('renderSvg of a diff diagram', () => {
  it('draws added and changed flows highlighted and removed ones dashed, with legend entries and counts', async () => {
    const previous = graphOf([...base, ...webToDb([5432]), webToOutside]);
    const current = graphOf([...base, ...webToDb([5432, 6432]), workload('s', 'cache'), ...allow('s', 'web', 's', 'cache', 6379)]);
    const svg = renderSvg(await layoutGraph(current, { previous, detail: 'full' }));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('class="edge flow added"');
    expect(svg).toContain('class="edge flow changed"');
    expect(svg).toContain('class="edge removed"');
    expect(svg).toMatch(/stroke="#CC79A7" stroke-width="2" stroke-dasharray="4 4"/);
    for (const key of ['change-added', 'change-changed', 'edge-removed']) expect(svg).toContain(`class="legend-${key}"`);
    expect(svg).toContain('1 added · 1 removed · 1 changed, since the previous input');
  });
});
