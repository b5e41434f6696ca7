import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { compareSegmentationResults, readCsv, readSegmentationResults, type SegmentationPlan } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { demo, fakeIo, tempDir } from './support.js';

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
const plan = async () => JSON.parse((await run(['segmentation-plan', demo, '--cde', 'app=pci', '--format', 'json'])).out) as {
  probes: { id: string; kind: string; from: string; to: string; protocol: string; port: number; expected: string; boundary?: string; command: string }[];
};
/** The demo's CSV plan with every outcome filled in as expected, except those `override` names. */
async function results(override: Record<string, string> = {}, drop: string[] = []): Promise<string> {
  const csv = (await run(['segmentation-plan', demo, '--cde', 'app=pci'])).out;
  const rows = readCsv(csv).map((r) => r.map((c) => c.text));
  const expected = Object.fromEntries((await plan()).probes.map((p) => [p.id, p.expected === 'deny' ? 'blocked' : 'connected']));
  const lines = [rows[0]!, ...rows.slice(1).filter((r) => !drop.includes(r[1]!)).map((r) => [...r.slice(0, -1), override[r[1]!] ?? expected[r[1]!]!])];
  const file = join(tempDir(), 'results.csv');
  writeFileSync(file, lines.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n'));
  return file;
}

describe('netdiagram segmentation-plan', () => {
  it('lists the other app × the pci app as expected-deny in both directions, and F1 as the expected-allow control', async () => {
    const { probes } = await plan();
    const other = ['default/other-backend[Deployment]', 'default/other-frontend[Deployment]'];
    const pci = ['default/pci-backend[Deployment]', 'default/pci-frontend[Deployment]'];
    const isolation = probes.filter((p) => p.kind === 'isolation');
    for (const o of other) {
      for (const c of pci) {
        expect(isolation.filter((p) => p.from === o && p.to === c).map((p) => p.expected)).toEqual(['deny']);
        expect(isolation.filter((p) => p.from === c && p.to === o).map((p) => p.expected)).toEqual(['deny']);
      }
    }
    expect(isolation).toHaveLength(8);
    expect(probes.filter((p) => p.kind === 'control').map((p) => [p.boundary, p.expected, p.protocol, p.port, p.to])).toEqual([['F1', 'allow', 'TCP', 80, 'default/pci-frontend[Deployment]']]);
    const p1 = probes.find((p) => p.from === 'default/other-frontend[Deployment]' && p.to === 'default/pci-backend[Deployment]')!;
    expect(p1.command).toBe(`kubectl exec -n default "$(kubectl get pod -n default -l 'app=other,tier=frontend' -o name | head -n 1)" -- nc -zv -w 3 "$(kubectl get pod -n default -l 'app=pci,tier=backend' -o jsonpath='{.items[0].status.podIP}')" 6379`);
  });

  it('passes results as the plan expects them, and exits 1 naming the one probe that connected where the policies deny', async () => {
    expect((await run(['segmentation-plan', demo, '--cde', 'app=pci', '--results', await results()])).code).toBe(0);
    const { probes } = await plan();
    const leak = probes.find((p) => p.from === 'default/other-frontend[Deployment]' && p.to === 'default/pci-backend[Deployment]')!;
    const { code, out } = await run(['segmentation-plan', demo, '--cde', 'app=pci', '--results', await results({ [leak.id]: 'open' })]);
    expect(code).toBe(1);
    expect(out.split('\n').filter((l) => l.startsWith('error'))).toEqual([
      `error segmentation/not-enforced: ${leak.id}: default/other-frontend[Deployment] → default/pci-backend[Deployment] on TCP 6379 connected, but the policies deny it: the network plugin does not enforce what the manifests say (or the manifests are not what runs) [PCI DSS 11.4.5]`,
    ]);
  });

  it('counts a probe not run as an error, and a blocked positive control as a warning', async () => {
    const { probes } = await plan();
    const control = probes.find((p) => p.kind === 'control')!;
    const missing = await run(['segmentation-plan', demo, '--cde', 'app=pci', '--results', await results({}, ['P2'])]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('error segmentation/not-run: P2:');
    const blocked = await run(['segmentation-plan', demo, '--cde', 'app=pci', '--results', await results({ [control.id]: 'timeout' })]);
    expect(blocked.code).toBe(0);
    expect(blocked.out).toContain(`warning segmentation/control-failed: ${control.id}:`);
  });

  it('refuses results of another plan and unknown outcomes at their cell, with exit code 2', async () => {
    const file = join(tempDir(), 'results.csv');
    const good = readCsv(await readFile(await results(), 'utf8')).map((r) => r.map((c) => c.text));
    const id = good[1]![0]!;
    const p2 = good[2]!;
    writeFileSync(file, `plan,probe,expected,from,to,protocol,port,outcome\n${id},P1,deny,default/somebody[Deployment],default/pci-backend[Deployment],TCP,6379,blocked\n${id},P2,${p2[3]},${p2[4]},${p2[5]},${p2[6]},${p2[7]},maybe\n`);
    const { code, err } = await run(['segmentation-plan', demo, '--cde', 'app=pci', '--results', file]);
    expect(code).toBe(2);
    expect(err.split('\n').filter((l) => l.includes(' error '))).toEqual([
      `${file}:2:27: error results/invalid: P1: from is "default/somebody[Deployment]" here but "default/other-backend[Deployment]" in the plan: results of another plan?`,
      `${file}:3:${`${id},P2,${p2.slice(3, 8).join(',')},`.length + 1}: error results/invalid: P2: outcome "maybe" is neither connected (connected, open, succeeded, success) nor blocked (blocked, refused, timeout, timed out, closed, failed)`,
    ]);
  });

  it('refuses results recorded against the plan before a segmentation change, and a file without the plan\'s columns', async () => {
    const review = (name: string) => join(import.meta.dirname, '../fixtures/review15', name);
    const old = (await run(['segmentation-plan', review('pd1'), '--cde', 'app=pci'])).out;
    const rows = readCsv(old).map((r) => r.map((c) => c.text));
    const filled = [rows[0]!, ...rows.slice(1).map((r) => [...r.slice(0, -1), r[3] === 'deny' ? 'blocked' : 'connected'])];
    const file = join(tempDir(), 'results.csv');
    writeFileSync(file, filled.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n'));
    expect((await run(['segmentation-plan', review('pd1'), '--cde', 'app=pci', '--results', file])).code).toBe(0);
    const changed = await run(['segmentation-plan', review('pd2'), '--cde', 'app=pci', '--results', file]);
    expect(changed.code).toBe(2);
    expect(changed.err).toContain('not of this plan');
    const bare = await run(['segmentation-plan', review('pd2'), '--cde', 'app=pci', '--results', review('res1.csv')]);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('error results/invalid: the header lacks the column plan');
    const minimal = join(tempDir(), 'minimal.csv');
    writeFileSync(minimal, `plan,probe,outcome\n${rows[1]![0]},P1,blocked\n`);
    expect((await run(['segmentation-plan', review('pd1'), '--cde', 'app=pci', '--results', minimal])).err).toContain('the header lacks the columns expected, from, to, protocol, port');
  });

  it('fails closed (exit 2) when a CDE workload declares no port to probe, unless --probe-port gives one', async () => {
    const input = join(import.meta.dirname, '../fixtures/review15/cde-no-port');
    const bare = await run(['segmentation-plan', input, '--cde', 'pci=true']);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('error: CDE workload pay/vault[Deployment] declares no container port, so no probe tests its isolation');
    const given = await run(['segmentation-plan', input, '--cde', 'pci=true', '--probe-port', '8443/TCP']);
    expect(given.code).toBe(0);
    expect(given.out).toContain('other/job[Deployment],pay/vault[Deployment],TCP,8443');
  });

  it('refuses the plan\'s verdicts (allow, deny) as observed outcomes', async () => {
    const { probes } = await plan();
    const { code, err } = await run(['segmentation-plan', demo, '--cde', 'app=pci', '--results', await results({ [probes[0]!.id]: 'deny' })]);
    expect(code).toBe(2);
    expect(err).toContain(`${probes[0]!.id}: outcome "deny" is a verdict of the plan, not an observation`);
  });

  it('names a bare Pod in its command instead of selecting by its labels (a label-less Pod would give -l \'\')', async () => {
    const input = join(tempDir(), 'pod.yaml');
    writeFileSync(input, [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: debug, namespace: other}\nspec:\n  containers: [{name: c, image: x, ports: [{containerPort: 22}]}]',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: pay}\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api, pci: "true"}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: 8443}]}]',
    ].join('\n---\n'));
    const { out } = await run(['segmentation-plan', input, '--cde', 'pci=true', '--format', 'json']);
    const commands = (JSON.parse(out) as { probes: { command: string }[] }).probes.map((p) => p.command);
    expect(commands).toContain(`kubectl exec -n other pod/debug -- nc -zv -w 3 "$(kubectl get pod -n pay -l 'app=api,pci=true' -o jsonpath='{.items[0].status.podIP}')" 8443`);
    expect(commands).toContain(`kubectl exec -n pay "$(kubectl get pod -n pay -l 'app=api,pci=true' -o name | head -n 1)" -- nc -zv -w 3 "$(kubectl get pod -n other debug -o jsonpath='{.status.podIP}')" 22`);
    expect(commands.join('\n')).not.toContain("-l ''");
  });

  it('needs a CDE', async () => {
    const { code, err } = await run(['segmentation-plan', demo]);
    expect(code).toBe(2);
    expect(err).toContain('mark it with --cde');
  });
});

describe('readCsv', () => {
  it('reads quoted cells, doubled quotes, CRLF and LF, and takes off a spreadsheet guard', () => {
    const rows = readCsv('a,"b,""c""",\'=x\r\n\r\n"multi\nline",2\n');
    expect(rows.map((r) => r.map((c) => c.text))).toEqual([['a', 'b,"c"', '=x'], ['multi\nline', '2']]);
    expect(rows[1]![1]).toMatchObject({ line: 4, column: 7 });
    expect(() => readCsv('a,"b\n')).toThrow('a quoted field is never closed');
  });
});

describe('UDP probes that time out (review 15, lesser)', () => {
  // a UDP probe that gets no answer proves nothing: a dropped datagram and an open port that does not reply look alike
  const probe = (id: string, protocol: string, expected: string) => ({ id, kind: expected === 'deny' ? 'isolation' : 'control', expected, from: 'a/x[Pod]', to: 'b/y[Pod]', protocol, port: 53, command: '' });
  const udpPlan = { identity: 'plan-0123456789ab', probes: [probe('P1', 'UDP', 'deny'), probe('P2', 'TCP', 'deny'), probe('P3', 'UDP', 'allow')], notes: [], unprobedCde: [] } as unknown as SegmentationPlan;
  const csv = (outcomes: string[]) => ['plan,probe,expected,from,to,protocol,port,outcome',
    ...udpPlan.probes.map((p, i) => `${udpPlan.identity},${p.id},${p.expected},${p.from},${p.to},${p.protocol},${p.port},${outcomes[i]}`)].join('\n');

  it('counts a UDP timeout as inconclusive, never as blocked: an error for an isolation probe, a warning for a control', () => {
    const read = readSegmentationResults('r.csv', csv(['timeout', 'timeout', 'timed out']), udpPlan);
    expect(read.diagnostics).toEqual([]);
    expect([...read.outcomes]).toEqual([['P1', 'inconclusive'], ['P2', 'blocked'], ['P3', 'inconclusive']]);
    const mismatches = compareSegmentationResults(udpPlan, read.outcomes);
    expect(mismatches.map((m) => [m.probe.id, m.severity, m.outcome])).toEqual([['P1', 'error', 'inconclusive'], ['P3', 'warning', 'inconclusive']]);
    expect(mismatches[0]!.message).toContain('inconclusive');
    // refused (an ICMP port-unreachable came back) is an answer: blocked
    expect([...readSegmentationResults('r.csv', csv(['refused', 'refused', 'connected']), udpPlan).outcomes.values()]).toEqual(['blocked', 'blocked', 'connected']);
  });
});
