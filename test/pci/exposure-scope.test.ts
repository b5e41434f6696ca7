import { auditCluster, computeExposure, computeScope } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, namespace, pod, policy } from '../support/analyse.js';
import { deployment } from './support.js';

// The shape of Argo CD's install.yaml: the argocd namespace is the CDE, and its policies admit
// "every pod in every namespace" on a port (namespaceSelector: {}), one of them every source.
const ARGO = docs(
  JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd', annotations: { 'netdiagram.io/zone': 'cde' } } }),
  deployment('argocd', 'argocd-repo-server', { 'app.kubernetes.io/name': 'argocd-repo-server' }),
  deployment('argocd', 'argocd-server', { 'app.kubernetes.io/name': 'argocd-server' }),
  deployment('argocd', 'argocd-redis', { 'app.kubernetes.io/name': 'argocd-redis' }),
  policy('argocd', 'argocd-repo-server-network-policy', {
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } }, policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-server' } } }], ports: [{ port: 8081 }] },
      { from: [{ namespaceSelector: {} }], ports: [{ port: 8084 }] }],
  }),
  policy('argocd', 'argocd-server-network-policy', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-server' } }, policyTypes: ['Ingress'], ingress: [{}] }),
  policy('argocd', 'argocd-redis-network-policy', {
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-redis' } }, policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-server' } } }], ports: [{ port: 6379 }] }],
  }),
);
const UNRELATED = docs(namespace('team-b'), pod('team-b', 'other', { app: 'other' }));

function audit(yaml: string) {
  const { parsed, graph } = analyse(yaml);
  const scope = computeScope(parsed.cluster, graph, { exposure: computeExposure(parsed.cluster) });
  return { scope, findings: auditCluster(parsed.cluster, graph, scope) };
}

describe('the CDE boundary with exposure', () => {
  it('numbers each representative peer outside the CDE as a boundary flow, and says who could use it', () => {
    const { scope, findings } = audit(ARGO);
    const inbound = scope.boundary.filter((f) => f.representative && f.direction === 'inbound').map((f) => `${f.from} → ${f.to} : ${f.representative!.portsText}`);
    expect(inbound).toEqual([
      'any pod in the cluster → argocd/argocd-repo-server[Deployment] : TCP 8084',
      'any pod in the cluster → argocd/argocd-server[Deployment] : All Connections',
    ]);
    // redis admits only argocd-server, inside the CDE: no boundary flow, no finding
    expect(scope.boundary.some((f) => f.to === 'argocd/argocd-redis[Deployment]')).toBe(false);
    const exposed = findings.filter((f) => f.code === 'cde/admits-unlisted-pods');
    expect(exposed.map((f) => [f.object, f.severity, f.location?.line])).toEqual([
      ['argocd/argocd-repo-server[Deployment]', 'error', expect.any(Number)],
      ['argocd/argocd-server[Deployment]', 'error', expect.any(Number)],
    ]);
    expect(exposed[0]!.message).toContain('none in the input');
  });

  it('gives the same boundary and the same CDE findings when an unrelated pod is added to the input', () => {
    const alone = audit(ARGO);
    const crowded = audit(docs(ARGO, UNRELATED));
    const cdeFindings = (fs: typeof alone.findings) => fs.filter((f) => f.code.startsWith('cde/')).map((f) => `${f.code} ${f.object}`);
    expect(crowded.scope.boundary.map((f) => `${f.id} ${f.from} → ${f.to}`)).toEqual(alone.scope.boundary.map((f) => `${f.id} ${f.from} → ${f.to}`));
    expect(cdeFindings(crowded.findings)).toEqual(cdeFindings(alone.findings));
    // the new pod is connected-to the CDE (it may reach it), and the flows say so
    expect(crowded.scope.connected).toEqual(['team-b/other[Pod]']);
    const server = crowded.scope.boundary.find((f) => f.to === 'argocd/argocd-server[Deployment]' && f.representative)!;
    expect(server.representative!.holds).toEqual(['team-b/other[Pod]']);
    expect(server.representative!.instances).toEqual([{ from: 'team-b/other[Pod]', to: 'argocd/argocd-server[Deployment]' }]);
  });

  it('warns, not errs, for pods chosen by label in one named namespace', () => {
    const yaml = docs(ARGO, policy('argocd', 'metrics', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-redis' } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9121 }] }],
    }));
    const finding = audit(yaml).findings.find((f) => f.code === 'cde/admits-namespace-pods');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('pods app=prometheus in namespace monitoring → argocd/argocd-redis[Deployment] on TCP 9121');
  });
});
