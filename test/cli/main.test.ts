import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Io } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';

function fakeIo(stdin = ''): Io & { out: string; err: string } {
  const io = {
    out: '', err: '',
    stdout(text: string | Uint8Array) { io.out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8'); },
    stderr(text: string) { io.err += text; },
    readStdin: async () => stdin,
    env: {}, cwd: process.cwd(),
  };
  return io;
}
const demo = join(import.meta.dirname, '../../examples/pci-demo');

describe('netdiagram connections', () => {
  it('prints one sorted line per allowed flow', async () => {
    const io = fakeIo();
    expect(await main(['connections', demo], io)).toBe(0);
    expect(io.out).toBe([
      'default/pci-frontend[Deployment] => default/pci-backend[Deployment] : TCP 6379',
      'ipblock:0.0.0.0/0 except 10.96.0.0/12 => default/pci-frontend[Deployment] : TCP 80',
      '',
    ].join('\n'));
  });

  it('prints the documented JSON shape', async () => {
    const io = fakeIo();
    expect(await main(['connections', demo, '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(io.out);
    expect(Object.keys(json)).toEqual(['endpoints', 'connections', 'routes']);
    expect(json.connections[0]).toEqual({
      from: 'default/pci-frontend[Deployment]', to: 'default/pci-backend[Deployment]',
      ports: [{ protocol: 'TCP', port: 6379 }],
      via: ['netpol:default/pci-backend-from-frontend#ingress[0]', 'netpol:default/pci-frontend-to-backend#egress[0]'],
    });
    expect(json.endpoints.filter((e: { type: string }) => e.type === 'external').map((e: { id: string }) => e.id))
      .toEqual(['external', 'ipblock:0.0.0.0/0 except 10.96.0.0/12']); // the Internet reaches the LoadBalancer Services
  });

  it('reads manifests from standard input with -', async () => {
    const io = fakeIo(readFileSync(join(demo, 'policies.yaml'), 'utf8') + '\n---\n' + readFileSync(join(demo, 'pci-app.yaml'), 'utf8'));
    expect(await main(['connections', '-', '--format', 'csv'], io)).toBe(0);
    expect(io.out.split('\r\n')[0]).toBe('from,to,ports,via');
    expect(io.out).toContain('default/pci-frontend[Deployment],default/pci-backend[Deployment],TCP 6379,');
  });

  it('reports bad input as one line with file:line:column and exits 2, keeping the good documents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netdiagram-'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: { cidr: 10.0.0.0/33 }\n');
    writeFileSync(join(dir, 'good.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: b }\n');
    const io = fakeIo();
    expect(await main(['connections', dir], io)).toBe(2);
    expect(io.err.split('\n')[0]).toBe(`${join(dir, 'bad.yaml')}:8:28: error netpol/invalid-cidr: "10.0.0.0/33" is not a valid CIDR: prefix /33 is out of range for IPv4 (0-32)`);
    expect(io.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(io.out).toContain('default/a[Pod] => default/b[Pod] : All Connections');
  });

  it('exits 2 with one line for a missing file', async () => {
    const io = fakeIo();
    expect(await main(['connections', 'no/such/dir'], io)).toBe(2);
    expect(io.err).toBe('no/such/dir:1:1: error input/not-found: no such file or directory\n');
  });

  it('exits 2 for bad usage', async () => {
    const io = fakeIo();
    expect(await main(['connections', demo, '--format', 'xml'], io)).toBe(2);
    expect(await main(['connections', demo, '--pod-cidr', '10.0.0.0/99'], io)).toBe(2);
    expect(io.err).toContain('--pod-cidr "10.0.0.0/99" is not a valid CIDR');
  });
});

describe('repeated warnings', () => {
  it('shows a warning that repeats a few times, then counts the rest (all of them with --verbose)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netdiagram-'));
    const docs = ['apiVersion: v1\nkind: Pod\nmetadata: { name: web, labels: { app: web } }\nspec: { containers: [{ name: c, ports: [{ name: http, containerPort: 80 }] }] }',
      'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80, targetPort: http }] }',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: nginx-only }\nspec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: nginx } } }] }] }'];
    for (let i = 0; i < 8; i++) docs.push(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: web-${i} }\nspec: { defaultBackend: { service: { name: web, port: { number: 80 } } } }`);
    writeFileSync(join(dir, 'all.yaml'), docs.join('\n---\n'));
    const quiet = fakeIo();
    expect(await main(['connections', dir], quiet)).toBe(0);
    const lines = quiet.err.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('… and 3 more ingress/controller-blocked warnings (--verbose shows them all)');
    const verbose = fakeIo();
    await main(['connections', dir, '--verbose'], verbose);
    expect(verbose.err.split('\n').filter((l) => l.includes('ingress/controller-blocked'))).toHaveLength(8);
  });
});
