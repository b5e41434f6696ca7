import { describe, expect, it } from 'vitest';
import { analyse, docs } from '../support/analyse.js';

const statefulSet = JSON.stringify({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' },
  spec: {
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', envFrom: [{ secretRef: { name: 'db-creds' } }] }] } },
    volumeClaimTemplates: [{ metadata: { name: 'pgdata' }, spec: { storageClassName: 'fast' } }],
  },
});
const claim = JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pgdata-db-0', namespace: 'data' }, spec: { volumeName: 'pv-1', storageClassName: 'fast' } });
const volume = JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '10Gi' }, csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } } });
const nfs = JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-2' }, spec: { nfs: { server: 'x', path: '/' }, claimRef: { namespace: 'data', name: 'shared' } } });
const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-creds', namespace: 'data' }, data: { password: 'c2VjcmV0' } });

describe('storage and configuration references', () => {
  it('names a StatefulSet\'s claim templates and Secrets among what the workload uses', () => {
    const { graph } = analyse(docs(statefulSet));
    expect(graph.getNodeAttribute('data/db[StatefulSet]', 'uses')).toEqual([
      { kind: 'PersistentVolumeClaim', name: 'pgdata' }, { kind: 'Secret', name: 'db-creds' },
    ]);
  });
  it('binds PersistentVolumes to claims by volumeName or claimRef, with their provider', () => {
    const { graph } = analyse(docs(statefulSet, claim, volume, nfs));
    expect(graph.getAttribute('persistentVolumes')).toEqual([
      { name: 'pv-1', provider: 'csi: ebs.csi.aws.com', claims: ['data/pgdata-db-0'] },
      { name: 'pv-2', provider: 'nfs', claims: ['data/shared'] },
    ]);
  });
  it('never keeps a Secret\'s data', () => {
    const { parsed } = analyse(docs(secret));
    expect(JSON.stringify(parsed.cluster)).not.toContain('c2VjcmV0');
    expect(parsed.cluster.configs.map((c) => c.id)).toEqual(['data/db-creds[Secret]']);
  });
});
