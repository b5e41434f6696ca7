#!/usr/bin/env node
/**
 * Times each stage of the library on one generated cluster, in this process, and prints one JSON
 * line per finished stage timing (so a parent that kills a slow run still has what finished):
 *
 *   {"type":"info",...}  {"type":"time","run":0,"stage":"yaml","ms":812.3}  {"type":"done","maxRssKiB":...}
 *
 *   node bench/measure.mjs --dir bench/out/L --runs 3 [--ref-runs 1] [--layout-runs 1] [--details auto,workload]
 *
 * Stages (see bench/README.md): parseManifests (the public call, timed whole), and inside it yaml
 * (YAML text → located documents) and model (documents → Cluster: decode, the schema check,
 * workloads, compiled policies), each summed over the sources as parseManifests reads them, one after
 * the other; graph (buildTrafficGraph: policy evaluation and graph build); json (the CLI's
 * connection writer, what `connections --format json` writes); layout and svg per detail level when
 * @netdiagram/render exports layoutGraph and renderSvg; and reference parsers on the same text.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { readSources } from './read-sources.mjs';

const root = new URL('..', import.meta.url);
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'ref-runs': { type: 'string', default: '1' },
    'layout-runs': { type: 'string', default: '1' },
    /** Also time the public parseManifests call once (it should equal yaml + model). */
    check: { type: 'boolean', default: false },
    /** Start no new run that would likely end after this many seconds. */
    'max-seconds': { type: 'string', default: 'Infinity' },
    details: { type: 'string', default: '' },
    'ingress-controller': { type: 'string', default: 'ingress-nginx/app.kubernetes.io/name=ingress-nginx' },
    /** A CNI profile (calico, cilium): parsed with the public call, which compiles the CNI's own policies. */
    cni: { type: 'string', default: '' },
  },
});
if (!values.dir) throw new Error('--dir is required');

const emit = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);
const core = await import('@netdiagram/core');
// the internal steps read no CNI policies: a CNI size times the public parseManifests call whole
const internals = values.cni ? undefined : await loadInternals();
const parseOptions = values.cni ? { cni: values.cni } : {};
const render = await loadRender();
const writer = await loadConnectionWriter();
const yaml = await import('yaml');
const jsyaml = await import('js-yaml');

/** The loader's internal steps, from core's build output; undefined if they have moved. */
async function loadInternals() {
  try {
    const parse = await import(new URL('packages/core/dist/manifests/parse.js', root).href);
    const decode = await import(new URL('packages/core/dist/manifests/decode.js', root).href);
    const strict = await import(new URL('packages/core/dist/manifests/strict.js', root).href);
    const cluster = await import(new URL('packages/core/dist/model/cluster.js', root).href);
    if (typeof parse.parseSource !== 'function' || typeof decode.decodeDocuments !== 'function' || typeof strict.checkObjects !== 'function'
      || typeof cluster.clusterBuilder !== 'function') return undefined;
    return { parseSource: parse.parseSource, decodeDocuments: decode.decodeDocuments, checkObjects: strict.checkObjects, clusterBuilder: cluster.clusterBuilder };
  } catch {
    return undefined;
  }
}

/** The CLI's writer of `connections` (chunks of UTF-8, streamed), from its build output; undefined if it has moved. */
async function loadConnectionWriter() {
  try {
    const m = await import(new URL('packages/cli/dist/connection-chunks.js', root).href);
    return typeof m.connectionChunks === 'function' ? m.connectionChunks : undefined;
  } catch {
    return undefined;
  }
}

async function loadRender() {
  try {
    const m = await import('@netdiagram/render');
    return typeof m.layoutGraph === 'function' && typeof m.renderSvg === 'function' ? m : undefined;
  } catch {
    return undefined;
  }
}

function parseController(text) {
  const [namespace, rest = ''] = text.split(/\/(.*)/s);
  const labels = Object.fromEntries(rest.split(',').filter(Boolean).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
  return { namespace, labels };
}

const time = (fn) => {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
};
const timeAsync = async (fn) => {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
};

const sources = readSources(values.dir);
const runs = Number(values.runs);
const refRuns = Number(values['ref-runs']);
const details = values.details.split(',').filter(Boolean);
// an empty --ingress-controller= names none (the real-world inputs)
const graphOptions = values['ingress-controller'] ? { ingressController: parseController(values['ingress-controller']) } : {};
emit({
  type: 'info',
  files: sources.length,
  bytes: sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0),
  internals: internals !== undefined,
  render: render !== undefined,
});

// the same documents as JSON text, for the JSON.parse floor
const jsonTexts = refRuns === 0 ? [] : sources.map((s) => JSON.stringify(jsyaml.loadAll(s.text)));

const layoutRuns = Number(values['layout-runs']);
let lastGraph;
const began = performance.now();
let lastRunMs = 0;
for (let run = 0; run < runs; run++) {
  if (run > 0 && performance.now() - began + lastRunMs > Number(values['max-seconds']) * 1000) break;
  const runStart = performance.now();
  const stage = (name, ms) => emit({ type: 'time', run, stage: name, ms });
  if (run < refRuns) {
    stage('ref.yaml', time(() => { for (const s of sources) yaml.parseAllDocuments(s.text); }).ms);
    stage('ref.jsyaml', time(() => { for (const s of sources) jsyaml.loadAll(s.text); }).ms);
    stage('ref.json', time(() => { for (const t of jsonTexts) JSON.parse(t); }).ms);
  }
  // parseManifests reads the sources one after the other: parseSource, then decodeDocuments, the schema
  // check and the model builder's add on that source's objects; the builder's build once all are read.
  // With the internals at hand the same steps run in the same order, yaml is the sum of the
  // parseSource calls and model the sum of the rest, and parseManifests is the two together (with
  // --check the public call is also timed once, in the first run), so a run parses once, not twice
  let cluster;
  let diagnostics;
  if (internals) {
    const texts = new Map(sources.map((s) => [s.name, s.text]));
    const checkOptions = { lenient: false, textOf: (file) => texts.get(file) };
    const builder = internals.clusterBuilder({});
    diagnostics = [];
    let yamlMs = 0;
    let modelMs = 0;
    for (const source of sources) {
      const parsedAt = performance.now();
      const parsed = internals.parseSource(source);
      const decodedAt = performance.now();
      const decoded = internals.decodeDocuments(parsed.documents);
      const checked = internals.checkObjects(decoded.objects, checkOptions);
      for (const object of checked.objects) builder.add(object);
      modelMs += performance.now() - decodedAt;
      yamlMs += decodedAt - parsedAt;
      for (const list of [parsed.diagnostics, decoded.diagnostics, checked.diagnostics]) for (const d of list) diagnostics.push(d);
    }
    const built = time(() => builder.build());
    modelMs += built.ms;
    stage('yaml', yamlMs);
    stage('model', modelMs);
    stage('parseManifests', yamlMs + modelMs);
    cluster = built.result.cluster;
    for (const d of built.result.diagnostics) diagnostics.push(d);
    if (run === 0 && values.check) stage('parseManifests.check', time(() => core.parseManifests(sources)).ms);
  } else {
    const whole = time(() => core.parseManifests(sources, parseOptions));
    stage('parseManifests', whole.ms);
    cluster = whole.result.cluster;
    diagnostics = whole.result.diagnostics;
  }
  if (run === 0) {
    emit({
      type: 'model', namespaces: cluster.namespaces.length, workloads: cluster.workloads.length, services: cluster.services.length,
      ingresses: cluster.ingresses.length, policies: cluster.policies.length + ((cluster.calico ?? cluster.cilium)?.policies.length ?? 0),
      errors: diagnostics.filter((d) => d.severity === 'error').length,
    });
  }
  const graph = time(() => core.buildTrafficGraph(cluster, graphOptions));
  stage('graph', graph.ms);
  if (run === 0) {
    let flows = 0;
    graph.result.forEachEdge((_k, a) => { if (a.type === 'flow') flows++; });
    emit({ type: 'graph', nodes: graph.result.order, edges: graph.result.size, flows });
  }
  // what `connections --format json` does: the CLI's chunks, produced and counted (the whole text is
  // never one string there); toGraphJson + JSON.stringify where the CLI's writer is not at hand
  const json = writer
    ? time(() => { let bytes = 0; for (const chunk of writer(graph.result, { format: 'json' })) bytes += chunk.length; return bytes; })
    : time(() => Buffer.byteLength(JSON.stringify(core.toGraphJson(graph.result), null, 2)));
  stage('json', json.ms);
  if (run === 0) emit({ type: 'output', jsonBytes: json.result });
  lastGraph = graph.result;
  lastRunMs = performance.now() - runStart;
}

// layout last, so that a layout too slow for the budget costs only its own figures
if (render && lastGraph) {
  let lastLayoutMs = 0;
  for (let run = 0; run < layoutRuns; run++) {
    if (run > 0 && performance.now() - began + lastLayoutMs > Number(values['max-seconds']) * 1000) break;
    const layoutStart = performance.now();
    for (const detail of details) {
      const layout = await timeAsync(() => render.layoutGraph(lastGraph, { detail }));
      emit({ type: 'time', run, stage: `layout:${detail}`, ms: layout.ms });
      emit({ type: 'time', run, stage: `svg:${detail}`, ms: time(() => render.renderSvg(layout.result)).ms });
      if (run === 0) emit({ type: 'layout', detail, resolved: layout.result.detail, nodes: layout.result.nodes?.length, edges: layout.result.edges?.length });
    }
    lastLayoutMs = performance.now() - layoutStart;
  }
}
emit({ type: 'done', maxRssKiB: process.resourceUsage().maxRSS });

