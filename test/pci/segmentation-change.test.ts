import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { demo, demoCopy, fakeIo } from './support.js';

const review = (name: string) => join(import.meta.dirname, '../fixtures/review15', name);

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
/** deny-all made ingress-only: a segmentation control changed, and with it the CDE's egress to outside addresses. */
const ingressOnlyDenyAll = (p: string) => p.replace('  policyTypes:\n    - Ingress\n    - Egress\n---\n# Goal 3', '  policyTypes:\n    - Ingress\n---\n# Goal 3');
const unrelated = (p: string) => `${p}\n---\n${JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'elsewhere' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } })}\n`;

describe('diff: segmentation changes (PCI DSS 11.4.5)', () => {
  it('flags a change to the deny-all policy as a re-test, and exits 1 under --fail-on-segmentation-change', async () => {
    const changed = demoCopy(ingressOnlyDenyAll);
    const { code, out } = await run(['diff', demo, changed, '--cde', 'app=pci', '--fail-on-segmentation-change']);
    expect(code).toBe(1);
    expect(out).toContain('11.4.5: segmentation changed, re-test required: changed NetworkPolicy default/deny-all, 1 flow with an end in the CDE\n');
    const json = JSON.parse((await run(['diff', demo, changed, '--cde', 'app=pci', '--format', 'json'])).out);
    expect(json.segmentation).toEqual({ added: [], removed: [], changed: ['NetworkPolicy default/deny-all'], boundary: ['flow added default/pci-backend[Deployment] => external'], retestRequired: true });
    expect((await run(['diff', demo, changed, '--cde', 'app=pci', '--format', 'md'])).out).toContain('**11.4.5: segmentation changed, re-test required: changed NetworkPolicy default/deny-all, 1 flow with an end in the CDE**');
  });

  it('does not flag an unchanged input, nor a policy that decides nothing of the CDE or its namespace', async () => {
    for (const other of [demoCopy(), demoCopy(unrelated)]) {
      const { code, out } = await run(['diff', demo, other, '--cde', 'app=pci', '--fail-on-segmentation-change']);
      expect(code).toBe(0);
      expect(out).not.toContain('11.4.5');
    }
  });

  it('flags a policy removed outside the CDE namespace that kept a workload out of scope', async () => {
    const { code, out } = await run(['diff', review('seg-after'), review('seg-after2'), '--cde', 'pci=true', '--fail-on-segmentation-change']);
    expect(code).toBe(1);
    expect(out).toContain('removed NetworkPolicy other/deny-egress');
    expect(out).toContain('removed NetworkPolicy other/deny-egress, 1 flow with an end in the CDE, 1 zone change\n');
  });

  it('flags a Namespace label change that makes a CDE policy admit another namespace', async () => {
    const { code, out } = await run(['diff', review('seg-nb'), review('seg-na'), '--cde', 'pci=true', '--fail-on-segmentation-change']);
    expect(code).toBe(1);
    expect(out).toContain('zone other/job[Deployment]: out-of-scope → connected');
  });

  it('refuses to gate without a CDE (exit 2): it cannot tell which policies are controls', async () => {
    const { code, err } = await run(['diff', review('pd1'), review('pd3'), '--fail-on-segmentation-change']);
    expect(code).toBe(2);
    expect(err).toContain('--fail-on-segmentation-change needs the CDE');
  });
});
