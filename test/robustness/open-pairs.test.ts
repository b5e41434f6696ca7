import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrafficGraph, formatConnectionLines, listFlows, parseManifests, toGraphJson, type GraphOptions, type Source } from '@netdiagram/core';
import { main } from '@netdiagram/cli';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderConnections } from '../../packages/cli/src/commands/connections.js';
import { jsonText } from '../../packages/cli/src/json-text.js';
import { docs, namespace, pod, policy } from '../support/analyse.js';
import { manifest } from './arbitraries.js';
import { fakeIo, tempDir } from './support.js';
import { stringify } from 'yaml';

const FORMATS = ['txt', 'json', 'csv', 'md'] as const;
const shop = join(import.meta.dirname, '../../examples/shop');
const shopSources = (): Source[] => readdirSync(shop).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ name: f, text: readFileSync(join(shop, f), 'utf8') }));

/** Both graphs of one input: every pair an edge, and the default-allow pairs left out. */
function bothGraphs(sources: readonly Source[], options: GraphOptions = {}) {
  const { cluster } = parseManifests(sources);
  return { edges: buildTrafficGraph(cluster, options), omitted: buildTrafficGraph(cluster, { ...options, openFlows: 'omit' }) };
}

/** Open workloads, isolated ones, an ipBlock that splits the outside, an Ingress: every kind of omitted flow. */
const mixed = docs(
  namespace('shop', { team: 'a' }),
  pod('shop', 'web', { app: 'web' }, [{ containerPort: 8080 }]),
  pod('shop', 'api', { app: 'api' }, [{ containerPort: 9090 }]),
  pod('shop', 'debug', { app: 'debug' }),
  pod('ops', 'tool', { app: 'tool' }),
  pod('ops', 'sender', { app: 'sender' }),
  policy('shop', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
  policy('ops', 'sender-out', {
    podSelector: { matchLabels: { app: 'sender' } }, policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }, { to: [{ namespaceSelector: {} }] }],
  }),
  policy('shop', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }] }),
);

describe('connections of a graph built with openFlows: omit', () => {
  it.each(FORMATS)('writes the same %s, byte for byte, as the graph that holds every default-allow pair', (format) => {
    for (const options of [{}, { podCidrs: ['10.244.0.0/16'] }]) {
      const { edges, omitted } = bothGraphs([{ name: 'mixed.yaml', text: mixed }], options);
      expect(omitted.size).toBeLessThan(edges.size);
      expect(renderConnections(omitted, format)).toBe(renderConnections(edges, format));
    }
    const { edges, omitted } = bothGraphs(shopSources());
    expect(renderConnections(omitted, format)).toBe(renderConnections(edges, format));
  });

  it('lists exactly the flows the graph counted as omitted, and toGraphJson gives the same value either way', () => {
    const { edges, omitted } = bothGraphs([{ name: 'mixed.yaml', text: mixed }]);
    expect(toGraphJson(omitted)).toEqual(toGraphJson(edges));
    expect(formatConnectionLines(omitted)).toEqual(formatConnectionLines(edges));
    expect([...listFlows(omitted)].length - omitted.filterEdges((_k, a) => a.type === 'flow').length).toBe(omitted.getAttribute('omittedOpenFlows'));
    // the old whole-list JSON, from the graph's own edges, sorted by (from, to)
    expect(renderConnections(omitted, 'json')).toBe(jsonText(toGraphJson(edges)));
  });

  it('agrees with the full graph on arbitrary clusters, with and without pod CIDRs', () => {
    const cluster = fc.array(manifest, { minLength: 1, maxLength: 8 }).map((objects) => objects.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n'));
    fc.assert(fc.property(cluster, fc.boolean(), (text, withPodCidr) => {
      const { edges, omitted } = bothGraphs([{ name: 'fuzz.yaml', text }], withPodCidr ? { podCidrs: ['10.0.0.0/8'] } : {});
      for (const format of FORMATS) expect(renderConnections(omitted, format)).toBe(renderConnections(edges, format));
    }), { numRuns: 150, seed: 20261202 });
  });
});

describe('connections --open-pairs summarize', () => {
  const run = async (argv: string[]) => {
    const dir = tempDir();
    const io = fakeIo(dir);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'mixed.yaml'), mixed);
    const exit = await main(['connections', join(dir, 'mixed.yaml'), ...argv], io);
    return { exit, out: io.out, err: io.err };
  };

  it('lists the flows policies decide, then one line per workload that no policy isolates in some direction', async () => {
    const { exit, out } = await run(['--open-pairs', 'summarize']);
    expect(exit).toBe(0);
    const lines = out.trimEnd().split('\n');
    // ops/sender is isolated for egress only: it still receives anything; shop/api and shop/web send anything
    expect(lines.filter((l) => !l.includes(' => '))).toEqual([
      'ops/sender[Pod] : ingress unrestricted',
      'ops/tool[Pod] : ingress unrestricted, egress unrestricted',
      'shop/api[Pod] : egress unrestricted',
      'shop/debug[Pod] : ingress unrestricted, egress unrestricted',
      'shop/web[Pod] : egress unrestricted',
    ]);
    // no default-allow pair is listed; pairs a policy decides are
    expect(lines.filter((l) => l.includes('default-allow'))).toEqual([]);
    expect(lines).toContain('shop/web[Pod] => shop/api[Pod] : All Connections');
    expect(lines).not.toContain('ops/tool[Pod] => shop/debug[Pod] : All Connections');
  });

  it('adds an openWorkloads field to the JSON only when asked, and leaves the other fields as the contract has them', async () => {
    const listed = JSON.parse((await run(['--format', 'json'])).out);
    expect(Object.keys(listed)).toEqual(['endpoints', 'connections', 'routes']);
    const summarized = JSON.parse((await run(['--format', 'json', '--open-pairs', 'summarize'])).out);
    expect(Object.keys(summarized)).toEqual(['endpoints', 'connections', 'routes', 'openWorkloads']);
    expect(summarized.openWorkloads).toContainEqual({ workload: 'ops/sender[Pod]', ingress: 'unrestricted', egress: 'isolated' });
    expect(summarized.openWorkloads).toHaveLength(5);
    // every listed connection is one of the full list, and none is a default-allow pair
    const all = new Set(listed.connections.map((c: { from: string; to: string }) => `${c.from} ${c.to}`));
    for (const c of summarized.connections) {
      expect(all.has(`${c.from} ${c.to}`)).toBe(true);
      expect(c.via.every((v: string) => v.startsWith('default-allow'))).toBe(false);
    }
  });

  it('gives CSV a fifth column naming the unrestricted directions, and Markdown a second table', async () => {
    const csv = (await run(['--format', 'csv', '--open-pairs', 'summarize'])).out.split('\r\n');
    expect(csv[0]).toBe('from,to,ports,via,unrestricted');
    expect(csv).toContain('ops/tool[Pod],,,,ingress egress');
    expect(csv.filter((r) => r !== '').every((r) => r.split(',').length >= 5)).toBe(true);
    const md = (await run(['--format', 'md', '--open-pairs', 'summarize'])).out;
    expect(md).toContain('\n\n| unrestricted workload | ingress | egress |\n| --- | --- | --- |\n');
    expect(md).toContain('| shop/web[Pod] | isolated | unrestricted |\n');
  });

  it('summarizes the flows of a graph that holds the default-allow pairs as it does those of one that left them out', () => {
    const { edges, omitted } = bothGraphs([{ name: 'mixed.yaml', text: mixed }]);
    for (const format of ['txt', 'csv', 'md'] as const) expect(renderConnections(edges, format, 'summarize')).toBe(renderConnections(omitted, format, 'summarize'));
    // the endpoints differ: address sets that only default-allow flows reach are nodes of the full graph alone
    const json = (graph: typeof edges) => {
      const { connections, openWorkloads } = JSON.parse(renderConnections(graph, 'json', 'summarize'));
      return { connections, openWorkloads };
    };
    expect(json(edges)).toEqual(json(omitted));
  });
});
