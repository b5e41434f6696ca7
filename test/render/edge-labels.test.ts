import { describe, expect, it } from 'vitest';
import { layoutGraph } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, workload } from './builders.js';

describe('edge labels', () => {
  it('labels once the line where edges with the same label land on one port, and puts a lone label next to its arrowhead', async () => {
    const layout = await layoutGraph(graphOf([
      namespace('shop'),
      workload('shop', 'a'), workload('shop', 'b'),
      workload('shop', 'db', { ports: [{ containerPort: 5432 }] }),
      workload('shop', 'cache', { ports: [{ containerPort: 6379 }] }),
      denyAll('shop'),
      ...allow('shop', 'a', 'shop', 'db', 5432), ...allow('shop', 'b', 'shop', 'db', 5432),
      ...allow('shop', 'a', 'shop', 'cache', 6379),
    ]), { detail: 'workload' });
    const intoDb = layout.edges.filter((e) => e.edge.target === 'shop/db[Deployment]');
    expect(intoDb.length).toBe(2);
    expect(intoDb.filter((e) => e.label !== undefined).length).toBe(1);
    const cache = layout.edges.find((e) => e.edge.target === 'shop/cache[Deployment]')!;
    const tip = cache.points.at(-1)!;
    // within a label's width of the port it lands on, not halfway along the edge
    expect(Math.abs(cache.label!.x + cache.label!.width - tip.x)).toBeLessThan(cache.label!.width + 20);
  });
});
