import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrafficGraph, parseManifests } from '@netdiagram/core';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { describe, expect, it } from 'vitest';

const shop = join(import.meta.dirname, '../../examples/shop');

describe('a diagram of a graph built with openFlows: omit', () => {
  it('is byte-identical to the diagram of the full graph (default-allow pairs are drawn as ANY edges either way)', async () => {
    const sources = readdirSync(shop).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ name: f, text: readFileSync(join(shop, f), 'utf8') }));
    const { cluster } = parseManifests(sources);
    const full = buildTrafficGraph(cluster);
    const omitted = buildTrafficGraph(cluster, { openFlows: 'omit' });
    expect(omitted.size).toBeLessThan(full.size); // the shop has an unrestricted debug pod
    const options = { title: 'shop', toolVersion: 'test' };
    const a = renderSvg(await layoutGraph(full, { detail: 'full' }), options);
    const b = renderSvg(await layoutGraph(omitted, { detail: 'full' }), options);
    expect(b).toBe(a);
  });
});
