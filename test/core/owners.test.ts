import { describe, expect, it } from 'vitest';
import { analyse, docs, policy } from '../support/analyse.js';

const pod = (name: string, labels: Record<string, string>, owner?: Record<string, unknown>) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x', labels, ...(owner ? { ownerReferences: [owner] } : {}) }, spec: { containers: [{ name: 'c' }] },
});
const replicaSet = (name: string, labels: Record<string, string>) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'x', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c' }] } } },
});
const isolate = (labels: Record<string, string>) => policy('x', 'deny', { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'] });

describe('pods and their owners', () => {
  it('folds pods into a missing controller when they all look alike', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-79f774bdb9', controller: true };
    const { parsed } = analyse(docs(pod('web-79f774bdb9-a', { app: 'web' }, rs), pod('web-79f774bdb9-b', { app: 'web' }, rs)));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['x/web-79f774bdb9[ReplicaSet]']);
  });
  it('ignores ownerReferences that are not the controller', () => {
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'shared' };
    const { parsed, json } = analyse(docs(pod('a', { app: 'a' }, owner), pod('b', { app: 'b' }, owner), pod('client', {}), isolate({ app: 'a' })));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['x/a[Pod]', 'x/b[Pod]', 'x/client[Pod]']);
    expect(json.connections.some((c) => c.to === 'x/a[Pod]')).toBe(false);
  });
  it('keeps differently labelled ReplicaSets of a missing Deployment apart, so a policy on one still isolates it', () => {
    const { parsed, json } = analyse(docs(
      replicaSet('web-aaa', { app: 'web', tier: 'old' }), replicaSet('web-bbb', { app: 'web', tier: 'pci' }), pod('client', {}), isolate({ tier: 'pci' }),
    ));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['x/client[Pod]', 'x/web-aaa[ReplicaSet]', 'x/web-bbb[ReplicaSet]']);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['k8s/owner-label-gap']);
    expect(json.connections.some((c) => c.to === 'x/web-bbb[ReplicaSet]')).toBe(false);
    expect(json.connections.some((c) => c.from === 'x/client[Pod]' && c.to === 'x/web-aaa[ReplicaSet]')).toBe(true);
  });
  it('folds the pods of a missing StatefulSet despite their per-pod labels, and drops those labels', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', controller: true };
    const { parsed } = analyse(docs(
      pod('db-0', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }, sts), pod('db-1', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1' }, sts),
    ));
    expect(parsed.cluster.workloads.map((w) => [w.id, w.labels])).toEqual([['x/db[StatefulSet]', { app: 'db' }]]);
  });
  it('names alike ReplicaSets of a missing Deployment after the Deployment', () => {
    const { parsed } = analyse(docs(replicaSet('web-aaa', { app: 'web' }), replicaSet('web-bbb', { app: 'web' })));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['x/web[Deployment]']);
  });
});
