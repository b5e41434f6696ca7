// Cost cases of policy evaluation: one policy (or many overlapping ones) whose text is small and
// whose evaluation once was not.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pods = `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c}]}
`;

function ingressPolicy(ruleText) {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: wide, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
${ruleText}`;
}

function connectionsOf(stdout) {
  return JSON.parse(stdout).connections;
}

function writeInput(dir, text) {
  const file = join(dir, 'input.yaml');
  writeFileSync(file, text);
  return ['connections', file, '--format', 'json'];
}

export const cases = [
  {
    name: 'one rule with N ports',
    measured: '10,000 ports (175 KB): 15 s',
    sizes: { test: 200, bench: 10_000 },
    write(dir, size) {
      const ports = Array.from({ length: size }, (_, i) => `    - {protocol: TCP, port: ${1 + i * 2}}`).join('\n');
      return writeInput(dir, `${pods}---\n${ingressPolicy(`  - ports:\n${ports}\n`)}`);
    },
    check(result) {
      assert.equal(result.exit, 0, result.stderr);
      const toWeb = connectionsOf(result.stdout).filter((c) => c.to === 'shop/web[Pod]');
      assert.ok(toWeb.length > 0, 'client still reaches web');
    },
  },
  {
    name: 'one rule with N TCP endPort ranges and N UDP ports',
    measured: '10,000 ranges and 10,000 UDP ports (676 KB): 117 s',
    sizes: { test: 200, bench: 10_000 },
    write(dir, size) {
      const ranges = Array.from({ length: size }, (_, i) => `    - {protocol: TCP, port: ${1 + i * 3}, endPort: ${2 + i * 3}}`);
      const udp = Array.from({ length: size }, (_, i) => `    - {protocol: UDP, port: ${1 + i * 5}}`);
      return writeInput(dir, `${pods}---\n${ingressPolicy(`  - ports:\n${[...ranges, ...udp].join('\n')}\n`)}`);
    },
    check(result) {
      assert.equal(result.exit, 0, result.stderr);
      assert.ok(connectionsOf(result.stdout).some((c) => c.to === 'shop/web[Pod]'));
    },
  },
  {
    name: 'one ipBlock with N excepts',
    measured: '10,000 excepts: 50 s',
    sizes: { test: 200, bench: 10_000 },
    write(dir, size) {
      const excepts = Array.from({ length: size }, (_, i) => `        - 10.${(i >> 8) & 255}.${i & 255}.0/24`).join('\n');
      return writeInput(dir, `${pods}---\n${ingressPolicy(`  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except:\n${excepts}\n`)}`);
    },
    check(result) {
      assert.equal(result.exit, 0, result.stderr);
    },
  },
  {
    name: 'N rules with an ipBlock each',
    measured: '5,000 rules: 35 s',
    sizes: { test: 200, bench: 5_000 },
    write(dir, size) {
      const rules = Array.from({ length: size }, (_, i) => `  - from: [{ipBlock: {cidr: 10.${(i >> 8) & 255}.${i & 255}.0/24}}]\n    ports: [{port: ${1 + (i % 60000)}}]`).join('\n');
      return writeInput(dir, `${pods}---\n${ingressPolicy(`${rules}\n`)}`);
    },
    check(result) {
      assert.equal(result.exit, 0, result.stderr);
    },
  },
];
