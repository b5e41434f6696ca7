import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { findUnmatchedSelectors, parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { onlineBoutiqueDir, onlineBoutiqueSources } from './online-boutique.js';
import { fakeIo, tempDir } from './support.js';

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};

/** A NetworkPolicy the API server rejects (a /33 prefix): an input error, exit code 2. */
const BAD_CIDR = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: broken
  namespace: default
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/33}
`;

const TYPO = 'netdiagram: --cde "app=paymentservce" matches no workload (did you mean app=paymentservice?)\n';

describe('a --cde selector that matches no workload', () => {
  it.each([
    ['audit', (dir: string) => ['audit', dir, '--cde', 'app=paymentservce', '--fail-on', 'error']],
    ['diagram', (dir: string) => ['diagram', dir, '--cde', 'app=paymentservce', '-o', join(tempDir(), 'd.svg')]],
    ['diff', (dir: string) => ['diff', dir, dir, '--cde', 'app=paymentservce', '--fail-on-cde-change']],
    ['evidence', (dir: string) => ['evidence', dir, '--cde', 'app=paymentservce', '-o', join(tempDir(), 'bundle')]],
  ])('is an error in %s: exit code 2, naming the selector and the label it was probably meant to be', async (_command, argv) => {
    const { code, out, err } = await run(argv(onlineBoutiqueDir()));
    expect(code).toBe(2);
    expect(err).toBe(TYPO);
    expect(out).toBe('');
  });

  it('leaves no evidence bundle behind', async () => {
    const bundle = join(tempDir(), 'bundle');
    expect((await run(['evidence', onlineBoutiqueDir(), '--cde', 'app=paymentservce', '-o', bundle])).code).toBe(2);
    expect(existsSync(bundle)).toBe(false);
  });

  it('names the one selector of several that matches nothing, and an --out-of-scope selector too', async () => {
    const { code, err } = await run(['audit', onlineBoutiqueDir(), '--cde', 'app=paymentservice', '--cde', 'app=cartservise', '--out-of-scope', 'tier=web']);
    expect(code).toBe(2);
    expect(err).toBe('netdiagram: --cde "app=cartservise" matches no workload (did you mean app=cartservice?); ' +
      '--out-of-scope "tier=web" matches no workload (no workload or namespace has a label tier; labels nearest to it in the input: app=frontend, app=cartservice, app=redis-cart)\n');
  });

  it('fixes a misspelled key as well as a value, and keeps the requirements that match', () => {
    const { cluster } = parseManifests(onlineBoutiqueSources());
    expect(findUnmatchedSelectors([cluster], { cde: ['ap=paymentservice'] })[0]?.suggestion).toBe('app=paymentservice');
    expect(findUnmatchedSelectors([cluster], { cde: ['app in (paymentservice,cartservise)'] })).toEqual([]);
    expect(findUnmatchedSelectors([cluster], { cde: ['app=paymentservice,tier=db'] })[0]).toMatchObject({ text: 'app=paymentservice,tier=db' });
    expect(findUnmatchedSelectors([cluster], { cde: ['app=frontend', 'kubernetes.io/metadata.name=default'] })).toEqual([]);
  });

  it('is accepted by diff when it matches on one side: a change that removes every CDE workload is a CDE change', async () => {
    const old = onlineBoutiqueDir();
    const now = tempDir();
    writeFileSync(join(now, 'app.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n');
    const { code, err } = await run(['diff', old, now, '--cde', 'app=paymentservice', '--fail-on-cde-change']);
    expect(err).toBe('');
    expect(code).toBe(1);
  });

  it('fails closed on a namespace annotated as the CDE that holds no workload (a typo in the namespace name)', async () => {
    const dir = onlineBoutiqueDir({
      'payments.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments\n  annotations:\n    netdiagram.io/zone: cde\n',
    });
    for (const command of [['audit', dir, '--fail-on', 'error'], ['diagram', dir, '-o', join(dir, 'd.svg')]]) {
      const { code, err } = await run(command);
      expect(code).toBe(2);
      expect(err).toContain(`${join(dir, 'payments.yaml')}:1:1: error scope/empty-zone: namespace payments is annotated netdiagram.io/zone: cde, but the input has no workload in it`);
    }
  });
});

describe('a gate on an input with errors', () => {
  const broken = () => onlineBoutiqueDir({ 'broken.yaml': BAD_CIDR });

  it('audit --fail-on exits 2, even when no finding reaches the threshold', async () => {
    const { code, err } = await run(['audit', broken(), '--cde', 'app=paymentservice', '--fail-on', 'error']);
    expect(err).toContain('error netpol/invalid-cidr');
    expect(code).toBe(2);
    expect((await run(['audit', broken(), '--cde', 'app=paymentservice', '--fail-on', 'warning'])).code).toBe(2);
  });

  it('diff --fail-on-change and --fail-on-cde-change exit 2 when nothing changed', async () => {
    const dir = broken();
    expect((await run(['diff', dir, dir, '--fail-on-change'])).code).toBe(2);
    expect((await run(['diff', dir, dir, '--cde', 'app=paymentservice', '--fail-on-cde-change'])).code).toBe(2);
    const good = onlineBoutiqueDir();
    expect((await run(['diff', good, dir, '--fail-on-change'])).code).toBe(2);
  });

  it('check exits 2 when every expectation passes', async () => {
    const expect_ = join(tempDir(), 'expect.yaml');
    writeFileSync(expect_, 'expectations:\n  - name: the storefront never reaches redis\n    from: app=frontend\n    to: app=redis-cart\n    deny: all\n');
    const ok = await run(['check', onlineBoutiqueDir(), '-e', expect_]);
    expect(ok.out).toContain('1 of 1 expectation passed');
    expect(ok.code).toBe(0);
    const { code, out } = await run(['check', broken(), '-e', expect_]);
    expect(out).toContain('1 of 1 expectation passed');
    expect(code).toBe(2);
  });

  it('check fails an expectation whose selector matches no workload (exit 1), as it did before', async () => {
    const expect_ = join(tempDir(), 'expect.yaml');
    writeFileSync(expect_, 'expectations:\n  - name: typo\n    from: app=frontned\n    to: app=redis-cart\n    deny: all\n');
    const { code, out } = await run(['check', onlineBoutiqueDir(), '-e', expect_]);
    expect(out).toContain('from (app=frontned) matches no workload');
    expect(code).toBe(1);
  });

  it('explain refuses an endpoint that names no workload', async () => {
    const { code, err } = await run(['explain', onlineBoutiqueDir(), '--from', 'default/frontned', '--to', 'default/paymentservice']);
    expect(code).toBe(2);
    expect(err).toContain('"default/frontned" names no workload');
  });
});
