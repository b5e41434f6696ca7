import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { demo, demoCopy, fakeIo, withoutDenyAll } from './support.js';

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};

describe('netdiagram scope (PCI DSS 12.5.2)', () => {
  it('justifies the other app as out of scope, naming the deny-all policy as the control in both directions', async () => {
    const { code, out } = await run(['scope', demo, '--cde', 'app=pci', '--format', 'json', '--no-commit']);
    expect(code).toBe(0);
    const record = JSON.parse(out);
    expect(record.outOfScope.map((o: { id: string }) => o.id)).toEqual(['default/other-backend[Deployment]', 'default/other-frontend[Deployment]']);
    for (const o of record.outOfScope) {
      expect(o.toCde).toContain('NetworkPolicy default/deny-all');
      expect(o.fromCde).toContain('NetworkPolicy default/deny-all');
      expect(o.text).toMatch(/^no allowed path to or from the CDE; towards the CDE denied by .*NetworkPolicy default\/deny-all/);
    }
    expect(record.cde.map((m: { id: string }) => m.id)).toEqual(['default/pci-backend[Deployment]', 'default/pci-frontend[Deployment]']);
    expect(record.thirdParty.map((t: { boundary: string; to: string }) => [t.boundary, t.to])).toEqual([['F1', 'default/pci-frontend[Deployment]']]);
  });

  it('gives each segmentation control an identifier that changes exactly when the control does', async () => {
    const ids = async (dir: string) => Object.fromEntries(JSON.parse((await run(['scope', dir, '--cde', 'app=pci', '--format', 'json', '--no-commit'])).out)
      .controls.map((c: { id: string; identifier: string }) => [c.id, c.identifier]));
    const before = await ids(demo);
    expect(before['NetworkPolicy default/deny-all']).toMatch(/^sc-[0-9a-f]{12}$/);
    // moving a policy within its file (another line) is no change; editing it is
    const moved = await ids(demoCopy((p) => `# a comment that moves every policy one line down\n${p}`));
    expect(moved).toEqual(before);
    const edited = await ids(demoCopy((p) => p.replace('    - Ingress\n    - Egress\n---\n# Goal 3', '    - Ingress\n---\n# Goal 3')));
    expect(edited['NetworkPolicy default/deny-all']).not.toBe(before['NetworkPolicy default/deny-all']);
    expect(edited['NetworkPolicy default/pci-frontend-to-backend']).toBe(before['NetworkPolicy default/pci-frontend-to-backend']);
  });

  it('has no out-of-scope workload to justify once the deny-all policy is gone (the other app becomes connected-to)', async () => {
    const record = JSON.parse((await run(['scope', demoCopy(withoutDenyAll), '--cde', 'app=pci', '--format', 'json', '--no-commit'])).out);
    expect(record.outOfScope).toEqual([]);
    expect(record.connected.map((c: { id: string }) => c.id)).toContain('default/other-frontend[Deployment]');
  });

  it('names only the controls that decide each denied pair: a policy letting the other app send anywhere denies nothing towards the CDE (review 15 #8)', async () => {
    const openEgress = '\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: other-egress-anywhere\n  namespace: default\n' +
      'spec:\n  podSelector:\n    matchLabels:\n      app: other\n  policyTypes: [Egress]\n  egress:\n    - {}\n';
    const record = JSON.parse((await run(['scope', demoCopy((p) => p + openEgress), '--cde', 'app=pci', '--format', 'json', '--no-commit'])).out);
    const other = record.outOfScope.find((o: { id: string }) => o.id === 'default/other-frontend[Deployment]');
    // towards the CDE only the CDE's ingress isolation decides; the other app's egress admits it
    expect(other.toCde).toEqual(['NetworkPolicy default/deny-all', 'NetworkPolicy default/pci-backend-from-frontend', 'NetworkPolicy default/pci-frontend-from-outside']);
    expect(other.toCde).not.toContain('NetworkPolicy default/other-egress-anywhere');
    // per pair: pci-backend is isolated by deny-all and its own ingress policy, not by pci-frontend's
    expect(other.pairs.find((p: { cde: string }) => p.cde === 'default/pci-backend[Deployment]').toCde)
      .toEqual(['NetworkPolicy default/deny-all', 'NetworkPolicy default/pci-backend-from-frontend']);
    // away from the CDE: the CDE's egress and the other app's ingress both refuse
    expect(other.fromCde).toEqual(['NetworkPolicy default/deny-all', 'NetworkPolicy default/pci-frontend-to-backend']);
  });

  it('writes Markdown that says what it cannot know', async () => {
    const { out } = await run(['scope', demo, '--cde', 'app=pci', '--no-commit']);
    expect(out).toContain('## Out of scope, and why (2)');
    expect(out).toContain('it does not observe traffic');
    expect(out).toContain('- Git: not recorded (--no-commit)');
  });
});

describe('segmentation control identities', () => {
  it('carry metadata.uid and resourceVersion when the manifest has them, which change no identifier', async () => {
    const withUid = demoCopy((p) => p.replace('metadata:\n  name: deny-all\n', 'metadata:\n  name: deny-all\n  uid: 0b6f7c1e-1111-4a2b-9c3d-000000000001\n  resourceVersion: "4711"\n'));
    const controls = async (dir: string) => JSON.parse((await run(['scope', dir, '--cde', 'app=pci', '--format', 'json', '--no-commit'])).out).controls as { id: string; identifier: string; uid?: string; resourceVersion?: string }[];
    const denyAll = (await controls(withUid)).find((c) => c.id === 'NetworkPolicy default/deny-all')!;
    expect(denyAll).toMatchObject({ uid: '0b6f7c1e-1111-4a2b-9c3d-000000000001', resourceVersion: '4711' });
    expect(denyAll.identifier).toBe((await controls(demo)).find((c) => c.id === 'NetworkPolicy default/deny-all')!.identifier);
    expect((await run(['scope', withUid, '--cde', 'app=pci', '--no-commit'])).out).toContain('| 0b6f7c1e-1111-4a2b-9c3d-000000000001 / 4711 |');
  });
});
