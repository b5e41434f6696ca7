import { computeScope, formatPorts } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, namespace, policy } from '../support/analyse.js';
import { denyAll, deployment, ingress, service } from './support.js';

const scopeOf = (yaml: string, cde: string[] = [], outOfScope: string[] = []) => {
  const { parsed, graph } = analyse(yaml);
  return computeScope(parsed.cluster, graph, { cde, outOfScope });
};

describe('computeScope', () => {
  it('puts a workload in the CDE when a --cde selector matches its labels', () => {
    const scope = scopeOf(docs(deployment('shop', 'pay', { app: 'pay' }), deployment('shop', 'web', { app: 'web' }), denyAll('shop')), ['app=pay']);
    expect(scope.cde).toEqual([{ id: 'shop/pay[Deployment]', reasons: ['--cde app=pay (workload labels)'] }]);
    expect(scope.zones['shop/web[Deployment]']).toBe('out-of-scope');
    expect(scope.defined).toBe(true);
  });

  it('puts every workload of a namespace in the CDE when the selector matches the namespace labels', () => {
    const scope = scopeOf(docs(namespace('payments', { pci: 'true' }), deployment('payments', 'api', { app: 'api' }), deployment('shop', 'web', { app: 'web' })), ['pci=true']);
    expect(scope.cde.map((m) => m.id)).toEqual(['payments/api[Deployment]']);
    expect(scope.cde[0]!.reasons).toEqual(['--cde pci=true (namespace payments labels)']);
    expect(scope.namespaces.find((n) => n.name === 'payments')?.zone).toBe('cde');
  });

  it('reads the netdiagram.io/zone: cde annotation of a pod template', () => {
    const scope = scopeOf(docs(deployment('shop', 'vault', { app: 'vault' }, { annotations: { 'netdiagram.io/zone': 'cde' } }), denyAll('shop')));
    expect(scope.defined).toBe(true);
    expect(scope.cde).toEqual([{ id: 'shop/vault[Deployment]', reasons: ['annotation netdiagram.io/zone=cde (pod template)'] }]);
  });

  it('is undefined when nothing marks a CDE', () => {
    const scope = scopeOf(docs(deployment('shop', 'web', { app: 'web' })));
    expect(scope.defined).toBe(false);
    expect(scope.cde).toEqual([]);
    expect(scope.boundary).toEqual([]);
  });

  it('marks workloads with an allowed flow to or from the CDE as connected-to, and the rest out of scope', () => {
    const yaml = docs(
      deployment('shop', 'pay', { app: 'pay' }), deployment('shop', 'web', { app: 'web' }), deployment('shop', 'blog', { app: 'blog' }),
      denyAll('shop'),
      policy('shop', 'web-to-pay', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'pay' } } }], ports: [{ port: 443 }] }] }),
      policy('shop', 'pay-from-web', { podSelector: { matchLabels: { app: 'pay' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 443 }] }] }),
    );
    const scope = scopeOf(yaml, ['app=pay']);
    expect(scope.connected).toEqual(['shop/web[Deployment]']);
    expect(scope.zones['shop/blog[Deployment]']).toBe('out-of-scope');
    expect(scope.namespaces).toEqual([{ name: 'shop', zone: 'mixed' }]);
    expect(scope.boundary.map((f) => ({ id: f.id, from: f.from, to: f.to, direction: f.direction, ports: formatPorts(f.ports), policies: f.policies })))
      .toEqual([{ id: 'F1', from: 'shop/web[Deployment]', to: 'shop/pay[Deployment]', direction: 'inbound', ports: 'TCP 443', policies: ['shop/pay-from-web', 'shop/web-to-pay'] }]);
  });

  it('numbers boundary flows inbound first, then outbound, each sorted by (from, to)', () => {
    // no policies: everything is open, so the CDE workload exchanges traffic with everyone
    const scope = scopeOf(docs(deployment('a', 'x', { app: 'x' }), deployment('b', 'cde', { app: 'cde' }), deployment('c', 'y', { app: 'y' })), ['app=cde']);
    expect(scope.boundary.map((f) => `${f.id} ${f.direction} ${f.from} -> ${f.to}`)).toEqual([
      'F1 inbound a/x[Deployment] -> b/cde[Deployment]',
      'F2 inbound c/y[Deployment] -> b/cde[Deployment]',
      'F3 inbound external -> b/cde[Deployment]',
      'F4 outbound b/cde[Deployment] -> a/x[Deployment]',
      'F5 outbound b/cde[Deployment] -> c/y[Deployment]',
      'F6 outbound b/cde[Deployment] -> external',
    ]);
    expect(scope.boundary.find((f) => f.id === 'F3')?.peerZone).toBe('external');
    expect(scope.boundary.find((f) => f.id === 'F1')?.via).toEqual(['default-allow:egress', 'default-allow:ingress']);
    expect(scope.boundary.find((f) => f.id === 'F1')?.policies).toEqual([]);
  });

  it('gives a Service the zone of its most sensitive backend, and an Ingress into the CDE the connected-to zone', () => {
    const yaml = docs(
      deployment('shop', 'pay', { app: 'pay' }, { ports: [{ containerPort: 8080 }] }),
      service('shop', 'pay', { app: 'pay' }, [{ port: 80, targetPort: 8080 }]),
      ingress('shop', 'front', 'pay', 80),
    );
    const scope = scopeOf(yaml, ['app=pay']);
    expect(scope.zones['shop/pay[Service]']).toBe('cde');
    expect(scope.zones['shop/front[Ingress]']).toBe('connected');
    expect(scope.boundary.some((f) => f.from === 'shop/front[Ingress]')).toBe(true);
  });

  it('records workloads declared out of scope, by selector or annotation', () => {
    const yaml = docs(
      deployment('shop', 'blog', { app: 'blog' }), deployment('shop', 'wiki', { app: 'wiki' }, { annotations: { 'netdiagram.io/zone': 'out-of-scope' } }),
      deployment('shop', 'pay', { app: 'pay' }), denyAll('shop'),
    );
    const scope = scopeOf(yaml, ['app=pay'], ['app=blog']);
    expect(scope.declaredOutOfScope.map((m) => m.id)).toEqual(['shop/blog[Deployment]', 'shop/wiki[Deployment]']);
  });

  it('refuses a selector that does not parse', () => {
    const { parsed, graph } = analyse(deployment('shop', 'pay', { app: 'pay' }));
    expect(() => computeScope(parsed.cluster, graph, { cde: ['app in (x'] })).toThrow(/invalid cde selector/);
  });
});
