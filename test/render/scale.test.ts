import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { layoutGraph, MAX_AUTO_NODES, renderSvg } from '@netdiagram/render';
import { denyAll, graphOf, policy, workload } from './builders.js';

/**
 * 50 team namespaces of 40 workloads (web, api, db, worker tiers), each reachable from the
 * Internet on its web tier, calling a shared platform service and DNS: 2,000 workloads.
 */
function syntheticCluster(): string[] {
  const nsSelector = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  const manifests: string[] = [
    workload('platform', 'auth', { ports: [{ containerPort: 8443 }] }),
    policy('platform', 'auth', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8443 }] }] }),
    workload('kube-system', 'coredns', { labels: { 'k8s-app': 'kube-dns' }, ports: [{ containerPort: 53, protocol: 'UDP' }] }),
    policy('kube-system', 'dns', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] }] }),
  ];
  for (let t = 0; t < 50; t++) {
    const ns = `team-${String(t).padStart(2, '0')}`;
    manifests.push(denyAll(ns));
    manifests.push(policy(ns, 'dns', { podSelector: {}, egress: [{ to: [nsSelector('kube-system')], ports: [{ protocol: 'UDP', port: 53 }] }] }));
    for (let w = 0; w < 40; w++) {
      const tier = ['web', 'api', 'db', 'worker'][w % 4]!;
      manifests.push(workload(ns, `${tier}-${w}`, { labels: { tier, app: `${tier}-${w}` }, ports: [{ containerPort: 8080 }] }));
    }
    manifests.push(policy(ns, 'web', { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] }], egress: [{ to: [{ podSelector: { matchLabels: { tier: 'api' } } }], ports: [{ port: 8080 }] }] }));
    manifests.push(policy(ns, 'api', { podSelector: { matchLabels: { tier: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 8080 }] }], egress: [{ to: [{ podSelector: { matchLabels: { tier: 'db' } } }, { ...nsSelector('platform'), podSelector: { matchLabels: { app: 'auth' } } }], ports: [{ port: 8080 }, { port: 8443 }] }] }));
    manifests.push(policy(ns, 'db', { podSelector: { matchLabels: { tier: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'api' } } }, { podSelector: { matchLabels: { tier: 'worker' } } }], ports: [{ port: 8080 }] }] }));
    manifests.push(policy(ns, 'worker', { podSelector: { matchLabels: { tier: 'worker' } }, egress: [{ to: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 8080 }] }] }));
  }
  return manifests;
}

describe('a 2,000-workload cluster at detail auto', () => {
  it(`is drawn with at most ${MAX_AUTO_NODES} shapes, as well-formed SVG`, async () => {
    const layout = await layoutGraph(graphOf(syntheticCluster()));
    expect(layout.stats.workloads).toBe(2002);
    expect(layout.detail).toBe('namespace');
    expect(layout.nodes.length).toBeLessThanOrEqual(MAX_AUTO_NODES);
    expect(layout.nodes.filter((n) => n.node.kind === 'namespace-summary')).toHaveLength(52);
    const svg = renderSvg(layout, { title: 'synthetic' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/>\d+ flows · TCP 8443</);
  });
});
