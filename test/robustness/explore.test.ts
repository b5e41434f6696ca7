import { buildTrafficGraph, parseManifests, toGraphJson, formatDiagnostic } from '@netdiagram/core';
import fc from 'fast-check';
import { it } from 'vitest';
import { anyInputText, manifestText, mutatedText, yamlNoise } from './arbitraries.js';

it('explores', () => {
  const found = new Map<string, { count: number; sample: string }>();
  const slow: string[] = [];
  const runs = Number(process.env.EXPLORE_RUNS ?? 5000);
  for (const arb of [manifestText, mutatedText, yamlNoise, anyInputText]) {
    for (const text of fc.sample(arb, { numRuns: runs, seed: Number(process.env.SEED ?? 1) })) {
      const t0 = Date.now();
      try {
        const parsed = parseManifests([{ name: 'f.yaml', text }]);
        const graph = buildTrafficGraph(parsed.cluster, { podCidrs: ['10.244.0.0/16'] });
        toGraphJson(graph);
        parsed.diagnostics.forEach((d) => formatDiagnostic(d, text));
      } catch (e) {
        const err = e as Error;
        const frame = (err.stack ?? '').split('\n').slice(1, 3).join(' | ');
        const key = `${err.message} @ ${frame}`;
        const entry = found.get(key);
        if (entry) entry.count++;
        else found.set(key, { count: 1, sample: text.length < (found.get(key)?.sample.length ?? Infinity) ? text : text });
      }
      const ms = Date.now() - t0;
      if (ms > 500) slow.push(`${ms}ms: ${JSON.stringify(text).slice(0, 300)}`);
    }
  }
  for (const [key, { count, sample }] of found) console.log(`\n### ${count}x ${key}\n${JSON.stringify(sample).slice(0, 1500)}`);
  console.log('slow', slow);
}, 600_000);
