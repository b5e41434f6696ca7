import { describe, expect, it } from 'vitest';
import { buildView } from '@netdiagram/render';
import { allow, denyAll, graphOf, namespace, workload } from './builders.js';

// One namespace's page of a multi-page diagram: its workloads, every flow with an end in it, the
// namespaces at the other ends as boxes naming their page, and the whole input's counts.

/** front → api → db across three namespaces, plus a flow between the other two that the api page must leave out. */
function cluster(): string[] {
  return [
    namespace('front'), namespace('api'), namespace('data'),
    workload('front', 'web', { ports: [{ name: 'http', containerPort: 8080 }] }),
    workload('api', 'orders', { ports: [{ name: 'http', containerPort: 9000 }] }),
    workload('api', 'users', { ports: [{ name: 'http', containerPort: 9000 }] }),
    workload('data', 'db', { ports: [{ name: 'pg', containerPort: 5432 }] }),
    workload('data', 'cache', { ports: [{ name: 'redis', containerPort: 6379 }] }),
    denyAll('front'), denyAll('api'), denyAll('data'),
    ...allow('front', 'web', 'api', 'orders', 9000),
    ...allow('api', 'orders', 'data', 'db', 5432),
    ...allow('api', 'users', 'data', 'db', 5432),
    // neither end in api: drawn on the front and data pages only
    ...allow('front', 'web', 'data', 'cache', 6379),
  ];
}

describe('a namespace\'s page (buildView with focus)', () => {
  const graph = graphOf(cluster());
  const pageOf = new Map([['api', 2], ['data', 3], ['front', 4]]);
  const page = buildView(graph, { focus: 'api', pageOf });
  const whole = buildView(graph, {});

  it('draws the namespace\'s workloads and the other namespaces as boxes naming their page', () => {
    const kinds = page.nodes.map((n) => [n.id, n.kind]);
    expect(kinds).toEqual(expect.arrayContaining([['api/orders[Deployment]', 'workload'], ['api/users[Deployment]', 'workload']]));
    const boxes = page.nodes.filter((n) => n.kind === 'namespace-summary');
    expect(boxes.map((b) => b.kind === 'namespace-summary' && [b.namespaces, b.pageRef])).toEqual([[['data'], 'page 3'], [['front'], 'page 4']]);
    expect(page.nodes.some((n) => n.kind === 'workload' && n.namespace !== 'api')).toBe(false);
  });

  it('draws every flow with an end in the namespace, and no other', () => {
    const inApi = (id: string) => id.startsWith('api/') || id === '@ns:api';
    const flows = page.edges.filter((e) => e.style !== 'route' && e.style !== 'broken-route');
    expect(flows.length).toBeGreaterThan(0);
    for (const e of flows) expect(inApi(e.source) || inApi(e.target)).toBe(true);
    expect(flows.map((e) => e.id)).toEqual(expect.arrayContaining(['@summary:front->api/orders[Deployment]']));
    expect(flows.some((e) => e.title.includes('data/cache'))).toBe(false);
    // the whole drawing has the flow the page leaves out
    expect(whole.edges.some((e) => e.title.includes('data/cache'))).toBe(true);
  });

  it('keeps the whole input\'s counts, so every page\'s title block says the same', () => {
    expect({ ...page.stats, drawnNodes: 0 }).toEqual({ ...whole.stats, drawnNodes: 0 });
    expect(page.stats.workloads).toBe(5);
  });

  it('splits into the flows into the namespace (and between its workloads) and the flows out of it, for a namespace too large for one page', () => {
    const flowsOf = (view: ReturnType<typeof buildView>) => view.edges.filter((e) => e.style !== 'route' && e.style !== 'broken-route').map((e) => e.id).sort();
    const inbound = buildView(graph, { focus: 'api', focusSide: 'inbound', pageOf });
    const outbound = buildView(graph, { focus: 'api', focusSide: 'outbound', pageOf });
    const inApi = (id: string) => id.startsWith('api/') || id === '@ns:api';
    expect(flowsOf(inbound).length).toBeGreaterThan(0);
    expect(flowsOf(outbound).length).toBeGreaterThan(0);
    for (const e of inbound.edges) expect(inApi(e.target)).toBe(true);
    for (const e of outbound.edges) expect(inApi(e.source) && !inApi(e.target)).toBe(true);
    // together, the halves draw what the whole page draws
    expect([...flowsOf(inbound), ...flowsOf(outbound)].sort()).toEqual(flowsOf(page));
    expect(inbound.stats).toEqual({ ...whole.stats, drawnNodes: inbound.stats.drawnNodes });
  });
});
