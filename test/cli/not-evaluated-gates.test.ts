import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo, tempDir } from '../pci/support.js';

// a CDE workload whose egress a Cilium policy opens to a name DNS resolves at run time: what the
// rule allows is not in the flows, so no gate may vouch for the traffic and every record says so
const app = (fqdn: string) => `apiVersion: v1
kind: Namespace
metadata: {name: pay}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: pay}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}, annotations: {netdiagram.io/zone: cde}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, namespace: pay}
spec:
  selector: {matchLabels: {app: other}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: api-out, namespace: pay}
spec:
  endpointSelector: {matchLabels: {app: api}}
  egress:
  - toFQDNs: [{matchName: ${fqdn}}]
    toPorts: [{ports: [{port: "443", protocol: TCP}]}]
`;

function files(): { dir: string; before: string; after: string; expect: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'before.yaml'), app('api.stripe.com'));
  writeFileSync(join(dir, 'after.yaml'), app('exfil.attacker.example'));
  writeFileSync(join(dir, 'expect.yaml'), 'expectations:\n  - name: other reaches api\n    from: { pods: app=other }\n    to: { pods: app=api }\n    allow: [80/TCP]\n');
  return { dir, before: join(dir, 'before.yaml'), after: join(dir, 'after.yaml'), expect: join(dir, 'expect.yaml') };
}

const NOTICE = 'NOT EVALUATED: 1 peer the policies name (fqdn: api.stripe.com), matched to nothing and drawn dashed';

describe('a peer not evaluated fails every gate and is named in every record', () => {
  it('check: the expectation holds on the flows, but cannot pass', async () => {
    const { before, expect: expectations } = files();
    const io = fakeIo();
    expect(await main(['check', before, '--expect', expectations, '--no-config'], io)).toBe(2);
    expect(io.err).toContain(`the expectations cannot pass: ${NOTICE}`);
  });

  it('diff: a changed FQDN is no flow change, and the gates cannot pass on it', async () => {
    const { before, after } = files();
    for (const gate of ['--fail-on-change', '--fail-on-cde-change']) {
      const io = fakeIo();
      expect(await main(['diff', before, after, gate, '--no-config'], io)).toBe(2);
      expect(io.err).toContain('the gate cannot pass: NOT EVALUATED: 1 peer the policies name (fqdn: api.stripe.com)');
      expect(io.err).toContain('(fqdn: exfil.attacker.example)');
    }
  });

  it('scope and segmentation-plan: the record carries the NOT EVALUATED line', async () => {
    const { before } = files();
    const scope = fakeIo();
    await main(['scope', before, '--no-config', '--no-commit'], scope);
    expect(scope.out).toContain(`- **${NOTICE}`);
    const json = fakeIo();
    await main(['scope', before, '--no-config', '--no-commit', '-f', 'json'], json);
    expect(JSON.parse(json.out).notEvaluated).toEqual([expect.stringContaining(NOTICE)]);
    const plan = fakeIo();
    await main(['segmentation-plan', before, '--no-config', '-f', 'json'], plan);
    expect(JSON.parse(plan.out).notes).toContain(JSON.parse(json.out).notEvaluated[0]);
  });

  it('a Calico Pass rule naming a Service not in the input is not evaluated too: audit fails', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.yaml'), `apiVersion: v1
kind: Pod
metadata: {name: db, namespace: data, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 5432}]}]}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.db}
spec:
  tier: security
  selector: app == 'db'
  ingress:
  - action: Pass
    source: {services: {name: gw, namespace: edge}}
  - action: Deny
`);
    const audit = fakeIo();
    expect(await main(['audit', dir, '--fail-on', 'error', '--format', 'json', '--no-config'], audit)).toBe(1);
    const found = (JSON.parse(audit.out).findings as { code: string; message: string }[]).filter((f) => f.code === 'policy/peer-not-evaluated');
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining('passes to the next tier ingress from')]);
    const json = fakeIo();
    await main(['connections', dir, '--format', 'json', '--no-config'], json);
    expect(JSON.parse(json.out).notEvaluatedPeers.map((p: { action: string }) => p.action)).toEqual(['pass']);
  });
});
