import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../pci/support.js';

const demo = join(import.meta.dirname, '../../examples/pci-demo');
const shop = join(import.meta.dirname, '../../examples/shop');

async function run(...argv: string[]) {
  const io = fakeIo();
  const exit = await main(argv, io);
  return { exit, out: io.out, err: io.err };
}

describe('connections --exposure', () => {
  it('prints the exposure section after the connections, as netpol-analyzer lays it out', async () => {
    const { exit, out } = await run('connections', demo, '--exposure');
    expect(exit).toBe(0);
    expect(out).toBe([
      'default/pci-frontend[Deployment] => default/pci-backend[Deployment] : TCP 6379',
      'ipblock:0.0.0.0/0 except 10.96.0.0/12 => default/pci-frontend[Deployment] : TCP 80',
      '',
      'Exposure Analysis Result:',
      'Egress Exposure:',
      'default/pci-frontend[Deployment] => default/[pod with {app=pci,tier=backend}] : TCP 6379',
      '',
      'Ingress Exposure:',
      'default/pci-backend[Deployment] <= default/[pod with {app=pci,tier=frontend}] : TCP 6379',
      '',
      'Workloads not protected by network policies:',
      '(none)',
      '',
    ].join('\n'));
  });

  it('adds an exposure field to the JSON and changes nothing else', async () => {
    const plain = JSON.parse((await run('connections', shop, '--format', 'json')).out);
    const withExposure = JSON.parse((await run('connections', shop, '--format', 'json', '--exposure')).out);
    expect(Object.keys(withExposure)).toEqual(['endpoints', 'connections', 'routes', 'exposure']);
    expect({ ...withExposure, exposure: undefined }).toEqual({ ...plain, exposure: undefined });
    expect(withExposure.exposure).toContainEqual({
      direction: 'ingress', workload: 'payment/payment-api[Deployment]',
      peer: { namespace: 'monitoring', podSelector: { matchLabels: { app: 'prometheus' } } },
      ports: [{ protocol: 'TCP', port: 9102 }], via: ['netpol:payment/allow-metrics-scrape#ingress[0]'],
    });
    expect(withExposure.exposure).toContainEqual(expect.objectContaining({
      direction: 'egress', workload: 'ops/debug[Pod]', peer: { namespaceSelector: {}, podSelector: {} }, ports: 'all', via: ['default-allow:egress'],
    }));
  });

  it('writes one CSV table with a direction column, and a Markdown section', async () => {
    const csv = parseCsv((await run('connections', demo, '--format', 'csv', '--exposure')).out) as string[][];
    expect(csv[0]).toEqual(['direction', 'from', 'to', 'ports', 'via']);
    expect(csv.map((r) => r[0])).toEqual(['direction', 'connection', 'connection', 'egress', 'ingress']);
    expect(csv[4]).toEqual(['ingress', 'default/[pod with {app=pci,tier=frontend}]', 'default/pci-backend[Deployment]', 'TCP 6379', 'netpol:default/pci-backend-from-frontend#ingress[0]']);
    const md = (await run('connections', demo, '--format', 'md', '--exposure')).out;
    expect(md).toContain('### Exposure');
    expect(md).toContain('| ingress | default/[pod with {app=pci,tier=frontend}] | default/pci-backend[Deployment] | TCP 6379 |');
  });
});
