import { auditCluster, buildTrafficGraph, computeScope, parseManifests, type Finding, type WorkloadNode } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { docs, namespace, policy } from '../support/analyse.js';
import { onlineBoutiqueSources } from './online-boutique.js';
import { denyAll, deployment } from './support.js';

const audit = (sources: { name: string; text: string }[], cde: string[] = []) => {
  const parsed = parseManifests(sources);
  const graph = buildTrafficGraph(parsed.cluster);
  return { findings: auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph, { cde })), graph };
};
const auditText = (text: string, cde: string[] = []) => audit([{ name: 'input.yaml', text }], cde);
const summary = (findings: readonly Finding[], codes: readonly string[]) =>
  findings.filter((f) => codes.includes(f.code)).map((f) => `${f.severity} ${f.code} ${f.object}${f.location ? ` @${f.location.file}:${f.location.line}` : ''}`);

const OPEN_CODES = ['policy/rule-admits-any-peer', 'policy/rule-admits-all-pods', 'workload/isolated-in-name-only', 'workload/egress-to-internet'];

/** A default-deny beside an allow-everything policy: the namespace counts as default-deny, yet nothing is restricted. */
const ALLOW_ALL = docs(
  deployment('shop', 'web', { app: 'web' }, { ports: [{ containerPort: 80 }] }),
  denyAll('shop'),
  policy('shop', 'allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] }),
);

describe('audit of rules that admit everything', () => {
  it('flags a default-deny plus an allow-everything policy: both rules, and the workload isolated in name only both ways', () => {
    const { findings, graph } = auditText(ALLOW_ALL);
    expect(summary(findings, OPEN_CODES)).toEqual([
      'error policy/rule-admits-any-peer shop/allow-all[NetworkPolicy] @input.yaml:5',
      'error workload/isolated-in-name-only shop/web[Deployment] @input.yaml:5',
      'error policy/rule-admits-any-peer shop/allow-all[NetworkPolicy] @input.yaml:5',
      'error workload/isolated-in-name-only shop/web[Deployment] @input.yaml:5',
    ]);
    expect(findings.find((f) => f.code === 'policy/rule-admits-any-peer')!.message).toBe(
      'NetworkPolicy shop/allow-all ingress[0] admits every source on every port: every pod of every namespace and every outside address, the Internet included');
    expect(findings.some((f) => f.code.startsWith('namespace/no-default-deny'))).toBe(false);
    const node = graph.getNodeAttributes('shop/web[Deployment]') as WorkloadNode;
    expect([node.ingressIsolated, node.ingressInNameOnly, node.egressIsolated, node.egressInNameOnly]).toEqual([true, true, true, true]);
  });

  it("finds Online Boutique's open doors: frontend accepts anything and every pod may send anywhere", () => {
    const { findings } = audit(onlineBoutiqueSources());
    const open = findings.filter((f) => OPEN_CODES.includes(f.code));
    expect(open.filter((f) => f.code === 'workload/isolated-in-name-only').map((f) => f.message.split(':')[0])).toEqual([
      'default/cartservice[Deployment] is isolated for egress in name only',
      'default/checkoutservice[Deployment] is isolated for egress in name only',
      'default/frontend[Deployment] is isolated for ingress in name only',
      'default/frontend[Deployment] is isolated for egress in name only',
      'default/paymentservice[Deployment] is isolated for egress in name only',
      'default/redis-cart[Deployment] is isolated for egress in name only',
    ]);
    expect(open.filter((f) => f.code === 'policy/rule-admits-any-peer').map((f) => `${f.location!.file}:${f.location!.line}`)).toEqual([
      'network-policy-cartservice.yaml:24', 'network-policy-checkoutservice.yaml:21',
      'network-policy-frontend.yaml:13', 'network-policy-frontend.yaml:15',
      'network-policy-paymentservice.yaml:21', 'network-policy-redis.yaml:21',
    ]);
    expect(open.every((f) => f.severity === 'error')).toBe(true);
  });

  it('tells every pod of the cluster (namespaceSelector: {}) from every address', () => {
    const { findings } = auditText(docs(
      deployment('shop', 'api', { app: 'api' }),
      policy('shop', 'from-cluster', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    ));
    expect(summary(findings, OPEN_CODES)).toEqual([
      'error workload/egress-to-internet shop/api[Deployment] @input.yaml:1', // its egress is not isolated
      'warning policy/rule-admits-all-pods shop/from-cluster[NetworkPolicy] @input.yaml:3',
    ]);
    expect(findings.find((f) => f.code === 'policy/rule-admits-all-pods')!.message).toBe(
      'NetworkPolicy shop/from-cluster ingress[0] admits every pod of every namespace as source on every port (namespaceSelector: {})');
  });

  it('counts every pod plus ipBlock 0.0.0.0/0 as every peer, and two rules that open TCP and UDP+SCTP as every port together', () => {
    const { findings } = auditText(docs(
      deployment('shop', 'api', { app: 'api' }),
      policy('shop', 'split', {
        podSelector: {}, policyTypes: ['Ingress'],
        ingress: [
          { from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP' }] },
          { from: [{ namespaceSelector: {}, podSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'UDP' }, { protocol: 'SCTP' }] },
        ],
      }),
    ));
    expect(summary(findings, OPEN_CODES)).toEqual([
      'error workload/egress-to-internet shop/api[Deployment] @input.yaml:1',
      'error workload/isolated-in-name-only shop/api[Deployment] @input.yaml:3',
    ]);
  });

  it('does not call isolation nominal when it restricts something: one namespace, one port, or a private range left out', () => {
    const restricted = [
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }] }] },
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] },
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] },
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }] }] },
    ];
    for (const spec of restricted) {
      const { findings, graph } = auditText(docs(deployment('shop', 'api', { app: 'api' }), policy('shop', 'p', spec)));
      expect(findings.filter((f) => f.code === 'workload/isolated-in-name-only')).toEqual([]);
      expect((graph.getNodeAttributes('shop/api[Deployment]') as WorkloadNode).ingressInNameOnly).toBeUndefined();
    }
  });

  it('flags egress to every Internet address on every port through an ipBlock, pointing at the rule', () => {
    const { findings } = auditText(docs(
      deployment('shop', 'api', { app: 'api' }),
      policy('shop', 'to-internet', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] }),
    ));
    expect(summary(findings, OPEN_CODES)).toEqual(['error workload/egress-to-internet shop/api[Deployment] @input.yaml:3']);
    expect(findings.find((f) => f.code === 'workload/egress-to-internet')!.message).toBe('shop/api[Deployment] may send to any Internet address on every port');
  });

  it('flags a workload isolated for ingress only as sending anywhere, but leaves a CDE workload to cde/egress-to-internet', () => {
    const text = docs(
      namespace('shop'),
      deployment('shop', 'api', { app: 'api' }),
      deployment('shop', 'pay', { app: 'pay' }),
      policy('shop', 'ingress-only', { podSelector: {}, policyTypes: ['Ingress'] }),
    );
    const { findings } = auditText(text, ['app=pay']);
    expect(summary(findings, ['workload/egress-to-internet', 'cde/egress-to-internet'])).toEqual([
      'warning workload/egress-to-internet shop/api[Deployment] @input.yaml:3',
      'error cde/egress-to-internet shop/pay[Deployment] @input.yaml:5',
    ]);
    expect(findings.find((f) => f.code === 'workload/egress-to-internet')!.message).toBe(
      'shop/api[Deployment] may send to any Internet address on every port (no policy isolates its egress)');
  });
});
