#!/usr/bin/env node
/**
 * What the stages after the parse allocate, by function: the sources are parsed first, then V8's
 * sampling heap profiler (every sampled object kept, those the collector freed too) watches the
 * model, the graph and the connections writer as bench/measure.mjs runs them. An allocation made
 * inside a built-in (a Map's growth, an array's sort) is counted to the function that called it,
 * as `set@ add …`.
 *
 *   node bench/allocation.mjs --size dense [--stage all|model|graph|json] [--top 30]   (the size generated if missing)
 *   node bench/allocation.mjs --dir bench/fixtures/argo-cd --stage model
 *
 * Sampled every 4 KiB on average: totals move by a few per cent from run to run.
 */
import { existsSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCluster, writeCluster } from './generate.mjs';
import { readSources } from './read-sources.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'dense' },
    dir: { type: 'string' },
    stage: { type: 'string', default: 'all' },
    top: { type: 'string', default: '30' },
    'ingress-controller': { type: 'string', default: 'ingress-nginx/app.kubernetes.io/name=ingress-nginx' },
  },
});
const STAGES = ['all', 'model', 'graph', 'json'];
if (!STAGES.includes(values.stage)) throw new Error(`--stage must be one of ${STAGES.join(', ')}`);
const dir = values.dir ? join(root, values.dir) : join(root, 'bench', 'out', values.size);
if (!values.dir && !existsSync(dir)) writeCluster(generateCluster({ size: values.size, seed: 1 }), dir);

const internal = (path) => import(new URL(path, new URL('..', import.meta.url)).href);
const { parseSource } = await internal('packages/core/dist/manifests/parse.js');
const { decodeDocuments } = await internal('packages/core/dist/manifests/decode.js');
const { checkObjects } = await internal('packages/core/dist/manifests/strict.js');
const { clusterBuilder } = await internal('packages/core/dist/model/cluster.js');
const { connectionChunks } = await internal('packages/cli/dist/connection-chunks.js');
const core = await import('@netdiagram/core');

const sources = readSources(dir);
const parsed = sources.map((s) => parseSource(s));
const texts = new Map(sources.map((s) => [s.name, s.text]));
const [namespace, labelText = ''] = values['ingress-controller'].split(/\/(.*)/s);
const graphOptions = values.dir && !process.argv.includes('--ingress-controller') ? {}
  : { ingressController: { namespace, labels: Object.fromEntries(labelText.split(',').filter(Boolean).map((p) => p.split(/=(.*)/s).slice(0, 2))) } };

// the stages as measure.mjs runs them: each source decoded, checked and added, then the model built
const model = () => {
  const builder = clusterBuilder({});
  for (const p of parsed) {
    const checked = checkObjects(decodeDocuments(p.documents).objects, { lenient: false, textOf: (file) => texts.get(file) });
    for (const object of checked.objects) builder.add(object);
  }
  return builder.build().cluster;
};
const graph = (cluster) => core.buildTrafficGraph(cluster, graphOptions);
const json = (g) => { let bytes = 0; for (const chunk of connectionChunks(g, { format: 'json' })) bytes += chunk.length; return bytes; };

// what the watched stage needs is made before the profiler starts
const cluster = values.stage === 'graph' || values.stage === 'json' ? model() : undefined;
const built = values.stage === 'json' ? graph(cluster) : undefined;

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
if (values.stage === 'all') json(graph(model()));
else if (values.stage === 'model') model();
else if (values.stage === 'graph') graph(cluster);
else json(built);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

const bytesBy = new Map();
let total = 0;
const walk = (node, caller) => {
  const frame = node.callFrame;
  const own = `${frame.functionName || '(anonymous)'}  ${frame.url.replace(/^.*?\/(packages|node_modules)\//, '$1/').replace(/^file:\/\/.*\/bench\//, 'bench/')}:${frame.lineNumber + 1}`;
  // a built-in has no script: its allocation is its caller's
  const key = frame.url === '' && caller ? `${frame.functionName || '(native)'}@ ${caller}` : own;
  bytesBy.set(key, (bytesBy.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const child of node.children) walk(child, frame.url === '' ? caller : own);
};
walk(profile.head, undefined);

const mib = (bytes) => (bytes / 1048576).toFixed(1).padStart(7);
console.log(`allocated after the parse (${values.stage}), ${values.dir ?? values.size}: ${mib(total).trim()} MiB`);
for (const [key, bytes] of [...bytesBy].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${mib(bytes)} MiB  ${key}`);
