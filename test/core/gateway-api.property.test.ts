import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyse } from '../support/analyse.js';
import { clusterArb, labelsArb, manifests, NAMESPACES, selectorArb } from '../support/cluster-arbitraries.js';
import { refAllowed, refSelects, type RefPod, type RefSelector } from '../support/reference.js';

// The Gateway against the brute-force reference: a route of the backend pod's namespace attaches to a
// Gateway exactly when the listener's allowedRoutes admits that namespace (Same: the Gateway's own;
// All; Selector: the namespace's labels); attached, the Gateway reaches the backend on its target
// port exactly when the reference evaluator lets the data-plane pod connect there, and on the same
// ports as an Ingress in front of the same Service with the same sender.

const fromArb = fc.oneof(
  fc.constant<{ from: 'Same' | 'All' }>({ from: 'Same' }),
  fc.constant<{ from: 'Same' | 'All' }>({ from: 'All' }),
  selectorArb.map((selector) => ({ from: 'Selector' as const, selector })),
);
const senderArb = fc.record({ namespace: fc.constantFrom(...NAMESPACES, 'edge'), labels: labelsArb });

function gatewayDocs(backend: RefPod, gatewayNamespace: string, allowed: { from: string; selector?: RefSelector }): unknown[] {
  const selector = { ...backend.labels, backend: 'yes' };
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: backend.namespace }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: gatewayNamespace },
      spec: { gatewayClassName: 'x', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: allowed } }] },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: backend.namespace },
      spec: { parentRefs: [{ name: 'gw', namespace: gatewayNamespace }], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing', namespace: backend.namespace },
      spec: { defaultBackend: { service: { name: 'svc', port: { number: 80 } } } },
    },
  ];
}

describe('Gateway exposure against the reference evaluator', () => {
  it('attaches by allowedRoutes, and reaches the backend exactly as the data-plane pod may and as an Ingress does', () => {
    fc.assert(fc.property(clusterArb, fc.nat(), fc.constantFrom(...NAMESPACES), fromArb, senderArb, (cluster, pick, gatewayNamespace, allowed, sender) => {
      const chosen = cluster.pods[pick % cluster.pods.length]!;
      // the backend: a pod with a port 8080 and a label only the Service selects it by
      const backend: RefPod = { ...chosen, labels: { ...chosen.labels, backend: 'yes' }, ports: [{ name: 'web', containerPort: 8080 }] };
      const pods = cluster.pods.map((p) => (p === chosen ? backend : p));
      const withBackend = { ...cluster, pods };
      const text = [manifests(withBackend), ...gatewayDocs(backend, gatewayNamespace, allowed).map((d) => JSON.stringify(d))].join('\n---\n');
      const { json, parsed } = analyse(text, { ingressController: sender, gatewayController: sender });
      const namespaceLabels = { ...(cluster.namespaces[backend.namespace] ?? {}), 'kubernetes.io/metadata.name': backend.namespace };
      const attaches = allowed.from === 'All' || (allowed.from === 'Same' && gatewayNamespace === backend.namespace)
        || (allowed.from === 'Selector' && refSelects(allowed.selector!, namespaceLabels));
      const gatewayId = `${gatewayNamespace}/gw[Gateway]`;
      const backendId = `${backend.namespace}/${backend.name}[Pod]`;
      expect(parsed.cluster.ingresses.find((i) => i.id === gatewayId)?.routes).toEqual(attaches ? [`${backend.namespace}/r[HTTPRoute]`] : []);
      const flow = (from: string) => json.connections.find((c) => c.from === from && c.to === backendId);
      const senderPod: RefPod = { namespace: sender.namespace, name: 'sender', labels: sender.labels, ports: [] };
      const allowedByReference = refAllowed(withBackend, { pod: senderPod }, { pod: backend }, 'TCP', 8080);
      expect(flow(gatewayId) !== undefined).toBe(attaches && allowedByReference);
      if (attaches) expect(flow(gatewayId)?.ports).toEqual(flow(`${backend.namespace}/ing[Ingress]`)?.ports);
    }), { numRuns: 150 });
  });

  it('without the route namespace\'s Namespace object, decides a Selector on kubernetes.io/metadata.name alone and reports any other as not evaluated', () => {
    const NAME = 'kubernetes.io/metadata.name';
    const byNameArb = fc.oneof(
      fc.constantFrom(...NAMESPACES).map((n): RefSelector => ({ matchLabels: { [NAME]: n } })),
      fc.record({ operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...NAMESPACES), { minLength: 1, maxLength: 2 }) })
        .map(({ operator, values }): RefSelector => ({ matchExpressions: [{ key: NAME, operator, values }] })),
    );
    fc.assert(fc.property(clusterArb, fc.nat(), fc.constantFrom(...NAMESPACES), fc.oneof(selectorArb, byNameArb), (cluster, pick, gatewayNamespace, selector) => {
      const chosen = cluster.pods[pick % cluster.pods.length]!;
      const backend: RefPod = { ...chosen, labels: { ...chosen.labels, backend: 'yes' }, ports: [{ name: 'web', containerPort: 8080 }] };
      // the backend's namespace has no Namespace object: its labels are unknown but for its name
      const namespaces = Object.fromEntries(Object.entries(cluster.namespaces).filter(([n]) => n !== backend.namespace));
      const withBackend = { ...cluster, namespaces, pods: cluster.pods.map((p) => (p === chosen ? backend : p)) };
      const text = [manifests(withBackend), ...gatewayDocs(backend, gatewayNamespace, { from: 'Selector', selector }).map((d) => JSON.stringify(d))].join('\n---\n');
      const { parsed } = analyse(text);
      const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
      const decidable = keys.every((k) => k === NAME);
      const attachedRoutes = parsed.cluster.ingresses.find((i) => i.id === `${gatewayNamespace}/gw[Gateway]`)?.routes;
      const undecided = parsed.unevaluated.filter((u) => u.part === 'its attachment to a Gateway (namespace labels not in the input)');
      if (decidable) {
        const attaches = refSelects(selector, { [NAME]: backend.namespace });
        expect(attachedRoutes).toEqual(attaches ? [`${backend.namespace}/r[HTTPRoute]`] : []);
        expect(undecided).toEqual([]);
      } else {
        // drawn as attached, the wider exposure, and not evaluated
        expect(attachedRoutes).toEqual([`${backend.namespace}/r[HTTPRoute]`]);
        expect(undecided.map((u) => u.objects.map((o) => o.name))).toEqual([[`${backend.namespace}/r`]]);
        expect(parsed.diagnostics.some((d) => d.code === 'gateway/namespace-unknown')).toBe(true);
      }
    }), { numRuns: 150 });
  });
});
