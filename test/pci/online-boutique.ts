import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployment, service, tempDir } from './support.js';

/**
 * A slice of Google's Online Boutique (GoogleCloudPlatform/microservices-demo): its Deployments'
 * labels and ports, and the policies of its kustomize component `network-policies` as published
 * (deny-all, then per service an ingress rule and `egress: [{}]`; frontend also `ingress: [{}]`).
 */
export const ONLINE_BOUTIQUE_APP = [
  deployment('default', 'frontend', { app: 'frontend' }, { ports: [{ containerPort: 8080 }] }),
  service('default', 'frontend', { app: 'frontend' }, [{ port: 80, targetPort: 8080 }]),
  deployment('default', 'checkoutservice', { app: 'checkoutservice' }, { ports: [{ containerPort: 5050 }] }),
  deployment('default', 'paymentservice', { app: 'paymentservice' }, { ports: [{ containerPort: 50051 }] }),
  deployment('default', 'cartservice', { app: 'cartservice' }, { ports: [{ containerPort: 7070 }] }),
  deployment('default', 'redis-cart', { app: 'redis-cart' }, { ports: [{ containerPort: 6379 }] }),
].join('\n---\n');

const policy = (name: string, ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  policyTypes:
  - Ingress
  - Egress
  ingress:
${ingress}
  egress:
  - {}
`;
const from = (apps: string[], port: number) => `  - from:
${apps.map((a) => `    - podSelector:\n        matchLabels:\n          app: ${a}`).join('\n')}
    ports:
     - port: ${port}
       protocol: TCP`;

/** The component's policies, one file each as in the repository. */
export const ONLINE_BOUTIQUE_POLICIES: Readonly<Record<string, string>> = {
  'network-policy-deny-all.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`,
  'network-policy-frontend.yaml': policy('frontend', '  - {}'),
  'network-policy-checkoutservice.yaml': policy('checkoutservice', from(['frontend'], 5050)),
  'network-policy-paymentservice.yaml': policy('paymentservice', from(['checkoutservice'], 50051)),
  'network-policy-cartservice.yaml': policy('cartservice', from(['frontend', 'checkoutservice'], 7070)),
  'network-policy-redis.yaml': policy('redis-cart', from(['cartservice'], 6379)),
};

/** The slice as a directory: `app.yaml` plus the policy files, and any extra files given. */
export function onlineBoutiqueDir(extra: Readonly<Record<string, string>> = {}): string {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), ONLINE_BOUTIQUE_APP);
  for (const [name, text] of Object.entries({ ...ONLINE_BOUTIQUE_POLICIES, ...extra })) writeFileSync(join(dir, name), text);
  return dir;
}

/** The slice as inline sources for `parseManifests`. */
export function onlineBoutiqueSources(): { name: string; text: string }[] {
  return [{ name: 'app.yaml', text: ONLINE_BOUTIQUE_APP }, ...Object.entries(ONLINE_BOUTIQUE_POLICIES).map(([name, text]) => ({ name, text }))];
}
