import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '@netdiagram/cli';

/** The seed demo. */
export const demo = join(import.meta.dirname, '../../examples/pci-demo');

/** An Io that records what the CLI writes. */
export function fakeIo(env: Record<string, string> = {}): Io & { out: string; err: string } {
  const io = {
    out: '', err: '',
    stdout(text: string | Uint8Array) { io.out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8'); },
    stderr(text: string) { io.err += text; },
    readStdin: async () => '',
    env, cwd: process.cwd(),
  };
  return io;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'netdiagram-pci-'));
}

/** A copy of the demo's manifests (without its expectations file), edited by `edit(policiesYaml)`. */
export function demoCopy(edit: (policies: string) => string = (p) => p): string {
  const dir = tempDir();
  cpSync(demo, dir, { recursive: true, filter: (src) => !src.endsWith('expectations.yaml') });
  const file = join(dir, 'policies.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

/** The demo's policies without the deny-all policy (its first document). */
export function withoutDenyAll(policies: string): string {
  const docs = policies.split(/^---$/m);
  if (!docs[0]!.includes('name: deny-all')) throw new Error('the demo changed: deny-all is no longer its first document');
  return docs.slice(1).join('---');
}

/** A workload as a Deployment with a container port list. */
export function deployment(namespace: string, name: string, labels: Record<string, string>, options: {
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  annotations?: Record<string, string>;
  hostNetwork?: boolean;
} = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
        spec: { ...(options.hostNetwork ? { hostNetwork: true } : {}), containers: [{ name: 'c', image: 'x', ports: options.ports ?? [] }] },
      },
    },
  });
}

export function service(namespace: string, name: string, selector: Record<string, string>, ports: { port: number; targetPort?: number | string }[], type?: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ...(type ? { type } : {}), selector, ports } });
}

export function ingress(namespace: string, name: string, serviceName: string, port: number): string {
  return JSON.stringify({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace },
    spec: { rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: port } } } }] } }] },
  });
}

/** deny-all ingress and egress for a namespace. */
export function denyAll(namespace: string): string {
  return JSON.stringify({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
}
