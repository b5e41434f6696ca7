import { computeExposure, exposureToJson, formatExposureSection, type ExposureJson } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, namespace, pod, policy } from '../support/analyse.js';

const WEB = pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }]);

function exposureOf(...manifests: string[]): ExposureJson[] {
  return exposureToJson(computeExposure(analyse(docs(...manifests)).parsed.cluster));
}

function ingressOfWeb(...manifests: string[]) {
  return exposureOf(WEB, ...manifests)
    .filter((r) => r.direction === 'ingress' && r.workload === 'shop/web[Pod]')
    .map(({ peer, ports }) => ({ peer, ports }));
}

const webIngress = (...from: unknown[]) => policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: from });

describe('representative peers', () => {
  it('reads a podSelector alone as pods of the policy namespace', () => {
    expect(ingressOfWeb(webIngress({ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] }))).toEqual([
      { peer: { namespace: 'shop', podSelector: { matchLabels: { app: 'client' } } }, ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  it('reads a namespaceSelector alone as every pod of the namespaces it chooses', () => {
    expect(ingressOfWeb(webIngress({ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }))).toEqual([
      { peer: { namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: {} }, ports: 'all' },
    ]);
  });

  it('keeps both selectors of one peer together, and writes matchExpressions of every operator back', () => {
    const podSelector = { matchExpressions: [
      { key: 'app', operator: 'In', values: ['api', 'worker'] }, { key: 'debug', operator: 'DoesNotExist' },
      { key: 'role', operator: 'NotIn', values: ['test'] }, { key: 'tier', operator: 'Exists' },
    ] };
    const rows = ingressOfWeb(webIngress({ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector }], ports: [{ port: 8080 }] }));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.peer).toEqual({ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector });
  });

  it('reads kubernetes.io/metadata.name=X as the namespace X, whichever way it is written', () => {
    const byLabels = ingressOfWeb(webIngress({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }] }));
    const byExpression = ingressOfWeb(webIngress({ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ops'] }] } }] }));
    expect(byLabels).toEqual([{ peer: { namespace: 'ops', podSelector: {} }, ports: 'all' }]);
    expect(byExpression).toEqual(byLabels);
  });

  it('reads namespaceSelector {} as every namespace, and a rule without peers as the entire cluster', () => {
    expect(ingressOfWeb(webIngress({ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9090 }] }))).toEqual([
      { peer: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } }, ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    expect(ingressOfWeb(webIngress({ ports: [{ port: 8080 }] }))).toEqual([
      { peer: { namespaceSelector: {}, podSelector: {} }, ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  it('merges peers that denote the same pods and unites their ports', () => {
    const rows = ingressOfWeb(
      webIngress({ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] }),
      policy('shop', 'also', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['client'] }] } }], ports: [{ port: 9090 }] }] }),
    );
    expect(rows).toEqual([{ peer: { namespace: 'shop', podSelector: { matchLabels: { app: 'client' } } }, ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }] }]);
  });

  it('gives a peer the ports of every wider peer that holds all its pods, never the reverse', () => {
    const rows = ingressOfWeb(webIngress(
      { from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }], ports: [{ port: 8080 }] },
      { from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 9090 }] },
    ));
    expect(rows).toEqual([
      { peer: { namespace: 'shop', podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }, ports: [{ protocol: 'TCP', port: 8080 }] },
      { peer: { namespace: 'shop', podSelector: { matchLabels: { app: 'x' } } }, ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }] },
    ]);
  });

  it('leaves out a peer the entire cluster already admits on the same ports', () => {
    const rows = ingressOfWeb(webIngress(
      { from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] },
      { from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 8080 }] },
      { from: [{ namespaceSelector: { matchLabels: { team: 'sre' } } }], ports: [{ port: 9090 }] },
    ));
    expect(rows).toEqual([
      { peer: { namespaceSelector: {}, podSelector: {} }, ports: [{ protocol: 'TCP', port: 8080 }] },
      { peer: { namespaceSelector: { matchLabels: { team: 'sre' } }, podSelector: {} }, ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }] },
    ]);
  });
});

describe('ports of representative peers', () => {
  it('resolves a named port of an ingress rule against the workload itself', () => {
    expect(ingressOfWeb(webIngress({ from: [{ namespaceSelector: {} }], ports: [{ port: 'metrics' }] }))).toEqual([
      { peer: { namespaceSelector: {}, podSelector: {} }, ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
  });

  it('leaves out an ingress rule whose named port the workload does not have: it admits nothing', () => {
    expect(ingressOfWeb(webIngress({ from: [{ namespaceSelector: {} }], ports: [{ port: 'grpc' }] }))).toEqual([]);
  });

  it('keeps a named port of an egress rule as a name: the pods it reaches may not be in the input', () => {
    const rows = exposureOf(WEB, policy('shop', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }, { port: 53, protocol: 'UDP' }] }] }))
      .filter((r) => r.direction === 'egress');
    expect(rows.map((r) => r.ports)).toEqual([[{ protocol: 'TCP', port: 'http' }, { protocol: 'UDP', port: 53 }]]);
    expect(formatExposureSection(computeExposure(analyse(docs(WEB, policy('shop', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'http' }] }] }))).parsed.cluster)))
      .toContain('shop/web[Pod] => shop/[all pods] : TCP http');
  });
});

describe('directions no policy isolates', () => {
  it('admit the entire cluster on every port, and are listed as not protected', () => {
    const exposure = computeExposure(analyse(docs(WEB, webIngress({ from: [{ podSelector: {} }] }))).parsed.cluster);
    expect(exposureToJson(exposure).filter((r) => r.direction === 'egress')).toEqual([
      { direction: 'egress', workload: 'shop/web[Pod]', peer: { namespaceSelector: {}, podSelector: {} }, ports: 'all', via: ['default-allow:egress'] },
    ]);
    expect(exposure.unprotected).toEqual([{ workload: 'shop/web[Pod]', direction: 'egress' }]);
  });
});

describe('independence from the rest of the input', () => {
  it('lists a peer whether a pod of the input matches it or not', () => {
    const rule = webIngress({ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] });
    const without = ingressOfWeb(rule);
    const withClient = ingressOfWeb(rule, pod('shop', 'client', { app: 'client' }), namespace('shop'));
    expect(withClient).toEqual(without);
    expect(without).toHaveLength(1);
  });
});

describe('explain with a set of pods', () => {
  const cluster = () => analyse(docs(WEB, namespace('shop'), namespace('ops', { team: 'ops' }), webIngress(
    { from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 8080 }] },
    { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 9090 }] },
  ))).parsed.cluster;

  it('names the rules that admit every pod of the set, and those that admit only some', async () => {
    const { explainTraffic } = await import('@netdiagram/core');
    const all = explainTraffic(cluster(), { from: 'any pod in the cluster', to: 'shop/web[Pod]' });
    if (!all.ok) throw new Error(all.reason);
    expect(all.explanation.allowed).toBe(false);
    expect(all.explanation.pairs[0]!.directions[0]!.summary).toContain('#ingress[0] admits only some of them on TCP 8080');
    const ops = explainTraffic(cluster(), { from: 'pods role=db in namespaces team=ops', to: 'shop/web', ports: ['8080/TCP', '9090/TCP'] });
    if (!ops.ok) throw new Error(ops.reason);
    expect(ops.explanation.from).toEqual({ kind: 'pods', id: 'pods role=db in namespaces team=ops' });
    expect(ops.explanation.pairs[0]!.ports).toEqual([{ port: 'TCP 8080', allowed: true, deniedBy: [] }, { port: 'TCP 9090', allowed: false, deniedBy: ['ingress'] }]);
  });

  it('refuses a set of pods on both sides, and words that are not one', async () => {
    const { explainTraffic } = await import('@netdiagram/core');
    expect(explainTraffic(cluster(), { from: 'any pod in the cluster', to: 'any pod in namespace shop' })).toMatchObject({ ok: false });
    expect(explainTraffic(cluster(), { from: 'pods in shop', to: 'shop/web' })).toMatchObject({ ok: false, reason: expect.stringContaining('is not a set of pods') });
  });
});
