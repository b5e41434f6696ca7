import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main, type Io } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';

function fakeIo(): Io & { out: string; err: string } {
  const io = {
    out: '', err: '',
    stdout(text: string | Uint8Array) { io.out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8'); },
    stderr(text: string) { io.err += text; },
    readStdin: async () => '',
    env: {}, cwd: process.cwd(),
  };
  return io;
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'netdiagram-tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const pod = (name: string, app: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    app: ${app}\n`;

/** The shape `helm create` makes: Chart.yaml, values.yaml, templates with Go template syntax. */
const chart = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
  'values.yaml': 'replicaCount: 1\nservice:\n  port: 80\n',
  'templates/deployment.yaml': [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ include "shop.fullname" . }}', '  labels:',
    '    {{- include "shop.labels" . | nindent 4 }}', 'spec:', '  replicas: {{ .Values.replicaCount }}', '',
  ].join('\n'),
  'templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "shop.fullname" . }}\nspec:\n  ports:\n    - port: {{ .Values.service.port }}\n',
  'charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n',
  'charts/redis/templates/statefulset.yaml': 'kind: StatefulSet\nmetadata: { name: {{ .Release.Name }}-redis }\n',
};

/** A kustomize base with an overlay that deletes one of the base's Deployments. */
const kustomizeTree = {
  'base/kustomization.yaml': 'resources:\n  - web.yaml\n  - debug.yaml\n',
  'base/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [ { name: web, image: nginx } ] }\n',
  'base/debug.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: debug }\nspec:\n  template:\n    metadata: { labels: { app: debug } }\n    spec: { containers: [ { name: debug, image: busybox } ] }\n',
  'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: delete-debug.yaml\n',
  'overlays/prod/delete-debug.yaml': '$patch: delete\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: debug }\n',
};

describe('directories that are not manifests until rendered', () => {
  it('refuses a Helm chart directory with one error that says how to render it, not one per template line', async () => {
    const root = tree(chart);
    const io = fakeIo();
    expect(await main(['connections', root], io)).toBe(2);
    const lines = io.err.trim().split('\n');
    expect(lines).toEqual([
      `${root}:1:1: error input/helm-chart: this directory is a Helm chart (it holds Chart.yaml), not rendered manifests; not read. Render it first: helm template NAME ${root} | netdiagram … -`,
    ]);
  });

  it('refuses a chart found while walking a larger tree, and still reads the plain manifests beside it', async () => {
    const root = tree({ ...Object.fromEntries(Object.entries(chart).map(([k, v]) => [`charts/shop/${k}`, v])), 'apps/a.yaml': pod('a', 'a'), 'apps/b.yaml': pod('b', 'b') });
    const io = fakeIo();
    expect(await main(['connections', root], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain(`${join(root, 'charts/shop')}:1:1: error input/helm-chart:`);
    expect(io.out).toContain('default/a[Pod] => default/b[Pod] : All Connections\n');
    expect(io.out).not.toContain('shop');
  });

  it('refuses every kustomize directory rather than merging base, overlay and a $patch: delete stub into one cluster', async () => {
    const root = tree(kustomizeTree);
    const io = fakeIo();
    expect(await main(['connections', root, '--format', 'json'], io)).toBe(2);
    const lines = io.err.trim().split('\n');
    expect(lines).toEqual([
      `${join(root, 'base')}:1:1: error input/kustomization: this directory is a kustomize tree (it holds kustomization.yaml), not rendered manifests; not read. Render it first: kubectl kustomize ${join(root, 'base')} | netdiagram … -`,
      `${join(root, 'overlays/prod')}:1:1: error input/kustomization: this directory is a kustomize tree (it holds kustomization.yaml), not rendered manifests; not read. Render it first: kubectl kustomize ${join(root, 'overlays/prod')} | netdiagram … -`,
    ]);
    expect(JSON.parse(io.out).endpoints).toEqual([]);
  });

  it.each(['kustomization.yml', 'Kustomization'])('recognises a kustomize tree by %s', async (file) => {
    const root = tree({ [file]: 'resources: [web.yaml]\n', 'web.yaml': pod('web', 'web') });
    const io = fakeIo();
    expect(await main(['connections', root], io)).toBe(2);
    expect(io.err).toContain(`error input/kustomization: this directory is a kustomize tree (it holds ${file})`);
  });

  it('quotes a directory name the shell would split in the suggested command', async () => {
    const root = tree({ 'my chart/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 1.0.0\n' });
    const io = fakeIo();
    expect(await main(['connections', join(root, 'my chart')], io)).toBe(2);
    expect(io.err).toContain(`helm template NAME '${join(root, 'my chart')}' | netdiagram … -`);
  });
});
