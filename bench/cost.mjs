#!/usr/bin/env node
/**
 * The cost cases of test/robustness/cost at the size the issue measured: each runs as a real CLI
 * process, timed (wall clock) with its peak resident set size (from getrusage, via rss-hook.mjs),
 * and checked for the right answer. Prints a table and writes bench/out/cost.json.
 *
 *   node bench/cost.mjs                 # every case (build first: npm run build)
 *   node bench/cost.mjs --case ipBlock  # the cases whose name contains a word
 *   node bench/cost.mjs --scale 0.1     # a tenth of each bench size
 *
 * A harness, not a test: a figure past its bound is marked, and the exit status stays 0 unless a
 * case gave a wrong answer.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { costCases } from '../test/robustness/cost/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/bin.js');
const hook = join(root, 'bench/rss-hook.mjs');
const BOUND_SECONDS = 2;
const BOUND_MIB = 500;
const STDOUT_KEPT = 64 << 20;
const TIMEOUT_MS = 120_000;

const args = process.argv.slice(2);
const filter = valueOf('--case');
const scale = Number(valueOf('--scale') ?? 1);

function valueOf(flag) {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

function run(argv, rssFile) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', hook, bin, ...argv], {
      env: { ...process.env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kept = [];
    let keptBytes = 0;
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdoutBytes += chunk.length;
      if (keptBytes < STDOUT_KEPT) {
        kept.push(chunk);
        keptBytes += chunk.length;
      }
    });
    child.stderr.on('data', (chunk) => {
      if (stderr.length < STDOUT_KEPT) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let rssKiB = NaN;
      try {
        rssKiB = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        // killed or crashed before exit: no figure
      }
      resolve({ exit: code ?? 128, signal, seconds, rssMiB: rssKiB / 1024, stdout: Buffer.concat(kept).toString('utf8'), stdoutBytes, stderr });
    });
  });
}

const rows = [];
let wrong = 0;
for (const costCase of costCases) {
  if (filter && !costCase.name.includes(filter)) continue;
  const size = Math.max(1, Math.round(costCase.sizes.bench * scale));
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-cost-'));
  const argv = costCase.write(dir, size);
  const result = await run(argv, join(dir, '.rss'));
  let answer = 'right';
  try {
    if (result.signal) throw new Error(`killed by ${result.signal}${result.signal === 'SIGKILL' ? ` (timeout ${TIMEOUT_MS / 1000} s)` : ''}`);
    costCase.check(result, size);
  } catch (error) {
    answer = `WRONG: ${String(error.message).split('\n')[0]}`;
    wrong++;
  }
  rmSync(dir, { recursive: true, force: true });
  const row = {
    name: costCase.name.replace(/\bN\b/g, size.toLocaleString("en-US")),
    size,
    measured: costCase.measured,
    seconds: Number(result.seconds.toFixed(2)),
    peakMiB: Number(result.rssMiB.toFixed(0)),
    stdoutBytes: result.stdoutBytes,
    withinBounds: result.seconds < BOUND_SECONDS && result.rssMiB < BOUND_MIB,
    answer,
  };
  rows.push(row);
  const mark = row.withinBounds ? ' ' : '!';
  console.log(`${mark} ${row.seconds.toFixed(2).padStart(7)} s ${String(row.peakMiB).padStart(6)} MiB  ${row.name}  (before: ${row.measured})  ${answer}`);
}
mkdirSync(join(root, 'bench/out'), { recursive: true });
writeFileSync(join(root, 'bench/out/cost.json'), `${JSON.stringify({ boundSeconds: BOUND_SECONDS, boundMiB: BOUND_MIB, scale, rows }, null, 2)}\n`);
console.log(`\n${rows.filter((r) => r.withinBounds).length}/${rows.length} within ${BOUND_SECONDS} s and ${BOUND_MIB} MiB; wrote bench/out/cost.json`);
process.exitCode = wrong > 0 ? 1 : 0;
