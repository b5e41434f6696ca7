// Cost cases of reading input: many documents, anchors and aliases, template text.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A ConfigMap of 40 short settings (about 1.6 KB): many small nodes, the costliest text per byte to read. */
function configMap(name) {
  const data = Array.from({ length: 40 }, (_, k) => `  setting-${k}: "value ${k} of ${name}"\n`).join('');
  return `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\n  labels: {app: shop, tier: backend}\ndata:\n${data}`;
}

/** A Deployment and a policy that selects it, so the answer is a real verdict, not an empty graph. */
const workload = [
  '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n',
  '  template:\n    metadata:\n      labels: &labels {app: web}\n    spec: {containers: [{name: web, image: web}]}\n',
  '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n',
  '  policyTypes: [Ingress]\n',
].join('');

export const cases = [
  {
    name: 'N tiny documents that are not objects',
    measured: '150,000 documents: stack overflow (exit 70)',
    sizes: { test: 2_000, bench: 150_000 },
    write(dir, size) {
      const file = join(dir, 'tiny.yaml');
      writeFileSync(file, '---\n- a\n'.repeat(size));
      return ['connections', file, '--format', 'json'];
    },
    check(result) {
      assert.equal(result.exit, 2, result.stderr);
      assert.match(result.stderr, /tiny\.yaml:2:1: error k8s\/not-a-manifest/);
      assert.doesNotMatch(result.stderr, /internal error|Maximum call stack/i);
    },
  },
  {
    name: 'N tiny documents with a syntax error each',
    measured: '150,000 documents: stack overflow (exit 70), from passing every diagnostic as an argument',
    sizes: { test: 2_000, bench: 150_000 },
    write(dir, size) {
      const file = join(dir, 'broken.yaml');
      writeFileSync(file, '---\na: b: c\n'.repeat(size));
      return ['connections', file, '--format', 'json'];
    },
    check(result, size) {
      assert.equal(result.exit, 2, result.stderr);
      assert.match(result.stderr, /^broken\.yaml:2:4: error yaml\/syntax|\/broken\.yaml:2:4: error yaml\/syntax/m);
      // the first 1,000 or so errors one by one (MAX_REPORTED_ERRORS), then one error counting the rest, which is not read
      const listed = result.stderr.split('\n').filter((l) => / error yaml\/syntax/.test(l)).length;
      assert.ok(listed >= 1000 && listed <= 1002, `${listed} syntax errors listed`);
      const rest = /error yaml\/too-many-errors: (\d+) more documents of this file, from this one on, were not read/.exec(result.stderr);
      assert.ok(rest, 'the documents past the cap are counted in one error');
      assert.equal(listed + Number(rest[1]), size);
      assert.doesNotMatch(result.stderr, /internal error|Maximum call stack/i);
    },
  },
  {
    name: 'one anchor among N MB of ordinary documents',
    measured: '64 MB: out of memory (the whole file through the exact parser; 59 s of CPU and 1.6 GB where the heap allows it)',
    sizes: { test: 1, bench: 64 },
    write(dir, size) {
      const file = join(dir, 'dump.yaml');
      const parts = [];
      let bytes = 0;
      for (let i = 0; bytes < size * 1024 * 1024; i++) {
        const document = configMap(`config-${i}`);
        parts.push(document);
        bytes += document.length;
      }
      parts.splice(parts.length >> 1, 0, workload);
      writeFileSync(file, parts.join(''));
      return ['connections', file, '--format', 'json'];
    },
    check(result) {
      assert.equal(result.exit, 0, result.stderr);
      const json = JSON.parse(result.stdout);
      assert.ok(JSON.stringify(json).includes('shop/web'), 'the anchored Deployment is analysed');
    },
  },
  {
    name: 'an Ingress whose N paths are aliased in N rules less one',
    measured: '1,000 × 1,000 (103 KB of text): 1,000,000 backends, 530 MB (this file: 10 s, 240 MB)',
    sizes: { test: 300, bench: 1_000 },
    write(dir, size) {
      const file = join(dir, 'ingress.yaml');
      const paths = [];
      for (let i = 0; i < size; i++) paths.push(`      - {path: /p${i}, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n`);
      // the first rule holds the anchor and the others alias it: one alias fewer than MAX_ALIAS_COUNT
      // (1000), which counts aliases, not what they expand to
      const rules = [];
      for (let i = 1; i < size; i++) rules.push(`  - {host: h${i}.example.com, http: {paths: *paths}}\n`);
      writeFileSync(file, [
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: fan, namespace: shop}\n',
        'spec:\n  rules:\n  - host: h0.example.com\n    http:\n      paths: &paths\n', ...paths, ...rules,
        '---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
      ].join(''));
      return ['connections', file, '--format', 'json'];
    },
    check(result) {
      assert.equal(result.exit, 2, result.stderr);
      assert.match(result.stderr, /ingress\.yaml:\d+:\d+: error yaml\/alias-limit: YAML aliases expand this document to more than 100 times/);
      assert.equal(result.stderr.split('\n').filter((l) => / error /.test(l)).length, 1, result.stderr);
    },
  },
  {
    name: 'N KB of {{ with one YAML syntax error',
    measured: '100 KB: 14 s (the Helm-template hint check was quadratic)',
    sizes: { test: 10, bench: 100 },
    write(dir, size) {
      const file = join(dir, 'braces.yaml');
      writeFileSync(file, `a: b: c\nx: "${'{'.repeat(size * 1024)}"\n`);
      return ['connections', file, '--format', 'json'];
    },
    check(result) {
      assert.equal(result.exit, 2, result.stderr);
      assert.match(result.stderr, /braces\.yaml:1:\d+: error input\/template: this looks like a Helm or Go template/);
    },
  },
];
