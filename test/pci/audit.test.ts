import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditCluster, buildTrafficGraph, computeScope, FINDING_RULES, parseManifests, type Finding } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, namespace, policy } from '../support/analyse.js';
import { demo, denyAll, deployment, ingress, service, withoutDenyAll } from './support.js';

const auditOf = (yaml: string, cde: string[] = [], outOfScope: string[] = []) => {
  const { parsed, graph } = analyse(yaml);
  return auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph, { cde, outOfScope }));
};
const codes = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.code} ${f.object}`);
const demoSources = (edit: (name: string, text: string) => string = (_n, t) => t) =>
  readdirSync(demo).filter((f) => f.endsWith('.yaml') && f !== 'expectations.yaml').sort()
    .map((f) => ({ name: `examples/pci-demo/${f}`, text: edit(f, readFileSync(join(demo, f), 'utf8')) }));
const auditDemo = (edit?: (name: string, text: string) => string) => {
  const { cluster } = parseManifests(demoSources(edit));
  const graph = buildTrafficGraph(cluster);
  return auditCluster(cluster, graph, computeScope(cluster, graph, { cde: ['app=pci'] }));
};

describe('auditCluster on the seed demo', () => {
  it('finds nothing about segmentation between pci and other, and no error', () => {
    const findings = auditDemo();
    expect(codes(findings)).toEqual([
      'warning cde/exposed-by-service default/pci-frontend[Service]',
      'warning cde/reachable-from-outside default/pci-frontend[Deployment]',
    ]);
    expect(findings.every((f) => !/other/.test(f.message))).toBe(true);
    expect(findings[1]!.location).toMatchObject({ file: 'examples/pci-demo/policies.yaml', line: 69 });
    expect(findings[1]!.requirements).toEqual(['1.4.4']);
    expect(findings[1]!.message).toContain('on TCP 80 (F1)');
  });

  it('reports errors once the deny-all policy is gone', () => {
    const findings = auditDemo((name, text) => (name === 'policies.yaml' ? withoutDenyAll(text) : text));
    expect(codes(findings.filter((f) => f.severity === 'error')).sort()).toEqual([
      'error cde/connected-flow default/other-backend[Deployment]',
      'error cde/connected-flow default/other-frontend[Deployment]',
      'error cde/egress-to-internet default/pci-backend[Deployment]',
      'error namespace/no-default-deny-egress default[Namespace]',
      'error namespace/no-default-deny-ingress default[Namespace]',
      'error workload/not-isolated default/other-backend[Deployment]',
      'error workload/not-isolated default/other-frontend[Deployment]',
    ]);
  });
});

describe('auditCluster', () => {
  it('reports a namespace without default-deny, as an error in scope and a warning outside it', () => {
    const yaml = docs(deployment('pay', 'api', { app: 'pay' }), deployment('blog', 'web', { app: 'blog' }), denyAll('pay'));
    expect(codes(auditOf(yaml, ['app=pay']).filter((f) => f.code.startsWith('namespace/')))).toEqual([
      'warning namespace/no-default-deny-egress blog[Namespace]',
      'warning namespace/no-default-deny-ingress blog[Namespace]',
    ]);
    expect(codes(auditOf(yaml).filter((f) => f.code.startsWith('namespace/')))).toEqual([
      'error namespace/no-default-deny-egress blog[Namespace]',
      'error namespace/no-default-deny-ingress blog[Namespace]',
    ]);
  });

  it('does not count a policy that selects every pod but allows some traffic as default-deny', () => {
    const yaml = docs(deployment('x', 'a', { app: 'a' }),
      policy('x', 'same-ns', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }));
    expect(codes(auditOf(yaml)).filter((c) => c.includes('namespace/'))).toHaveLength(2);
  });

  it('reports a workload isolated in neither direction, and not one isolated in one', () => {
    const yaml = docs(deployment('x', 'a', { app: 'a' }), deployment('x', 'b', { app: 'b' }),
      policy('x', 'b-in', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] }));
    expect(codes(auditOf(yaml)).filter((c) => c.includes('not-isolated'))).toEqual(['error workload/not-isolated x/a[Deployment]']);
  });

  it('reports a hostNetwork workload (policies do not protect it)', () => {
    const findings = auditOf(docs(deployment('x', 'agent', { app: 'agent' }, { hostNetwork: true }), denyAll('x')));
    expect(codes(findings)).toContain('error workload/host-network x/agent[Deployment]');
  });

  it('reports a CDE workload reachable from outside: an error on every port, a warning on some', () => {
    const open = auditOf(docs(deployment('x', 'pay', { app: 'pay' }), policy('x', 'eg', { podSelector: {}, policyTypes: ['Egress'] })), ['app=pay']);
    expect(open.find((f) => f.code === 'cde/reachable-from-outside')?.severity).toBe('error');
    const narrow = auditOf(docs(deployment('x', 'pay', { app: 'pay' }), denyAll('x'),
      policy('x', 'in', { podSelector: { matchLabels: { app: 'pay' } }, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }] })), ['app=pay']);
    const finding = narrow.find((f) => f.code === 'cde/reachable-from-outside');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('from 203.0.113.0/24 on TCP 443');
  });

  it('reports CDE egress to the whole Internet, and not egress to a named range', () => {
    const base = [deployment('x', 'pay', { app: 'pay' }), denyAll('x')];
    const toAll = auditOf(docs(...base, policy('x', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] })), ['app=pay']);
    expect(codes(toAll)).toContain('error cde/egress-to-internet x/pay[Deployment]');
    const toOne = auditOf(docs(...base, policy('x', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }] }] })), ['app=pay']);
    expect(codes(toOne).filter((c) => c.includes('egress-to-internet'))).toEqual([]);
  });

  it('reports a flow between the CDE and another workload: connected-to, or an error when that one is declared out of scope', () => {
    const yaml = docs(deployment('x', 'pay', { app: 'pay' }), deployment('x', 'blog', { app: 'blog' }), denyAll('x'),
      policy('x', 'blog-out', { podSelector: { matchLabels: { app: 'blog' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'pay' } } }], ports: [{ port: 443 }] }] }),
      policy('x', 'pay-in', { podSelector: { matchLabels: { app: 'pay' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'blog' } } }], ports: [{ port: 443 }] }] }));
    const connected = auditOf(yaml, ['app=pay']).find((f) => f.code === 'cde/connected-flow');
    expect(connected).toMatchObject({ severity: 'warning', object: 'x/blog[Deployment]' });
    expect(connected?.message).toContain('F1: x/blog[Deployment] → x/pay[Deployment] on TCP 443');
    expect(connected?.location?.file).toBe('input-0.yaml');
    const breach = auditOf(yaml, ['app=pay'], ['app=blog']).find((f) => f.code === 'cde/flow-to-out-of-scope');
    expect(breach).toMatchObject({ severity: 'error', object: 'x/blog[Deployment]' });
  });

  it('reports a LoadBalancer or NodePort Service and an Ingress in front of a CDE workload', () => {
    const yaml = docs(deployment('x', 'pay', { app: 'pay' }, { ports: [{ containerPort: 8080 }] }), denyAll('x'),
      service('x', 'pay-lb', { app: 'pay' }, [{ port: 443, targetPort: 8080 }], 'LoadBalancer'),
      service('x', 'pay-np', { app: 'pay' }, [{ port: 443, targetPort: 8080 }], 'NodePort'),
      service('x', 'pay', { app: 'pay' }, [{ port: 80, targetPort: 8080 }]),
      ingress('x', 'front', 'pay', 80));
    expect(codes(auditOf(yaml, ['app=pay']).filter((f) => f.code.startsWith('cde/exposed'))).sort()).toEqual([
      'warning cde/exposed-by-ingress x/front[Ingress]',
      'warning cde/exposed-by-service x/pay-lb[Service]',
      'warning cde/exposed-by-service x/pay-np[Service]',
    ]);
  });

  it('reports a policy that selects no pods, a peer that matches nothing, and a named port that resolves nowhere', () => {
    const yaml = docs(deployment('x', 'a', { app: 'a' }, { ports: [{ name: 'http', containerPort: 80 }] }), denyAll('x'),
      policy('x', 'ghost', { podSelector: { matchLabels: { app: 'ghost' } }, policyTypes: ['Ingress'] }),
      policy('x', 'a-in', { podSelector: { matchLabels: { app: 'a' } }, ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'nobody' } } }, { namespaceSelector: { matchLabels: { team: 'none' } } }] },
        { ports: [{ port: 'https' }, { port: 'http' }] },
      ] }));
    expect(codes(auditOf(yaml)).filter((c) => c.includes('policy/'))).toEqual([
      'warning policy/selects-no-pods x/ghost[NetworkPolicy]',
      'warning policy/peer-matches-nothing x/a-in[NetworkPolicy]',
      'warning policy/peer-matches-nothing x/a-in[NetworkPolicy]',
      'warning policy/named-port-unresolved x/a-in[NetworkPolicy]',
    ]);
    const named = auditOf(yaml).find((f) => f.code === 'policy/named-port-unresolved');
    expect(named?.message).toContain('"https/TCP"');
    expect(named?.message).not.toContain('"http/TCP"');
  });

  it('reports a Service that selects no pods', () => {
    const findings = auditOf(docs(deployment('x', 'a', { app: 'a' }), denyAll('x'), service('x', 'stale', { app: 'gone' }, [{ port: 80 }])));
    expect(codes(findings)).toEqual(['warning scope/no-cde cluster', 'warning service/selects-no-pods x/stale[Service]']);
  });

  it('names the requirement of every finding from the one table of codes', () => {
    const findings = auditOf(docs(namespace('x'), deployment('x', 'a', { app: 'a' }, { hostNetwork: true })));
    for (const f of findings) expect(f.requirements).toEqual(FINDING_RULES[f.code].requirements);
  });
});
