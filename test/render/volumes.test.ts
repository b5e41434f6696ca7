import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildView, layoutGraph, renderSvg } from '@netdiagram/render';
import { buildTrafficGraph, parseManifests } from '@netdiagram/core';
import { placeholder, withHostileText } from '../support/hostile.js';
import { graphOf, namespace, workload } from './builders.js';

function persistentVolume(name: string, claim: { namespace: string; name: string } | undefined, driver = 'ebs.csi.aws.com'): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
    spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver, volumeHandle: 'vol-1' }, ...(claim ? { claimRef: claim } : {}) },
  });
}

/** A StatefulSet `db` in `data` with the claim template `pgdata`, and the volume of its pod 0. */
function statefulSetWithVolume(pvName = 'pv-pgdata-0'): string[] {
  return [
    namespace('data'),
    JSON.stringify({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' },
      spec: {
        serviceName: 'db', replicas: 1, selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'example/db:1', ports: [{ containerPort: 5432 }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: { accessModes: ['ReadWriteOnce'] } }],
      },
    }),
    persistentVolume(pvName, { namespace: 'data', name: 'pgdata-db-0' }),
  ];
}

describe('PersistentVolumes', () => {
  it('draws a volume bound to a StatefulSet claim template as a cylinder linked to the workload by a route line', async () => {
    const view = buildView(graphOf(statefulSetWithVolume()), { detail: 'full' });
    const volume = view.nodes.find((n) => n.kind === 'volume');
    expect(volume).toMatchObject({ name: 'pv-pgdata-0', claims: ['data/pgdata-db-0'], parent: '@cluster' });
    expect(volume).toHaveProperty('provider', expect.stringContaining('ebs.csi.aws.com'));
    const link = view.edges.find((e) => e.target === volume!.id);
    expect(link).toMatchObject({ source: 'data/db[StatefulSet]', sourcePort: 'pvc:pgdata', style: 'route', label: '' });

    const svg = renderSvg(await layoutGraph(graphOf(statefulSetWithVolume()), { detail: 'full' }));
    expect(svg).toContain('<g class="volume">');
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+v[\d.]+a/); // the cylinder's arcs
    expect(svg).toContain('class="legend-volume"');
    expect(svg).toContain('claim pgdata bound to PersistentVolume pv-pgdata-0');
  });

  it('links a volume bound to a plain PersistentVolumeClaim the workload mounts', () => {
    const view = buildView(graphOf([
      namespace('app'), workload('app', 'web', { claim: 'uploads' }), persistentVolume('pv-uploads', { namespace: 'app', name: 'uploads' }, 'nfs.csi.k8s.io'),
    ]), { detail: 'full' });
    expect(view.edges.filter((e) => e.target === '@pv:pv-uploads').map((e) => e.source)).toEqual(['app/web[Deployment]']);
  });

  it('does not link a StatefulSet to a claim of another StatefulSet that shares the template name', () => {
    const view = buildView(graphOf([...statefulSetWithVolume(), persistentVolume('pv-other', { namespace: 'data', name: 'pgdata-dbx-0' })]), { detail: 'full' });
    expect(view.nodes.some((n) => n.id === '@pv:pv-other')).toBe(true);
    expect(view.edges.filter((e) => e.target === '@pv:pv-other')).toEqual([]);
  });

  it('draws no volume and no legend entry above full detail', async () => {
    for (const detail of ['workload', 'namespace'] as const) {
      const layout = await layoutGraph(graphOf(statefulSetWithVolume()), { detail });
      expect(layout.nodes.some((n) => n.node.kind === 'volume')).toBe(false);
      const svg = renderSvg(layout);
      expect(svg).not.toContain('class="volume"');
      expect(svg).not.toContain('legend-volume');
    }
  });

  it('escapes a volume name and provider that carry markup', async () => {
    // the loader refuses such a name: a placeholder is swapped for it in the parsed model; the driver is read as written
    const hostile = `pv-<b>&"x']]>`;
    const manifests = [...statefulSetWithVolume(placeholder(0))];
    manifests[2] = persistentVolume(placeholder(0), { namespace: 'data', name: 'pgdata-db-0' }, 'evil<script>&driver');
    const parsed = parseManifests([{ name: 'input.yaml', text: manifests.join('\n---\n') }]);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const svg = renderSvg(await layoutGraph(buildTrafficGraph(withHostileText(parsed.cluster, [hostile])), { detail: 'full' }));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('pv-&lt;b&gt;&amp;&quot;x&apos;]]&gt;');
  });
});
