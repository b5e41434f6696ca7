#!/usr/bin/env node
/**
 * Profiles `netdiagram connections` on a generated cluster with `node --cpu-prof` and prints where the
 * time goes: the functions with the most self time, and the most inclusive time (a function counted
 * once per stack, so recursion does not inflate it), as paths relative to the repository.
 *
 *   node bench/profile.mjs --size L [--top 25]          profile the CLI on bench/out/L (generated if missing)
 *   node bench/profile.mjs --dir bench/fixtures/argo-cd  … on any directory, without --ingress-controller
 *   node bench/profile.mjs --file some.cpuprofile       summarise an existing profile
 *   … --filter packages/core                            only functions of core (percentages stay of the whole)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateCluster, writeCluster } from './generate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'L' },
    /** A directory of manifests instead of a generated size (the real-world inputs). */
    dir: { type: 'string' },
    seed: { type: 'string', default: '1' },
    file: { type: 'string' },
    top: { type: 'string', default: '25' },
    /** Only list functions whose location contains this text, e.g. `packages/core`. */
    filter: { type: 'string', default: '' },
  },
});

let file = values.file;
if (!file) {
  const dir = values.dir ? join(root, values.dir) : join(root, 'bench', 'out', values.size);
  if (!values.dir && !existsSync(dir)) writeCluster(generateCluster({ size: values.size, seed: Number(values.seed) }), dir);
  const out = mkdtempSync(join(tmpdir(), 'netdiagram-prof-'));
  const started = performance.now();
  // dist/run.js, the modules rather than their one-file bundle: the same code, with each function's file named
  const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', out, join(root, 'packages', 'cli', 'dist', 'run.js'),
    'connections', dir, '--format', 'json', ...(values.dir ? [] : ['--ingress-controller', 'ingress-nginx/app.kubernetes.io/name=ingress-nginx'])],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`connections exited with ${run.status}`);
  file = join(out, readdirSync(out).find((f) => f.endsWith('.cpuprofile')));
  process.stdout.write(`${values.dir ?? values.size}: connections took ${((performance.now() - started) / 1000).toFixed(1)} s under the profiler; profile in ${file}\n`);
}

// `… | head` closes the pipe early: that is not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const keyOf = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '').replace(root, '');
  const where = url ? `${url.replace(/^node_modules\//, '')}:${frame.lineNumber + 1}` : '(native)';
  return `${frame.functionName || '(anonymous)'}  ${where}`;
};
const selfByKey = new Map();
const inclusiveByKey = new Map();
// depth-first from the root; `onStack` counts each function once however deep it recurses
const onStack = new Map();
const visit = (id) => {
  const node = byId.get(id);
  const key = keyOf(node.callFrame);
  const s = self.get(id) ?? 0;
  selfByKey.set(key, (selfByKey.get(key) ?? 0) + s);
  onStack.set(key, (onStack.get(key) ?? 0) + 1);
  let subtree = s;
  for (const child of node.children ?? []) subtree += visit(child);
  onStack.set(key, onStack.get(key) - 1);
  if (onStack.get(key) === 0) inclusiveByKey.set(key, (inclusiveByKey.get(key) ?? 0) + subtree);
  return subtree;
};
visit(profile.nodes[0].id);

const top = Number(values.top);
const print = (title, map) => {
  process.stdout.write(`\n${title} (of ${(total / 1000).toFixed(2)} s sampled)\n`);
  for (const [key, ms] of [...map].filter(([k]) => k.includes(values.filter)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  }
};
print('Self time', selfByKey);
print('Inclusive time', new Map([...inclusiveByKey].filter(([k]) => !k.startsWith('(root)') && !k.startsWith('(program)'))));
