// Cost cases of output: what is written grows with what the input asks for.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG_MAX_PIXELS } from '@netdiagram/render';

/** N Deployments in one namespace, each with its own labels, and no NetworkPolicy: n² open pairs. */
function writeDeployments(dir, size) {
  const file = join(dir, 'deployments.yaml');
  const doc = (i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: default}
spec:
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 8080}]}]}
`;
  writeFileSync(file, Array.from({ length: size }, (_, i) => doc(i)).join('---\n'));
  return file;
}

/** Bytes of the txt list of n open workloads, one line per ordered pair plus one to and one from `external`. */
function listedLines(size) {
  return size * (size - 1) + 2 * size;
}

/** Five Deployments in one namespace, one of them isolated: a small diagram, about 1,100 × 700 SVG units. */
function writeSmallCluster(dir) {
  const file = join(dir, 'cluster.yaml');
  const docs = Array.from({ length: 5 }, (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: team}
spec:
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}, tier: t${i % 3}}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 8080}]}]}`);
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: tiers, namespace: team}
spec:
  podSelector: {matchLabels: {tier: t1}}
  ingress: [{from: [{podSelector: {matchLabels: {tier: t0}}}], ports: [{port: 8080}]}]`);
  writeFileSync(file, `${docs.join('\n---\n')}\n`);
  return file;
}

/** Width and height of a PNG file, from its IHDR chunk. */
function pngDimensions(file) {
  const bytes = readFileSync(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}


/** Whether the benchmark cut stdout at its first 64 MiB (the test keeps all of it). */
function isCut(result) {
  return result.stdoutBytes !== undefined && result.stdoutBytes !== Buffer.byteLength(result.stdout);
}

const listAll = (format, measured, bench) => ({
  name: `connections --format ${format} of N Deployments without policies, every open pair listed`,
  measured,
  sizes: { test: 40, bench },
  write(dir, size) {
    return ['connections', writeDeployments(dir, size), '--format', format];
  },
  check(result, size) {
    assert.equal(result.exit, 0, result.stderr);
    if (format === 'txt') {
      const lines = result.stdout.split('\n');
      assert.match(lines[0], /^default\/app-0\[Deployment\] => default\/app-10*\[Deployment\] : All Connections$/);
      if (!isCut(result)) assert.equal(lines.length - 1, listedLines(size));
    } else if (!isCut(result)) {
      assert.equal(JSON.parse(result.stdout).connections.length, listedLines(size));
    } else {
      assert.match(result.stdout, /^\{\n {2}"endpoints": \[\n/);
    }
    // every line has its bytes: the list is not cut short (about 70 bytes a txt line, 200 a JSON entry)
    if (isCut(result)) assert.ok(result.stdoutBytes > (format === 'txt' ? 70 : 200) * listedLines(size), `${result.stdoutBytes} bytes`);
  },
});

export const cases = [
  listAll('txt', '2,000 Deployments: 98 s, 3.6 GB, 275 MB of output', 2_000),
  listAll('json', '2,000 Deployments: as txt, more bytes (not measured)', 2_000),
  { ...listAll('txt', '5,000 Deployments: V8 heap out of memory after 4.5 minutes', 5_000), name: 'connections of N Deployments without policies, 25 million pairs listed' },
  {
    // the size is the scale: a few megapixels at test size, 48 asked for (and 16 drawn) at bench size
    name: 'diagram --scale N -o x.png of a small cluster',
    measured: 'examples/shop at --scale 8: past 300 s; this cluster at --scale 8 (49 megapixels): 10.2 s, 489 MB',
    sizes: { test: 2, bench: 8 },
    write(dir, size) {
      this.png = join(dir, 'x.png');
      return ['diagram', writeSmallCluster(dir), '--scale', String(size), '--no-commit', '-o', this.png];
    },
    check(result, size) {
      assert.equal(result.exit, 0, result.stderr);
      const { width, height } = pngDimensions(this.png);
      assert.ok(width * height <= PNG_MAX_PIXELS, `${width} × ${height} pixels`);
      const lowered = /drawn at scale ([\d.]+) instead \((\d+) × (\d+) pixels\)/.exec(result.stderr);
      if (size >= 8) assert.ok(lowered, result.stderr);
      if (lowered) assert.ok(Number(lowered[1]) < size && Math.abs(Number(lowered[2]) - width) <= 1, result.stderr);
    },
  },
  {
    name: 'connections --open-pairs summarize of N Deployments without policies',
    measured: '5,000 Deployments: V8 heap out of memory (every pair listed; no summary)',
    sizes: { test: 60, bench: 5_000 },
    write(dir, size) {
      return ['connections', writeDeployments(dir, size), '--open-pairs', 'summarize', '--format', 'json'];
    },
    check(result, size) {
      assert.equal(result.exit, 0, result.stderr);
      const json = JSON.parse(result.stdout);
      assert.equal(json.connections.length, 0);
      assert.equal(json.openWorkloads.length, size);
      assert.deepEqual(json.openWorkloads[0], { workload: 'default/app-0[Deployment]', ingress: 'unrestricted', egress: 'unrestricted' });
    },
  },
];
