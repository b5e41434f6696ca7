import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { demo, demoCopy, fakeIo } from './support.js';

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
/** deny-all made ingress-only: no flow of the demo changes (every workload keeps an egress policy), but a segmentation control did. */
const ingressOnlyDenyAll = (p: string) => p.replace('  policyTypes:\n    - Ingress\n    - Egress\n---\n# Goal 3', '  policyTypes:\n    - Ingress\n---\n# Goal 3');
const unrelated = (p: string) => `${p}\n---\n${JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'elsewhere' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } })}\n`;

describe('diff: segmentation changes (PCI DSS 11.4.5)', () => {
  it('flags a change to the deny-all policy as a re-test, and exits 1 under --fail-on-segmentation-change', async () => {
    const changed = demoCopy(ingressOnlyDenyAll);
    const { code, out } = await run(['diff', demo, changed, '--cde', 'app=pci', '--fail-on-segmentation-change']);
    expect(code).toBe(1);
    expect(out).toContain('11.4.5: segmentation changed, re-test required: changed NetworkPolicy default/deny-all\n');
    const json = JSON.parse((await run(['diff', demo, changed, '--cde', 'app=pci', '--format', 'json'])).out);
    expect(json.segmentation).toEqual({ added: [], removed: [], changed: ['NetworkPolicy default/deny-all'], retestRequired: true });
    expect((await run(['diff', demo, changed, '--cde', 'app=pci', '--format', 'md'])).out).toContain('**11.4.5: segmentation changed, re-test required: changed NetworkPolicy default/deny-all**');
  });

  it('does not flag an unchanged input, nor a policy that decides nothing of the CDE or its namespace', async () => {
    for (const other of [demoCopy(), demoCopy(unrelated)]) {
      const { code, out } = await run(['diff', demo, other, '--cde', 'app=pci', '--fail-on-segmentation-change']);
      expect(code).toBe(0);
      expect(out).not.toContain('11.4.5');
    }
  });
});
