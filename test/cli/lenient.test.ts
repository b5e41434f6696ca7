import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo, tempDir } from '../robustness/support.js';

// A policy written for a newer API version than netdiagram knows: `newField` is unknown to the schema
const NEWER = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    newField: {}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c}]}
`;

function inputs(text: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.yaml'), text);
  return dir;
}

describe('--lenient', () => {
  it('is off by default: an unknown field is an error, the policy is left out and the command exits 2', async () => {
    const io = fakeIo(inputs(NEWER));
    expect(await main(['connections', 'in.yaml'], io)).toBe(2);
    expect(io.err).toContain('in.yaml:8:5: error k8s/unknown-field: unknown field "spec.ingress[0].newField"');
    // without the policy nothing isolates db: every pod reaches it
    expect(io.out).toContain('shop/web[Pod] => shop/db[Pod]');
  });

  it('turns an unknown field into a warning shown without --verbose, keeps the policy and exits 0', async () => {
    for (const command of ['connections', 'audit', 'explain']) {
      const io = fakeIo(inputs(NEWER));
      const args = command === 'explain' ? ['explain', 'in.yaml', '--from', 'shop/web[Pod]', '--to', 'shop/db[Pod]', '--lenient'] : [command, 'in.yaml', '--lenient'];
      const code = await main(args, io);
      expect(io.err, command).toContain('in.yaml:8:5: warning k8s/unknown-field: unknown field "spec.ingress[0].newField"; ignored (--lenient)');
      if (command === 'connections') {
        expect(code).toBe(0);
        expect(io.out).toContain('shop/web[Pod] => shop/db[Pod]');
        expect(io.out).not.toContain('external => shop/db[Pod]');
      }
    }
  });

  it('does not excuse a value of the wrong type', async () => {
    const io = fakeIo(inputs(NEWER.replace('    newField: {}\n', '    ports: [80]\n')));
    expect(await main(['connections', 'in.yaml', '--lenient'], io)).toBe(2);
    expect(io.err).toContain('error k8s/wrong-type: spec.ingress[0].ports[0] must be a map (NetworkPolicyPort), not the number 80');
  });
});
