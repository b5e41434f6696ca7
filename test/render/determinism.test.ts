import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrafficGraph, parseManifests, type Source } from '@netdiagram/core';
import { layoutGraph, renderPng, renderSvg } from '@netdiagram/render';
import { describe, expect, it } from 'vitest';

function sourcesOf(dir: string): Source[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function svgOf(sources: readonly Source[], direction: 'right' | 'down' = 'right'): Promise<string> {
  const graph = buildTrafficGraph(parseManifests(sources).cluster, { ingressController: { namespace: 'ingress-nginx', labels: {} } });
  return renderSvg(await layoutGraph(graph, { direction }), { title: 't', inputDigest: 'sha256:x' });
}

describe('diagram determinism', () => {
  const shop = sourcesOf('examples/shop');

  it('gives byte-identical SVG for the input files in any order', async () => {
    const reference = await svgOf(shop);
    for (const seed of [1, 2, 3]) {
      const order = shuffled(shop, seed);
      expect(order.map((s) => s.name)).not.toEqual(shop.map((s) => s.name));
      expect(await svgOf(order)).toBe(reference);
    }
  });

  it('gives byte-identical SVG with the documents of one file in any order', async () => {
    const one = shop.map((s) => s.text).join('\n---\n').split(/^---$/m);
    const reference = await svgOf([{ name: 'all.yaml', text: one.join('---\n') }], 'down');
    expect(await svgOf([{ name: 'all.yaml', text: shuffled(one, 7).join('---\n') }], 'down')).toBe(reference);
  });

  it('gives byte-identical PNG for the same SVG', async () => {
    const svg = await svgOf(sourcesOf('examples/pci-demo'));
    expect(Buffer.from(renderPng(svg)).equals(Buffer.from(renderPng(svg)))).toBe(true);
  });
});
