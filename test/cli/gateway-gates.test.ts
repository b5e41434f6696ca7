import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../pci/support.js';

const GW = 'gateway.networking.k8s.io/v1';

/** Writes manifests and an expectations file to a fresh directory; returns their paths. */
function inputs(manifests: string): { dir: string; expect: string } {
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-gateway-'));
  writeFileSync(join(dir, 'shop.yaml'), manifests);
  const expect = join(dir, 'expect.yaml');
  writeFileSync(expect, 'expectations:\n  - name: the outside reaches web on 8080\n    from: { cidr: 10.0.0.0/8 }\n    to: app=web\n    allow: [8080/TCP]\n');
  return { dir: join(dir, 'shop.yaml'), expect };
}

const backend = `apiVersion: v1
kind: Namespace
metadata: { name: edge }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: apps }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: apps }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`;

const gatewayAndRoute = (listener: string, routeSpec = '') => `${backend}---
apiVersion: ${GW}
kind: Gateway
metadata: { name: gw, namespace: edge }
spec:
  gatewayClassName: example
  listeners:
    - ${listener}
---
apiVersion: ${GW}
kind: HTTPRoute
metadata: { name: web, namespace: apps }
spec:
  parentRefs: [{ name: gw, namespace: edge }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
${routeSpec}`;

describe('Gateway API parts that are not evaluated fail the gates', () => {
  it('a Selector on the labels of a namespace the input lacks: check and audit do not pass', async () => {
    const { dir, expect: expectations } = inputs(gatewayAndRoute("{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { shared-gateway-access: 'true' } } } } }"));
    const check = fakeIo();
    expect(await main(['check', dir, '--expect', expectations], check)).toBe(2);
    expect(check.err).toContain('warning gateway/namespace-unknown: whether Gateway edge/gw admits HTTPRoute apps/web is NOT EVALUATED');
    expect(check.err).toContain('the expectations cannot pass: NOT EVALUATED: its attachment to a Gateway (namespace labels not in the input) of 1 HTTPRoute');
    const audit = fakeIo();
    expect(await main(['audit', dir, '--fail-on', 'error'], audit)).toBe(1);
    expect(audit.out).toContain('error policy/not-evaluated');
    // with the namespace declared (and not matching), the attachment is decided: the gate passes
    const declared = inputs(`apiVersion: v1\nkind: Namespace\nmetadata: { name: apps }\n---\n${gatewayAndRoute("{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { shared-gateway-access: 'true' } } } } }")}`);
    const passing = fakeIo();
    expect(await main(['check', declared.dir, '--expect', declared.expect], passing), passing.err + passing.out).toBe(0);
  });
  it('a route that uses default Gateways: check does not pass', async () => {
    const { dir, expect: expectations } = inputs(gatewayAndRoute('{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }', '  useDefaultGateways: All\n'));
    const check = fakeIo();
    expect(await main(['check', dir, '--expect', expectations], check)).toBe(2);
    expect(check.err).toContain('warning gateway/default-gateway-not-evaluated: HTTPRoute apps/web uses default Gateways');
    expect(check.err).toContain('the expectations cannot pass: NOT EVALUATED: its attachment to default Gateways (spec.useDefaultGateways) of 1 HTTPRoute');
  });
  it('an ExtensionRef filter: audit fails on error', async () => {
    const route = gatewayAndRoute('{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }')
      .replace('rules: [{ backendRefs: [{ name: web, port: 80 }] }]', 'rules: [{ filters: [{ type: ExtensionRef, extensionRef: { group: example.com, kind: Mirror, name: m } }], backendRefs: [{ name: web, port: 80 }] }]');
    const { dir } = inputs(route);
    const audit = fakeIo();
    expect(await main(['audit', dir, '--fail-on', 'error'], audit)).toBe(1);
    expect(audit.err).toContain('warning gateway/filter-not-evaluated');
    expect(audit.out).toContain('a part not evaluated, an ExtensionRef filter');
  });
  it('a parentRef to a mesh Service and a backendRef to a ServiceImport: check does not pass', async () => {
    const listener = '{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }';
    const mesh = gatewayAndRoute(listener).replace('parentRefs: [{ name: gw, namespace: edge }]', "parentRefs: [{ name: gw, namespace: edge }, { group: '', kind: Service, name: web }]");
    const meshRun = fakeIo();
    const meshInputs = inputs(mesh);
    expect(await main(['check', meshInputs.dir, '--expect', meshInputs.expect], meshRun)).toBe(2);
    expect(meshRun.err).toContain('warning gateway/unsupported-reference: HTTPRoute apps/web parentRefs[1] names a Service');
    expect(meshRun.err).toContain('the expectations cannot pass: NOT EVALUATED: its attachment to a Service (parentRefs[1])');
    const imported = gatewayAndRoute(listener).replace('backendRefs: [{ name: web, port: 80 }]', 'backendRefs: [{ name: web, port: 80 }, { group: multicluster.x-k8s.io, kind: ServiceImport, name: web, port: 80 }]');
    const importRun = fakeIo();
    const importInputs = inputs(imported);
    expect(await main(['check', importInputs.dir, '--expect', importInputs.expect], importRun)).toBe(2);
    expect(importRun.err).toContain('warning gateway/unsupported-reference: HTTPRoute apps/web sends traffic to ServiceImport (multicluster.x-k8s.io) web');
    expect(importRun.err).toContain('NOT EVALUATED: a backend that is not a Service (ServiceImport (multicluster.x-k8s.io) web)');
    // the same route without them passes: the gate failed on them alone
    const plain = inputs(gatewayAndRoute(listener));
    const plainRun = fakeIo();
    expect(await main(['check', plain.dir, '--expect', plain.expect], plainRun), plainRun.err + plainRun.out).toBe(0);
  });
});
