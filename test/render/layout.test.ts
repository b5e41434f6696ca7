import { describe, expect, it } from 'vitest';
import { layoutGraph, type Box, type Layout } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, policy, workload } from './builders.js';

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const intersects = (a: Box, b: Box) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;

function manifests(): string[] {
  return [
    namespace('front'), namespace('back'),
    workload('front', 'web', { ports: [{ containerPort: 8080 }] }),
    workload('back', 'api', { ports: [{ containerPort: 9000 }] }),
    workload('back', 'db', { kind: 'StatefulSet', ports: [{ containerPort: 5432 }] }),
    denyAll('front'), denyAll('back'),
    ...allow('front', 'web', 'back', 'api', 9000), ...allow('back', 'api', 'back', 'db', 5432),
    policy('front', 'web-public', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] }] }),
    policy('back', 'api-out', { podSelector: { matchLabels: { app: 'api' } }, egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ port: 443 }] }] }),
  ];
}

function box(layout: Layout, id: string): Box {
  const found = layout.nodes.find((n) => n.node.id === id) ?? layout.containers.find((c) => c.container.id === id);
  if (!found) throw new Error(`no ${id} in the layout`);
  return found.box;
}

function outside(layout: Layout, side: 'source' | 'destination'): Box[] {
  return layout.nodes.filter((n) => n.node.kind === 'external' && n.node.side === side).map((n) => n.box);
}

describe('layoutGraph', () => {
  it('places every shape inside its namespace box, and namespace boxes inside the cluster', async () => {
    const layout = await layoutGraph(graphOf(manifests()));
    for (const n of layout.nodes) if (n.node.parent !== undefined) expect(inside(n.box, box(layout, n.node.parent)), n.node.id).toBe(true);
    for (const c of layout.containers) if (c.container.parent !== undefined) expect(inside(c.box, box(layout, c.container.parent))).toBe(true);
  });

  it('puts outside sources left of the cluster and destinations right of it', async () => {
    const layout = await layoutGraph(graphOf(manifests()));
    const cluster = box(layout, '@cluster');
    const sources = outside(layout, 'source');
    const destinations = outside(layout, 'destination');
    expect(sources.length).toBeGreaterThan(0);
    expect(destinations.length).toBeGreaterThan(0);
    for (const source of sources) expect(source.x + source.width).toBeLessThan(cluster.x);
    for (const destination of destinations) expect(destination.x).toBeGreaterThan(cluster.x + cluster.width);
  });

  it('puts them above and below the cluster with direction down', async () => {
    const layout = await layoutGraph(graphOf(manifests()), { direction: 'down' });
    const cluster = box(layout, '@cluster');
    for (const source of outside(layout, 'source')) expect(source.y + source.height).toBeLessThan(cluster.y);
    for (const destination of outside(layout, 'destination')) expect(destination.y).toBeGreaterThan(cluster.y + cluster.height);
  });

  it('routes edges orthogonally, ending on the port square a flow lands on', async () => {
    const layout = await layoutGraph(graphOf(manifests()));
    for (const e of layout.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < e.points.length; i++) {
        const [a, b] = [e.points[i - 1]!, e.points[i]!];
        expect(a.x === b.x || a.y === b.y, `${e.edge.id} segment ${i}`).toBe(true);
      }
    }
    const flow = layout.edges.find((e) => e.edge.id === 'back/api[Deployment]->back/db[StatefulSet]')!;
    const db = box(layout, 'back/db[StatefulSet]');
    const end = flow.points[flow.points.length - 1]!;
    expect(end.x).toBeLessThan(db.x); // on the outer side of the square, left of the pod
    expect(end.y).toBeGreaterThan(db.y);
    expect(end.y).toBeLessThan(db.y + db.height);
  });

  it('keeps edge labels off every shape', async () => {
    const layout = await layoutGraph(graphOf(manifests()));
    const labels = layout.edges.flatMap((e) => (e.label ? [e.label] : []));
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) for (const n of layout.nodes) expect(intersects(label, n.box), n.node.id).toBe(false);
  });

  it('rounds every coordinate to 0.01', async () => {
    const layout = await layoutGraph(graphOf(manifests()));
    const numbers: number[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'number') numbers.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(layout);
    expect(numbers.length).toBeGreaterThan(50);
    expect(numbers.filter((n) => Math.round(n * 100) / 100 !== n)).toEqual([]);
  });
});
