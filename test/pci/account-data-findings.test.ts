import { auditAccountData, buildTrafficGraph, computeAccountData, computeScope, parseManifests, parseParties, type Party } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { docs, policy } from '../support/analyse.js';
import { denyAll, deployment, ingress, service } from './support.js';

const role = (roles: string, flows?: string) => ({ annotations: { 'netdiagram.io/account-data': roles, ...(flows ? { 'netdiagram.io/data-flows': flows } : {}) } });
const web = (flows = 'authorization') => deployment('pay', 'web', { app: 'web', pci: 'yes' }, { ports: [{ containerPort: 8443 }], ...role('processes, transmits', flows) });
const vault = (roles = 'stores', flows = 'authorization') => deployment('pay', 'vault', { app: 'vault', pci: 'yes' }, { ports: [{ containerPort: 5432 }], ...role(roles, flows) });
const allow = (name: string, to: string, from: Record<string, unknown>[], port: number) =>
  policy('pay', name, { podSelector: { matchLabels: { app: to } }, policyTypes: ['Ingress'], ingress: [{ from, ports: [{ port }] }] });
const egressAll = policy('pay', 'egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
const internet = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
const acquirerNet = [{ ipBlock: { cidr: '198.51.100.0/24' } }];
const fromWeb = [{ podSelector: { matchLabels: { app: 'web' } } }];
const parties = (text = 'parties:\n  - {name: Acme, kind: acquirer, cidrs: [198.51.100.0/24], flows: authorization}\n'): readonly Party[] => parseParties({ name: 'p.yaml', text }).parties;

function run(manifests: string[], options: { cde?: string[]; parties?: readonly Party[]; strictFlows?: boolean; names?: string[] } = {}) {
  const parsed = parseManifests(manifests.map((text, i) => ({ name: options.names?.[i] ?? `input-${i}.yaml`, text })));
  const graph = buildTrafficGraph(parsed.cluster);
  const scope = computeScope(parsed.cluster, graph, { cde: options.cde ?? ['pci=yes'] });
  const model = computeAccountData(parsed.cluster, graph, scope, options.parties ?? []);
  const findings = auditAccountData(parsed.cluster, graph, scope, model, { strictFlows: options.strictFlows ?? false });
  return { model, scope, findings, codes: findings.map((f) => `${f.severity} ${f.code} ${f.object}`) };
}

describe('the account-data findings', () => {
  it('makes a path from the Internet to a stores workload an error (PCI DSS 1.4.4), naming its D- and F-numbers', () => {
    const { findings, model } = run([docs(web(), vault(), denyAll('pay'), egressAll, allow('web', 'web', internet, 8443), allow('vault', 'vault', internet, 5432))]);
    const stores = findings.filter((f) => f.code === 'data/store-reachable-from-untrusted');
    expect(stores.map((f) => [f.severity, f.object, f.requirements])).toEqual([['error', 'pay/vault[Deployment]', ['1.4.4']]]);
    const entry = model.flows.find((f) => f.to === 'pay/vault[Deployment]' && f.kind === 'entry')!;
    expect(stores[0]!.message).toContain(`on TCP 5432 (${entry.id}, ${entry.boundary})`);
    expect(entry.boundary).toMatch(/^F\d+$/);
    // the processing tier in front is public: a warning to confirm, not the 1.4.4 error
    expect(findings.filter((f) => f.object === 'pay/web[Deployment]').map((f) => [f.severity, f.code])).toEqual([['warning', 'data/reachable-from-untrusted']]);
  });

  it('does not fire when the store is reached only from the processing tier', () => {
    const { codes, model } = run([docs(web(), vault(), denyAll('pay'), egressAll, allow('web', 'web', internet, 8443), allow('vault', 'vault', fromWeb, 5432))]);
    expect(codes.filter((c) => c.includes('store-reachable'))).toEqual([]);
    expect(model.flows.map((f) => [f.kind, f.from, f.to])).toContainEqual(['internal', 'pay/web[Deployment]', 'pay/vault[Deployment]']);
  });

  it('makes a store reachable from a declared party an error too, and a processing tier reached by one no finding', () => {
    const { codes } = run([docs(web(), vault(), denyAll('pay'), egressAll, allow('web', 'web', acquirerNet, 8443), allow('vault', 'vault', acquirerNet, 5432))], { parties: parties() });
    expect(codes).toEqual(['error data/store-reachable-from-untrusted pay/vault[Deployment]']);
  });

  it('names the party of an outside address set only when the party holds all of it', () => {
    const wide = run([docs(web(), denyAll('pay'), egressAll, allow('web', 'web', [{ ipBlock: { cidr: '198.51.0.0/16' } }], 8443))], { parties: parties() });
    const entries = (m: typeof wide.model) => m.outside.filter((o) => m.flows.some((f) => f.kind === 'entry' && f.from === o.id));
    expect(entries(wide.model).map((o) => [o.label, o.party?.name, o.overlaps])).toEqual([['198.51.0.0/16', undefined, ['Acme']]]);
    expect(wide.codes).toEqual(['warning data/reachable-from-untrusted pay/web[Deployment]']);
    const exact = run([docs(web(), denyAll('pay'), egressAll, allow('web', 'web', acquirerNet, 8443))], { parties: parties() });
    expect(entries(exact.model).map((o) => [o.label, o.party, o.overlaps])).toEqual([['198.51.100.0/24', { name: 'Acme', kind: 'acquirer' }, []]]);
    expect(exact.model.flows.map((f) => [f.id, f.kind, f.party, f.explainedBy])).toEqual([['D1', 'entry', 'Acme', ['authorization']], ['D2', 'exit', undefined, []]]);
  });

  it('warns about a CDE workload that states nothing, and not about one annotated none', () => {
    const bare = deployment('pay', 'logs', { app: 'logs', pci: 'yes' });
    const none = deployment('pay', 'metrics', { app: 'metrics', pci: 'yes' }, role('none'));
    const { codes } = run([docs(web(), bare, none, denyAll('pay'))]);
    expect(codes).toEqual(['warning data/cde-workload-unannotated pay/logs[Deployment]']);
  });

  it('makes an annotated workload outside the CDE selector an error', () => {
    const outside = deployment('shop', 'cart', { app: 'cart' }, role('transmits'));
    const { codes } = run([docs(web(), outside, denyAll('pay'), denyAll('shop'))]);
    expect(codes).toEqual(['error data/handler-outside-cde shop/cart[Deployment]']);
  });

  it('a namespace annotation speaks for its workloads that state nothing themselves', () => {
    const ns = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pay', annotations: { 'netdiagram.io/account-data': 'processes' } } });
    const { model } = run([docs(ns, web(), deployment('pay', 'worker', { app: 'worker', pci: 'yes' }), denyAll('pay'))]);
    expect(model.handlers.map((h) => [h.id, h.roles, h.declaredOn])).toEqual([
      ['pay/web[Deployment]', ['processes', 'transmits'], 'workload'],
      ['pay/worker[Deployment]', ['processes'], 'namespace pay'],
    ]);
  });

  it('with --strict-flows, reports a path between handlers that no common data flow explains', () => {
    const manifests = (vaultFlows: string) => [docs(web('authorization'), vault('stores', vaultFlows), denyAll('pay'), egressAll, allow('vault', 'vault', fromWeb, 5432))];
    expect(run(manifests('refunds'), { strictFlows: true }).codes).toEqual(['error data/flow-unexplained pay/vault[Deployment]']);
    expect(run(manifests('refunds')).codes).toEqual([]);
    expect(run(manifests('authorization, refunds'), { strictFlows: true }).codes).toEqual([]);
    expect(run(manifests('authorization, refunds'), { strictFlows: true }).model.flows.find((f) => f.kind === 'internal')?.explainedBy).toEqual(['authorization']);
  });

  it('gives the same model whatever order the files come in', () => {
    const files = [web(), vault(), denyAll('pay'), egressAll, allow('web', 'web', internet, 8443), allow('vault', 'vault', fromWeb, 5432)];
    const names = files.map((_f, i) => `f${i}.yaml`);
    const a = run(files, { parties: parties(), names });
    const b = run([...files].reverse(), { parties: parties(), names: [...names].reverse() });
    const text = (m: unknown) => JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(text(b.model)).toBe(text(a.model));
    expect(b.findings.map((f) => f.message)).toEqual(a.findings.map((f) => f.message));
  });
});

describe('entries through Ingresses, LoadBalancer and NodePort Services (review 15 #6)', () => {
  // the ingress controller: a label-less pod in a label-less namespace, as buildTrafficGraph assumes without --ingress-controller
  const fromAnyNamespace = [{ namespaceSelector: {} }];

  it('draws an Ingress to a processing workload as an ENTRY from the untrusted network, with the 1.4.2 warning', () => {
    const { model, findings } = run([docs(web(), service('pay', 'web', { app: 'web' }, [{ port: 443, targetPort: 8443 }]), ingress('pay', 'shop', 'web', 443),
      denyAll('pay'), egressAll, allow('web', 'web', fromAnyNamespace, 8443))]);
    const entry = model.flows.find((f) => f.kind === 'entry' && f.to === 'pay/web[Deployment]')!;
    expect([entry.from, entry.exposedBy]).toEqual(['pay/shop[Ingress]', ['Ingress pay/shop']]);
    expect(model.outside.find((o) => o.id === 'pay/shop[Ingress]')).toMatchObject({ ingress: true, label: 'Ingress pay/shop (shop.example)' });
    expect(findings.map((f) => [f.severity, f.code, f.object])).toContainEqual(['warning', 'data/reachable-from-untrusted', 'pay/web[Deployment]']);
    expect(findings.find((f) => f.code === 'data/reachable-from-untrusted')!.message).toContain('reachable from outside the cluster through Ingress pay/shop');
  });

  it('draws a LoadBalancer Service in front of a processing workload as an ENTRY from the Internet, whatever its policies admit', () => {
    const { model, findings } = run([docs(web(), service('pay', 'web', { app: 'web' }, [{ port: 443, targetPort: 8443 }], 'LoadBalancer'),
      denyAll('pay'), egressAll, allow('web', 'web', fromWeb, 8443))]);
    const entry = model.flows.find((f) => f.kind === 'entry' && f.to === 'pay/web[Deployment]')!;
    expect(entry.exposedBy).toEqual(['LoadBalancer Service pay/web']);
    expect(entry.via).toEqual([]);
    expect(findings.map((f) => [f.severity, f.code, f.requirements])).toContainEqual(['warning', 'data/reachable-from-untrusted', ['1.4.2']]);
  });

  it('makes a NodePort Service in front of a stores workload the 1.4.4 error, once, at the Service', () => {
    const { model, findings } = run([docs(vault(), service('pay', 'vault', { app: 'vault' }, [{ port: 5432 }], 'NodePort'), denyAll('pay'), egressAll)],
      { names: ['vault.yaml'] });
    expect(model.flows.filter((f) => f.kind === 'entry').map((f) => [f.to, f.exposedBy])).toEqual([['pay/vault[Deployment]', ['NodePort Service pay/vault']]]);
    const stores = findings.filter((f) => f.code === 'data/store-reachable-from-untrusted');
    expect(stores.map((f) => [f.severity, f.object, f.requirements])).toEqual([['error', 'pay/vault[Deployment]', ['1.4.4']]]);
    expect(stores[0]!.message).toContain('exposed outside the cluster by NodePort Service pay/vault');
  });

  it('draws no entry for a ClusterIP Service', () => {
    const { model } = run([docs(vault(), service('pay', 'vault', { app: 'vault' }, [{ port: 5432 }]), denyAll('pay'), egressAll)]);
    expect(model.flows.filter((f) => f.kind === 'entry')).toEqual([]);
  });
});

describe('an ipBlock over several parties\' ranges (review 15 #4b)', () => {
  const two = () => parties('parties:\n  - {name: Acme, kind: acquirer, cidrs: [198.51.100.0/25], flows: authorization}\n  - {name: Visa, kind: processor, cidrs: [198.51.100.128/25], flows: capture}\n');

  it('attributes a set the parties hold together to each of them, not to the untrusted network', () => {
    const { model, codes } = run([docs(web('authorization'), denyAll('pay'), egressAll, allow('web', 'web', acquirerNet, 8443))], { parties: two(), strictFlows: true });
    const end = model.outside.find((o) => o.label === '198.51.100.0/24')!;
    expect([end.party, end.parties, end.overlaps]).toEqual([undefined, [{ name: 'Acme', kind: 'acquirer' }, { name: 'Visa', kind: 'processor' }], []]);
    const entry = model.flows.find((f) => f.kind === 'entry')!;
    expect([entry.party, entry.explainedBy]).toEqual(['Acme, Visa', ['authorization']]);
    // a declared connection: no 1.4.2 warning, and Acme's flow explains the path
    expect(codes.filter((c) => c.includes('reachable-from-untrusted') || c.includes('flow-unexplained'))).toEqual([]);
  });

  it('keeps a set the parties hold only in part an untrusted network, naming the parties inside it', () => {
    const { model, codes } = run([docs(web(), denyAll('pay'), egressAll, allow('web', 'web', [{ ipBlock: { cidr: '198.51.0.0/16' } }], 8443))], { parties: two() });
    const end = model.outside.find((o) => o.label === '198.51.0.0/16')!;
    expect([end.parties, end.overlaps]).toEqual([[], ['Acme', 'Visa']]);
    expect(codes).toContain('warning data/reachable-from-untrusted pay/web[Deployment]');
  });
});
