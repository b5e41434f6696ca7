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

// n pods in one namespace; n ingress policies whose podSelectors overlap (each selects every pod but
// one) and which each admit one pod; one egress policy lets every pod reach only the web pods. Every
// pair is a candidate, so walking every rule per pair costs n³; the output is only the web pairs.
function overlappingPolicies(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const role = i % 20 === 0 ? ', role: web' : '';
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: p${i}, namespace: shop, labels: {app: p${i}${role}}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}`);
  }
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-p${i}, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [p${i}]}]}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: p${i}}}}]
    ports: [{protocol: TCP, port: ${8000 + (i % 100)}}, {protocol: TCP, port: http}]`);
  }
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-web, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {role: web}}}]`);
  return `${docs.join('\n---\n')}\n`;
}

// n namespaces, each with a labelled Namespace, a Deployment and a policy admitting the namespaces of
// its team (ten namespaces), with egress to them and to a database of its own outside the cluster:
// n address blocks cut the outside into 2n pieces, and each piece against each namespace costs n².
function namespacesWithPolicies(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const team = `t${Math.floor(i / 10)}`;
    docs.push(`apiVersion: v1
kind: Namespace
metadata: {name: ns${i}, labels: {team: ${team}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ns${i}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: team, namespace: ns${i}}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: ${team}}}}]
    ports: [{port: 8080}]
  egress:
  - to: [{namespaceSelector: {matchLabels: {team: ${team}}}}]
  - to: [{ipBlock: {cidr: 172.${16 + (i >> 8)}.${i & 255}.0/24}}]
    ports: [{port: 5432}]`);
  }
  return `${docs.join('\n---\n')}\n`;
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
  {
    name: 'N pods and N overlapping policies',
    measured: '400 pods and 400 policies (302 KB): 57 s; 1,000 and 1,000: over 400 s',
    sizes: { test: 40, bench: 400 },
    write(dir, size) {
      return writeInput(dir, overlappingPolicies(size));
    },
    check(result, size) {
      assert.equal(result.exit, 0, result.stderr);
      const pods = connectionsOf(result.stdout).filter((c) => c.from.startsWith('shop/') && c.to.startsWith('shop/'));
      // every pod reaches every web pod but itself, on the port of its own policy and the named port
      assert.equal(pods.length, Math.ceil(size / 20) * (size - 1));
      const one = pods.find((c) => c.from === 'shop/p3[Pod]' && c.to === 'shop/p0[Pod]');
      assert.deepEqual(one, {
        from: 'shop/p3[Pod]', to: 'shop/p0[Pod]',
        ports: [{ protocol: 'TCP', port: 8003 }, { protocol: 'TCP', port: 8080 }],
        via: ['netpol:shop/from-p3#ingress[0]', 'netpol:shop/to-web#egress[0]'],
      });
    },
  },
  {
    name: 'N namespaces with policies',
    measured: '1,000 namespaces: 1.1 GB',
    sizes: { test: 40, bench: 1_000 },
    write(dir, size) {
      return writeInput(dir, namespacesWithPolicies(size));
    },
    check(result, size) {
      assert.equal(result.exit, 0, result.stderr);
      const connections = connectionsOf(result.stdout);
      const inside = connections.filter((c) => c.from.endsWith('[Deployment]') && c.to.endsWith('[Deployment]'));
      // each of ten namespaces of a team reaches the other nine
      assert.equal(inside.length, size * 9);
      assert.equal(connections.filter((c) => c.from.endsWith('[Deployment]') && c.to.startsWith('ipblock:')).length, size);
    },
  },
  {
    name: 'one rule with N peers, audited with a CDE (exposure analysis)',
    measured: '5,000 peers: 3.5 s (every representative peer compared with every other)',
    sizes: { test: 200, bench: 5_000 },
    write(dir, size) {
      const peers = Array.from({ length: size }, (_, i) => `    - podSelector: {matchLabels: {app: c${i}}}`).join('\n');
      const file = join(dir, 'input.yaml');
      writeFileSync(file, `${pods}---\n${ingressPolicy(`  - from:\n${peers}\n    ports: [{port: 80}]\n`)}`);
      return ['audit', file, '--cde', 'app=web', '--format', 'json'];
    },
    check(result, size) {
      assert.equal(result.exit, 0, result.stderr);
      const findings = JSON.parse(result.stdout).findings.filter((f) => f.code === 'cde/admits-namespace-pods');
      // one boundary flow per peer, every one a warning: pods by label in the policy's own namespace
      assert.equal(findings.length, size);
    },
  },
];
