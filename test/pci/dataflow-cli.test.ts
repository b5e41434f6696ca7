import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { demo, demoCopy, fakeIo, tempDir } from './support.js';

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
const backendFromInternet = (p: string) => `${p}\n---\n${JSON.stringify({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'backend-from-anywhere', namespace: 'default' },
  spec: { podSelector: { matchLabels: { app: 'pci', tier: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 6379 }] }] },
})}\n`;
/** The demo with the frontend's data-flow names and a parties file made of text that must be escaped. */
function hostileDemo(): { dir: string; parties: string } {
  const dir = demoCopy();
  const app = join(dir, 'pci-app.yaml');
  writeFileSync(app, readFileSync(app, 'utf8').replace('netdiagram.io/data-flows: payment}', 'netdiagram.io/data-flows: "payment, <script>alert(1)</script>, a|b, =HYPERLINK(1)"}'));
  const parties = join(tempDir(), 'parties.yaml');
  writeFileSync(parties, 'parties:\n  - name: "@Acme <b>&\\"Co\\"</b> | x"\n    kind: acquirer\n    cidrs: [0.0.0.0/0]\n    flows: "=HYPERLINK(1)"\n');
  return { dir, parties };
}

describe('netdiagram dataflow', () => {
  it('lists the seed demo\'s account-data flows with the network diagram\'s ids and boundary numbers', async () => {
    const { code, out, err } = await run(['dataflow', demo, '--cde', 'app=pci', '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.handlers.map((h: { id: string; roles: string[] }) => [h.id, h.roles])).toEqual([
      ['default/pci-backend[Deployment]', ['stores']], ['default/pci-frontend[Deployment]', ['processes', 'transmits']],
    ]);
    expect(json.flows.map((f: { id: string; boundary?: string; kind: string; from: string; to: string }) => [f.id, f.boundary, f.kind, f.from, f.to])).toEqual([
      ['D1', 'F1', 'entry', 'ipblock:0.0.0.0/0 except 10.96.0.0/12', 'default/pci-frontend[Deployment]'],
      // the LoadBalancer Service in front of pci-frontend is a door of its own, whatever the policies admit (review 15 #6)
      ['D2', undefined, 'entry', 'external', 'default/pci-frontend[Deployment]'],
      ['D3', undefined, 'internal', 'default/pci-frontend[Deployment]', 'default/pci-backend[Deployment]'],
    ]);
    expect(json.flows[1].exposedBy).toEqual(['LoadBalancer Service default/pci-frontend']);
    expect(err).toMatch(/^.*pci-app\.yaml:32:1: warning data\/reachable-from-untrusted: .*\(D2, exposed outside the cluster by LoadBalancer Service default\/pci-frontend\) \[PCI DSS 1\.4\.2\]\n.*policies\.yaml:69:7: warning data\/reachable-from-untrusted: .*\(D1, F1\) \[PCI DSS 1\.4\.2\]\n$/);
    expect((await run(['dataflow', demo, '--cde', 'app=pci', '--format', 'csv', '--fail-on', 'error'])).code).toBe(0);
    expect((await run(['dataflow', demo, '--cde', 'app=pci', '--format', 'csv', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('fails --fail-on error when the Internet reaches the card data store, naming it (PCI DSS 1.4.4)', async () => {
    const { code, err } = await run(['dataflow', demoCopy(backendFromInternet), '--cde', 'app=pci', '--format', 'csv', '--fail-on', 'error']);
    expect(code).toBe(1);
    expect(err).toMatch(/error data\/store-reachable-from-untrusted: default\/pci-backend\[Deployment\] stores account data and is reachable from 0\.0\.0\.0\/0 except 10\.96\.0\.0\/12 on TCP 6379 \(D1, F1\) \[PCI DSS 1\.4\.4\]/);
    const audit = await run(['audit', demoCopy(backendFromInternet), '--cde', 'app=pci', '--fail-on', 'error']);
    expect(audit.code).toBe(1);
    expect(audit.out).toContain('error data/store-reachable-from-untrusted');
  });

  it('refuses a bad parties file at its line and column, with exit code 2 and nothing written', async () => {
    const parties = join(tempDir(), 'parties.yaml');
    writeFileSync(parties, 'parties:\n  - name: Acme\n    kind: bank\n    cidrs: [203.0.113.0/24]\n');
    const output = join(tempDir(), 'df.svg');
    const { code, err } = await run(['dataflow', demo, '--cde', 'app=pci', '--parties', parties, '-o', output]);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(`${parties}:3:11: error parties/invalid: kind must be one of acquirer, processor, third-party, not "bank"`);
    expect(() => readFileSync(output)).toThrow();
  });

  it('refuses an input that states no account data: there is nothing to draw', async () => {
    const dir = demoCopy();
    const app = join(dir, 'pci-app.yaml');
    writeFileSync(app, readFileSync(app, 'utf8').replace(/\n {2}annotations: \{netdiagram\.io\/account-data[^\n]*/g, ''));
    const { code, err } = await run(['dataflow', dir, '--cde', 'app=pci']);
    expect(code).toBe(2);
    expect(err).toContain('no workload or namespace carries the netdiagram.io/account-data annotation');
  });

  it('escapes annotation and party text in SVG, Markdown and CSV', async () => {
    const { dir, parties } = hostileDemo();
    const svg = (await run(['dataflow', dir, '--cde', 'app=pci', '--parties', parties])).out;
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('@Acme &lt;b&gt;&amp;&quot;Co&quot;&lt;/b&gt; | x');
    expect(svg).not.toMatch(/<script|<b>/);
    const md = (await run(['dataflow', dir, '--cde', 'app=pci', '--parties', parties, '--format', 'md'])).out;
    expect(md).toContain('a\\|b');
    expect(md).not.toContain('<script>');
    const csv = (await run(['dataflow', dir, '--cde', 'app=pci', '--parties', parties, '--format', 'csv'])).out;
    const rows = csv.split('\r\n');
    // a cell a spreadsheet would run as a formula gets a leading ': the party's @name, its =flow
    expect(rows.find((r) => r.startsWith('D1,'))).toContain(`"'@Acme <b>&""Co""</b> | x (acquirer): 0.0.0.0/0 except 10.96.0.0/12"`);
    expect(rows.find((r) => r.startsWith('D1,'))!.endsWith(`,"'=HYPERLINK(1)",`)).toBe(true);
  });

  it('draws the same bytes whatever order the input files are named in', async () => {
    const files = ['other-app.yaml', 'pci-app.yaml', 'policies.yaml'].map((f) => join(demo, f));
    const a = await run(['dataflow', ...files, '--cde', 'app=pci', '--no-commit']);
    const b = await run(['dataflow', ...[...files].reverse(), '--cde', 'app=pci', '--no-commit']);
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
    expect(a.out).toContain('account data (stored)');
    expect(a.out).toContain('ENTRY: account data in');
  });
});

describe('the data-flow record (review 15, lesser)', () => {
  it('says where it comes from, as the scoping record does: tool version, date, inputs with their digest, commit, scope', async () => {
    const { out } = await run(['dataflow', demo, '--cde', 'app=pci', '-f', 'md', '--no-commit', '--date', '2026-01-31', '--prepared-by', 'A. Auditor']);
    const head = out.split('\n').slice(2, 8);
    expect(head[0]).toMatch(/^- Generated by netdiagram \d+\.\d+\.\d+, dated 2026-01-31$/);
    expect(head[1]).toMatch(/^- Inputs: .*examples\/pci-demo \(sha256:[0-9a-f]{64}\)$/);
    expect(head.slice(2)).toEqual(['- Git: not recorded (--no-commit)', '- Prepared by: A. Auditor', '- CDE: 2 workloads (app=pci), 0 connected-to, 1 boundary flow', '']);
  });
});
