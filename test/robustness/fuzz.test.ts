import { buildTrafficGraph, parseManifests, toGraphJson, formatDiagnostic, type Source } from '@netdiagram/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyInputText, manifestText, mutatedText, yamlNoise } from './arbitraries.js';

// A bounded number of runs from a fixed seed keeps each property to a few seconds on a 2-core CI
// machine and makes a failure reproducible. Dig deeper locally with other seeds:
//   FUZZ_RUNS=20000 FUZZ_SEED=$RANDOM npx vitest run test/robustness/fuzz.test.ts
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const settings = { numRuns: RUNS, seed: SEED };

/** The whole core pipeline, as the CLI runs it. */
function analyse(sources: readonly Source[]) {
  const parsed = parseManifests(sources);
  const graph = buildTrafficGraph(parsed.cluster, { podCidrs: ['10.244.0.0/16'] });
  const json = toGraphJson(graph);
  const printed = parsed.diagnostics.map((d) => formatDiagnostic(d, sources.find((s) => s.name === d.location?.file)?.text));
  return { parsed, graph, json, printed };
}

describe('the core pipeline under fuzzing', () => {
  it('turns well-formed and mutated manifests into a graph or diagnostics, never an exception', () => {
    fc.assert(fc.property(manifestText, (text) => {
      const { json, parsed } = analyse([{ name: 'fuzz.yaml', text }]);
      expect(Array.isArray(json.connections)).toBe(true);
      for (const d of parsed.diagnostics) expect(d.location?.file).toBe('fuzz.yaml');
    }), settings);
  });

  it('reports every syntax error of mangled YAML as a located diagnostic', () => {
    fc.assert(fc.property(fc.oneof(mutatedText, yamlNoise), (text) => {
      const { parsed, printed } = analyse([{ name: 'fuzz.yaml', text }]);
      const lineCount = text.split('\n').length;
      for (const d of parsed.diagnostics) {
        expect(d.location!.line).toBeGreaterThanOrEqual(1);
        expect(d.location!.line).toBeLessThanOrEqual(lineCount);
        expect(d.location!.column).toBeGreaterThanOrEqual(1);
      }
      // the first line of every printed diagnostic is one line: control characters are escaped
      for (const p of printed) expect(p.split('\n')[0]).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }), settings);
  });

  it('gives the same output for the same input, whatever the input', () => {
    fc.assert(fc.property(anyInputText, (text) => {
      const first = analyse([{ name: 'a.yaml', text }]);
      const second = analyse([{ name: 'a.yaml', text }]);
      expect(JSON.stringify(second.json)).toBe(JSON.stringify(first.json));
      expect(second.printed).toEqual(first.printed);
    }), { ...settings, numRuns: Math.ceil(RUNS / 3) });
  });

  it('keeps the valid file beside a broken one', () => {
    const valid = 'apiVersion: v1\nkind: Pod\nmetadata: {name: keeper, namespace: safe}\nspec: {containers: [{name: c}]}\n';
    fc.assert(fc.property(anyInputText, (text) => {
      const { parsed } = analyse([{ name: 'broken.yaml', text }, { name: 'valid.yaml', text: valid }]);
      expect(parsed.cluster.workloads.map((w) => w.id)).toContain('safe/keeper[Pod]');
    }), settings);
  });
});
