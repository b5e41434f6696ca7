#!/usr/bin/env node
/**
 * `npm run bench`: generates the S, M, L and XL clusters, times every stage (median of several
 * runs, fewer for the big sizes), runs the CLI end to end, and writes bench/results.json and
 * bench/scaling.svg. The whole run keeps to a time budget (default 500 s) so that it ends inside 10
 * minutes on a 2-core machine however slow a stage is: a stage that does not finish in its share is
 * reported as a timeout, never waited for.
 *
 *   npm run bench                      all sizes
 *   npm run bench -- --sizes S,M       some sizes (written to bench/out/results.json and scaling.svg)
 *   npm run bench -- --budget 300      a tighter overall budget, in seconds
 *
 * Needs a build first (`npm run build`, which `npm run bench` runs): it runs packages/cli/dist (its one-file
 * bundle when up to date) and imports packages/core/dist.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { countKinds, generateCluster, SIZES, writeCluster } from './generate.mjs';
import { renderScalingSvg } from './chart.mjs';
import { formatTables } from './table.mjs';
import { readSources } from './read-sources.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = (...parts) => join(root, ...parts);
const CLI = here('packages', 'cli', 'dist', 'bin.js');
const CONTROLLER = 'ingress-nginx/app.kubernetes.io/name=ingress-nginx';

/**
 * Runs per size and the seconds each part may take at most; `reserveS` is kept back from the sizes
 * before it, so that a slow small size cannot starve a big one of its budget. In-process runs stop early when the next
 * one would not fit; `details` are the diagram detail levels timed (the targets name
 * `auto` for L and `workload` for M).
 */
const PLAN = {
  S: { reserveS: 20, runs: 7, refRuns: 3, layoutRuns: 3, cliRuns: 5, diagramRuns: 3, details: ['auto', 'workload'], check: true, measureS: 60, cliS: 30 },
  M: { reserveS: 40, runs: 5, refRuns: 3, layoutRuns: 2, cliRuns: 5, diagramRuns: 2, details: ['auto', 'workload'], check: true, measureS: 100, cliS: 60 },
  L: { reserveS: 120, runs: 3, refRuns: 1, layoutRuns: 1, cliRuns: 3, diagramRuns: 1, details: ['auto'], check: false, measureS: 150, cliS: 90 },
  // no diagram at XL: no target names one, and ELK alone would take most of the budget
  XL: { reserveS: 150, runs: 2, refRuns: 1, layoutRuns: 0, cliRuns: 3, diagramRuns: 0, details: [], check: false, measureS: 130, cliS: 100 },
  dense: { reserveS: 90, runs: 3, refRuns: 1, layoutRuns: 0, cliRuns: 3, diagramRuns: 0, details: [], check: false, measureS: 100, cliS: 80 },
};

/**
 * Real-world inputs, committed with their license and where they come from (SOURCE.md beside
 * each): read as they are, with no --ingress-controller, no diagram.
 */
const REAL_INPUTS = {
  'argo-cd': 'bench/fixtures/argo-cd',
  'online-boutique': 'examples/online-boutique',
  'kube-prometheus': 'bench/fixtures/kube-prometheus',
};
const REAL_PLAN = { reserveS: 15, runs: 5, refRuns: 3, layoutRuns: 0, cliRuns: 5, diagramRuns: 0, details: [], check: false, measureS: 40, cliS: 40 };
/** What `--sizes` takes, in the order they run: the real inputs first (they are quick), then the generated sizes. */
const INPUTS = [...Object.keys(REAL_INPUTS), ...Object.keys(SIZES)];
// a CNI size (S-calico, S-cilium) runs as its base size does
const planOf = (input) => PLAN[input] ?? PLAN[input.split('-')[0]] ?? REAL_PLAN;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: INPUTS.join(',') },
    seed: { type: 'string', default: '1' },
    // seconds; with `tsc -b` before it, `npm run bench` stays under 10 minutes
    budget: { type: 'string', default: '720' },
    results: { type: 'string' },
    chart: { type: 'string' },
  },
});
const canonical = (name) => INPUTS.find((input) => input.toLowerCase() === name.toLowerCase()) ?? name;
const sizes = values.sizes.split(',').map((s) => canonical(s.trim())).filter(Boolean);
// bench/results.json and bench/scaling.svg hold a run of every input; a partial run goes to bench/out/
const complete = INPUTS.every((size) => sizes.includes(size));
values.results ??= complete ? here('bench', 'results.json') : here('bench', 'out', 'results.json');
values.chart ??= complete ? here('bench', 'scaling.svg') : here('bench', 'out', 'scaling.svg');
for (const size of sizes) if (!INPUTS.includes(size)) throw new Error(`unknown size ${size}; expected ${INPUTS.join(',')}`);
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` first`);
const seed = Number(values.seed);
const started = performance.now();
const deadline = started + Number(values.budget) * 1000;
let reserved = 0;
const secondsLeft = () => Math.max(1, (deadline - performance.now()) / 1000 - reserved);
const log = (text) => process.stderr.write(`${text}\n`);

const median = (xs) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x, digits = 1) => (x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits);

/** Runs a child node process, its stdout to /dev/null or captured; returns wall time, exit and peak RSS. */
function runNode(args, { timeoutS, captureStdout = false, env = {} }) {
  const scratch = mkdtempSync(join(tmpdir(), 'netdiagram-bench-'));
  const rssFile = join(scratch, 'rss');
  const devNull = captureStdout ? 'pipe' : openSync('/dev/null', 'w');
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', here('bench', 'rss-hook.mjs'), ...args], {
    cwd: root,
    stdio: ['ignore', devNull, 'pipe'],
    timeout: Math.max(1, Math.round(timeoutS * 1000)),
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
  });
  const ms = performance.now() - start;
  if (typeof devNull === 'number') closeSync(devNull);
  const rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  rmSync(scratch, { recursive: true, force: true });
  const timedOut = result.error?.code === 'ETIMEDOUT' || (result.signal === 'SIGKILL' && ms >= timeoutS * 1000 - 50);
  return {
    ms, timedOut, status: result.status, rssKiB,
    stdout: captureStdout ? String(result.stdout ?? '') : '',
    stderr: String(result.stderr ?? '').slice(-2000),
  };
}

/** The in-process stage timings of one size (bench/measure.mjs in a child). */
function measureInProcess(dir, plan, timeoutS, controller, cni) {
  const args = [here('bench', 'measure.mjs'), '--dir', dir, '--runs', String(plan.runs), '--ref-runs', String(plan.refRuns), '--layout-runs', String(plan.layoutRuns),
    '--max-seconds', String(Math.max(1, timeoutS - 5)), '--details', plan.details.join(','), `--ingress-controller=${controller}`, ...(plan.check ? ['--check'] : []), ...(cni ? ['--cni', cni] : [])];
  const run = runNode(['--max-old-space-size=8192', ...args], { timeoutS, captureStdout: true });
  const records = run.stdout.split('\n').filter(Boolean).flatMap((line) => {
    try { return [JSON.parse(line)]; } catch { return []; }
  });
  const samples = {};
  for (const r of records.filter((x) => x.type === 'time')) (samples[r.stage] ??= []).push(r.ms);
  const pick = (type) => records.find((r) => r.type === type);
  const layouts = Object.fromEntries(records.filter((r) => r.type === 'layout').map(({ type, ...rest }) => [rest.detail, rest]));
  return {
    timedOut: run.timedOut, status: run.status, stderr: run.stderr,
    info: pick('info'), model: pick('model'), graph: pick('graph'), output: pick('output'), layouts,
    maxRssKiB: pick('done')?.maxRssKiB ?? run.rssKiB, samples,
    /** The stage that was running when the child was stopped. */
    unfinished: run.timedOut ? nextStage(records) : undefined,
  };
}

function nextStage(records) {
  const order = ['ref.yaml', 'ref.jsyaml', 'ref.json', 'yaml', 'model', 'parseManifests', 'parseManifests.check', 'graph', 'json'];
  const last = records.filter((r) => r.type === 'time').at(-1);
  if (!last) return records.some((r) => r.type === 'info') ? 'first stage' : 'start-up';
  if (last.stage.startsWith('layout:')) return `svg:${last.stage.slice(7)}`;
  const i = order.indexOf(last.stage);
  return i >= 0 && i + 1 < order.length ? order[i + 1] : 'layout';
}

/** `runs` wall-clock runs of a command, stopping early when the next would not fit in `budgetS`. */
function timeCommand(args, runs, budgetS) {
  const samples = [];
  const rss = [];
  let failure;
  let timedOut = false;
  const begin = performance.now();
  for (let i = 0; i < runs; i++) {
    const spent = (performance.now() - begin) / 1000;
    const last = samples.at(-1) ?? 0;
    if (i > 0 && spent + last / 1000 > budgetS) break;
    const r = runNode(args, { timeoutS: Math.max(1, budgetS - spent) });
    if (r.timedOut) { timedOut = true; break; }
    if (r.status !== 0) { failure = `exit ${r.status}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`; break; }
    samples.push(r.ms);
    if (r.rssKiB) rss.push(r.rssKiB);
  }
  return {
    medianMs: round(median(samples)), samples: samples.map((x) => round(x)), runs: samples.length,
    peakRssMiB: rss.length ? round(Math.max(...rss) / 1024) : undefined,
    ...(timedOut ? { timeoutS: round(budgetS - (samples.reduce((a, b) => a + b, 0) / 1000)) } : {}),
    ...(failure ? { failure } : {}),
  };
}

/**
 * Two commands run in turn, A B A B …, `runs` pairs at most (stopping early when the next pair would
 * not fit in `budgetS`): each one's figures, and A/B pair by pair, so a ratio holds when the
 * machine's speed drifts during the run.
 */
function timePair(argsA, argsB, runs, budgetS) {
  const a = { samples: [], rss: [] };
  const b = { samples: [], rss: [] };
  const ratios = [];
  let failure;
  let timedOut = false;
  const begin = performance.now();
  for (let i = 0; i < runs; i++) {
    const spent = (performance.now() - begin) / 1000;
    const last = (a.samples.at(-1) ?? 0) + (b.samples.at(-1) ?? 0);
    if (i > 0 && spent + last / 1000 > budgetS) break;
    const ra = runNode(argsA, { timeoutS: Math.max(1, budgetS - spent) });
    if (ra.timedOut) { timedOut = true; break; }
    if (ra.status !== 0) { failure = `exit ${ra.status}: ${ra.stderr.trim().split('\n').at(-1) ?? ''}`; break; }
    const rb = runNode(argsB, { timeoutS: Math.max(1, budgetS - spent - ra.ms / 1000) });
    if (rb.timedOut || rb.status !== 0) { timedOut = rb.timedOut; break; }
    for (const [side, r] of [[a, ra], [b, rb]]) {
      side.samples.push(r.ms);
      if (r.rssKiB) side.rss.push(r.rssKiB);
    }
    ratios.push(ra.ms / rb.ms);
  }
  const figures = (side) => ({
    medianMs: round(median(side.samples)), minMs: round(Math.min(...side.samples)), maxMs: round(Math.max(...side.samples)),
    samples: side.samples.map((x) => round(x)), runs: side.samples.length,
    peakRssMiB: side.rss.length ? round(Math.max(...side.rss) / 1024) : undefined,
    ...(timedOut ? { timeoutS: round(budgetS - (performance.now() - begin) / 1000) } : {}),
    ...(failure ? { failure } : {}),
  });
  return {
    a: figures(a), b: figures(b),
    ratio: ratios.length ? { median: round(median(ratios), 2), min: round(Math.min(...ratios), 2), max: round(Math.max(...ratios), 2) } : undefined,
  };
}

function hasDiagramCommand() {
  const help = spawnSync(process.execPath, [CLI, '--help'], { cwd: root, encoding: 'utf8' });
  return /^\s+diagram\b/m.test(help.stdout ?? '');
}

// ---- run

const diagramCommand = hasDiagramCommand();
const results = {
  about: 'netdiagram benchmark: `npm run bench` (see bench/README.md). Times in ms (medians), memory in MiB.',
  environment: {
    node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart: loadavg().map((x) => round(x, 2)), seed, budgetS: Number(values.budget),
  },
  sizes: {},
};

for (const size of sizes) {
  const spec = SIZES[size];
  const plan = planOf(size);
  const real = REAL_INPUTS[size];
  reserved = sizes.slice(sizes.indexOf(size) + 1).reduce((sum, later) => sum + planOf(later).reserveS, 0);
  const dir = real ? here(real) : here('bench', 'out', size);
  let sources;
  if (real) {
    sources = readSources(dir);
  } else {
    log(`${size}: generating`);
    sources = generateCluster({ size, seed });
    writeCluster(sources, dir);
  }
  const bytes = sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
  const kinds = countKinds(sources);
  const entry = {
    ...(real ? { source: real } : { spec }), files: sources.length, mib: round(bytes / 1048576, 2),
    documents: Object.values(kinds).reduce((a, b) => a + b, 0), kinds,
  };
  results.sizes[size] = entry;

  const measureS = Math.min(plan.measureS, secondsLeft());
  log(`${size}: in-process stages (≤ ${Math.round(measureS)} s)`);
  const cniArgs = spec?.cni ? ['--cni', spec.cni] : [];
  const m = measureInProcess(dir, plan, measureS, real ? '' : CONTROLLER, spec?.cni);
  entry.model = m.model;
  entry.graph = m.graph ? { ...m.graph, jsonBytes: m.output?.jsonBytes } : undefined;
  entry.stages = Object.fromEntries(Object.entries(m.samples).map(([stage, xs]) => [stage, { medianMs: round(median(xs)), samples: xs.map((x) => round(x)) }]));
  entry.inProcessPeakRssMiB = m.maxRssKiB ? round(m.maxRssKiB / 1024) : undefined;
  entry.renderAvailable = m.info?.render ?? false;
  if (Object.keys(m.layouts).length > 0) entry.layouts = m.layouts;
  if (m.timedOut) entry.timeout = { stage: m.unfinished, afterS: round(measureS) };
  else if (m.status !== 0) entry.failure = m.stderr.trim().split('\n').slice(-3).join(' | ');

  const stage = (name) => entry.stages[name]?.medianMs;
  const parse = stage('yaml') ?? stage('parseManifests');
  const after = stage('yaml') !== undefined ? [stage('model'), stage('graph'), stage('json')] : [stage('graph'), stage('json')];
  entry.afterParseOverParse = parse && after.every((x) => x !== undefined) ? round(after.reduce((a, b) => a + b, 0) / parse, 2) : undefined;

  // end to end: only when the in-process run got through the graph (otherwise the CLI cannot either)
  const graphDone = stage('graph') !== undefined;
  const cliArgs = [CLI, 'connections', dir, '--format', 'json', ...(real ? [] : ['--ingress-controller', CONTROLLER]), ...cniArgs];
  const refArgs = [here('bench', 'ref-jsyaml.mjs'), dir];
  if (graphDone) {
    // side by side: connections and the bare js-yaml parse in turn, the ratio pair by pair
    log(`${size}: CLI end to end, paired with the js-yaml reference`);
    const pair = timePair(cliArgs, refArgs, plan.cliRuns, Math.min(plan.cliS, secondsLeft()));
    entry.cli = pair.a;
    entry.jsyamlCli = pair.b;
    if (pair.ratio) {
      entry.cliOverJsyaml = pair.ratio.median;
      entry.cliOverJsyamlRange = [pair.ratio.min, pair.ratio.max];
    }
  } else {
    entry.cli = { skipped: `in-process ${entry.timeout?.stage ?? 'run'} did not finish` };
    log(`${size}: js-yaml reference end to end`);
    entry.jsyamlCli = timeCommand(refArgs, plan.cliRuns, Math.min(30, secondsLeft()));
  }

  if (diagramCommand && graphDone && plan.diagramRuns > 0) {
    entry.diagram = {};
    for (const detail of plan.details) {
      log(`${size}: diagram --detail ${detail}`);
      const out = join(mkdtempSync(join(tmpdir(), 'netdiagram-bench-')), 'diagram.svg');
      entry.diagram[detail] = timeCommand(
        [CLI, 'diagram', dir, '--detail', detail, '--ingress-controller', CONTROLLER, ...cniArgs, '--output', out],
        plan.diagramRuns, Math.min(60, secondsLeft()),
      );
    }
  }
  writeFileSync(values.results, `${JSON.stringify(results, null, 2)}\n`);
}

results.environment.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
results.environment.totalS = round((performance.now() - started) / 1000);
results.growth = growthExponents(results.sizes);
results.targets = evaluateTargets(results.sizes, results.growth);
writeFileSync(values.results, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(values.chart, renderScalingSvg(results));
process.stdout.write(formatTables(results));
log(`wrote ${values.results} and ${values.chart} in ${results.environment.totalS} s`);

/**
 * How each stage grows from M to XL (both Deployments only, 20× the workloads): the exponent k in
 * time ∝ n^k. n·log n over this range is k ≈ 1.13; n² is 2.
 */
function growthExponents(bySize) {
  const [a, b] = [bySize.M, bySize.XL];
  if (!a || !b) return undefined;
  const n = b.spec.workloads / a.spec.workloads;
  const out = {};
  for (const stage of ['yaml', 'model', 'graph', 'json']) {
    const ta = a.stages?.[stage]?.medianMs;
    const tb = b.stages?.[stage]?.medianMs;
    if (ta && tb) out[stage] = round(Math.log(tb / ta) / Math.log(n), 2);
    else if (ta && b.timeout?.stage === stage) out[stage] = `> ${round(Math.log((b.timeout.afterS * 1000) / ta) / Math.log(n), 2)} (timed out)`;
  }
  if (a.cli?.medianMs && b.cli?.medianMs) out.cli = round(Math.log(b.cli.medianMs / a.cli.medianMs) / Math.log(n), 2);
  return out;
}

/**
 * The targets of issues 5 and 14, each with the measured value and whether it holds (undefined: not
 * measured). The ratios are medians of paired runs (timePair); issue 14 keeps each size at or under
 * the ratio it had before (bench/README.md's figures then).
 */
function evaluateTargets(bySize, growth) {
  const L = bySize.L;
  const XL = bySize.XL;
  const t = (name, value, limit, unit) => ({
    target: name, limit, unit, value: value ?? null, pass: value === undefined || value === null ? null : value <= limit,
  });
  const targets = [];
  if (bySize['argo-cd']) targets.push(t("Argo CD install.yaml: connections / bare js-yaml loadAll, end to end", bySize['argo-cd'].cliOverJsyaml, 2, '×'));
  if (bySize.dense) {
    targets.push(t('dense: connections / bare js-yaml loadAll, end to end', bySize.dense.cliOverJsyaml, 3, '×'));
    targets.push(t('dense: (everything after parsing) / parsing', bySize.dense.afterParseOverParse, 1, '×'));
  }
  const before = { S: 2.16, M: 2.65, L: 1.92, XL: 2.59 };
  for (const [size, ratio] of Object.entries(before)) {
    if (bySize[size]) targets.push(t(`${size}: connections / bare js-yaml loadAll, no worse than before`, bySize[size].cliOverJsyaml, ratio, '×'));
  }
  if (L) {
    targets.push(t('L: connections end to end', L.cli?.medianMs, 3000, 'ms'));
    targets.push(t('L: (everything after parsing) / parsing', L.afterParseOverParse, 1, '×'));
    targets.push(t('L: peak memory of connections', L.cli?.peakRssMiB, 400, 'MiB'));
    targets.push(t('L: diagram --detail auto', L.diagram?.auto?.medianMs, 10000, 'ms'));
  }
  if (bySize.M) targets.push(t('M: diagram --detail workload', bySize.M.diagram?.workload?.medianMs, 10000, 'ms'));
  if (XL) {
    targets.push(t('XL: connections / bare js-yaml loadAll, end to end', XL.cliOverJsyaml, 3, '×'));
    targets.push(t('XL: connections end to end', XL.cli?.medianMs, 20000, 'ms'));
    targets.push(t('XL: peak memory of connections', XL.cli?.peakRssMiB, 3072, 'MiB'));
    if (growth) {
      const worst = Object.values(growth).filter((x) => typeof x === 'number');
      const timedOut = Object.values(growth).some((x) => typeof x === 'string');
      targets.push({ ...t('M→XL: worst stage growth exponent (n·log n ≈ 1.13)', worst.length ? Math.max(...worst) : undefined, 1.25, 'k'), ...(timedOut ? { pass: false, note: 'a stage timed out on XL' } : {}) });
    }
  }
  return targets;
}
