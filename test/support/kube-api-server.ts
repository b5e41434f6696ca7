import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An in-process stand-in for a Kubernetes API server: the discovery documents (`/api`, `/api/v1`,
 * `/apis`, `/apis/GROUP/VERSION`) and the list endpoints (cluster-wide and per namespace, with
 * `limit` and `continue`) of the kinds its objects are of, served from fixture objects. Only what
 * netdiagram's reader asks for; every request is recorded so tests can see what was asked.
 */
export interface FakeApiServer {
  readonly url: string;
  /** A kubeconfig file (in a temp dir) whose current context `test-context` points here with a bearer token. */
  readonly kubeconfig: string;
  readonly requests: readonly { readonly method: string; readonly path: string }[];
  close(): Promise<void>;
}

export interface FakeApiOptions {
  /** Objects with apiVersion, kind and metadata, as a file would hold them. */
  readonly objects: readonly Record<string, unknown>[];
  /** API groups served besides those of the objects' kinds (`gateway.networking.k8s.io/v1`). */
  readonly groupVersions?: readonly string[];
  /** Resources (plural names) whose list answers 403. */
  readonly forbidden?: readonly string[];
  /** Most items in one page, whatever `limit` asks (the server may always send fewer). */
  readonly pageSize?: number;
  /** The bearer token the server accepts (401 otherwise); the kubeconfig carries `token`. */
  readonly token?: string;
  /** Group versions whose discovery document answers 503 (an aggregated API whose server is down). */
  readonly unavailable?: readonly string[];
  readonly acceptedToken?: string;
}

interface Resource { readonly group: string; readonly version: string; readonly kind: string; readonly plural: string; readonly namespaced: boolean }

/** Every kind a test may serve, with its resource name and scope. */
const RESOURCES: readonly Resource[] = [
  ...[['Namespace', 'namespaces', false], ['Pod', 'pods', true], ['Service', 'services', true], ['Secret', 'secrets', true], ['ConfigMap', 'configmaps', true],
    ['Endpoints', 'endpoints', true], ['ReplicationController', 'replicationcontrollers', true], ['PersistentVolumeClaim', 'persistentvolumeclaims', true],
    ['PersistentVolume', 'persistentvolumes', false]].map(([kind, plural, namespaced]) => ({ group: '', version: 'v1', kind, plural, namespaced }) as Resource),
  ...['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map((kind) => ({ group: 'apps', version: 'v1', kind, plural: `${kind.toLowerCase()}s`, namespaced: true })),
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', kind: 'AdminNetworkPolicy', plural: 'adminnetworkpolicies', namespaced: false },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', kind: 'BaselineAdminNetworkPolicy', plural: 'baselineadminnetworkpolicies', namespaced: false },
  { group: 'cilium.io', version: 'v2', kind: 'CiliumNetworkPolicy', plural: 'ciliumnetworkpolicies', namespaced: true },
  { group: 'cilium.io', version: 'v2', kind: 'CiliumClusterwideNetworkPolicy', plural: 'ciliumclusterwidenetworkpolicies', namespaced: false },
  { group: 'projectcalico.org', version: 'v3', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  { group: 'projectcalico.org', version: 'v3', kind: 'GlobalNetworkPolicy', plural: 'globalnetworkpolicies', namespaced: false },
  { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'Gateway', plural: 'gateways', namespaced: true },
  { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute', plural: 'httproutes', namespaced: true },
  { group: 'example.com', version: 'v1', kind: 'FirewallNetworkPolicy', plural: 'firewallnetworkpolicies', namespaced: true },
];

const groupVersionOf = (r: Resource) => (r.group === '' ? r.version : `${r.group}/${r.version}`);

/** Starts the server on a free loopback port and writes its kubeconfig. */
export async function startFakeApiServer(options: FakeApiOptions): Promise<FakeApiServer> {
  const requests: { method: string; path: string }[] = [];
  const served = new Set([...options.objects.map((o) => String(o.apiVersion)), 'v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', ...(options.groupVersions ?? [])]);
  const resources = RESOURCES.filter((r) => served.has(groupVersionOf(r)));
  const objectsOf = (r: Resource) => options.objects.filter((o) => o.apiVersion === groupVersionOf(r) && o.kind === r.kind);
  const accepted = options.acceptedToken ?? 'test-token';

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ method: request.method ?? '', path: `${url.pathname}${url.search}` });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const refuse = (status: number, reason: string, message: string) => send(status, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code: status, message });
    if (request.headers.authorization !== `Bearer ${accepted}`) return refuse(401, 'Unauthorized', 'Unauthorized');
    if (request.method !== 'GET') return refuse(405, 'MethodNotAllowed', 'read-only test server');
    const path = url.pathname;
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
    if (path === '/apis') {
      const groups = [...new Set(resources.filter((r) => r.group !== '').map((r) => r.group))].sort();
      return send(200, {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: groups.map((name) => {
          const versions = [...new Set(resources.filter((r) => r.group === name).map((r) => r.version))];
          return { name, versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })), preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] } };
        }),
      });
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (discovery) {
      const groupVersion = discovery[1] ?? `${discovery[2]}/${discovery[3]}`;
      const inGroup = resources.filter((r) => groupVersionOf(r) === groupVersion);
      if (inGroup.length === 0) return refuse(404, 'NotFound', 'the server could not find the requested resource');
      if (options.unavailable?.includes(groupVersion)) return refuse(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
      return send(200, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion,
        resources: inGroup.flatMap((r) => [
          { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
          { name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] },
        ]),
      });
    }
    const list = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(path);
    if (list) {
      const groupVersion = list[1] ?? `${list[2]}/${list[3]}`;
      const namespace = list[4] !== undefined ? decodeURIComponent(list[4]) : undefined;
      const resource = resources.find((r) => groupVersionOf(r) === groupVersion && r.plural === list[5]);
      if (!resource) return refuse(404, 'NotFound', 'the server could not find the requested resource');
      if (options.forbidden?.includes(resource.plural)) {
        return refuse(403, 'Forbidden', `${resource.plural} is forbidden: User "system:serviceaccount:ci:netdiagram" cannot list resource "${resource.plural}" in API group "${resource.group}" at the cluster scope`);
      }
      const all = objectsOf(resource)
        .filter((o) => namespace === undefined || (o.metadata as { namespace?: string }).namespace === namespace)
        .map((o) => withServerFields(o));
      const limit = Math.min(Number(url.searchParams.get('limit') ?? all.length) || all.length, options.pageSize ?? Number.MAX_SAFE_INTEGER);
      const start = url.searchParams.has('continue') ? Number(Buffer.from(url.searchParams.get('continue')!, 'base64url').toString('utf8')) : 0;
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
      // items of a list carry no kind or apiVersion, as the API server sends them
      return send(200, {
        kind: `${resource.kind}List`, apiVersion: groupVersion,
        metadata: { resourceVersion: '4711', ...(next ? { continue: next, remainingItemCount: all.length - start - limit } : {}) },
        items: page.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
      });
    }
    return refuse(404, 'NotFound', 'the server could not find the requested resource');
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, kubeconfigText(url, options.token ?? 'test-token'));
  return {
    url, kubeconfig, requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A kubeconfig with one context, `test-context`, at `server` with a bearer token. */
export function kubeconfigText(server: string, token: string): string {
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: test-context',
    'clusters:', `- name: test`, `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`,
    'users:', `- name: test`, `  user: { token: ${token} }`,
    'contexts:', '- name: test-context', '  context: { cluster: test, user: test }', '',
  ].join('\n');
}

/** An object as the server returns it: uid, resourceVersion, managedFields and a status added. */
function withServerFields(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata as Record<string, unknown>;
  const name = String(metadata.name);
  return {
    ...object,
    metadata: {
      ...metadata,
      uid: `00000000-0000-0000-0000-${name.length.toString().padStart(12, '0')}`, resourceVersion: '4711', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: String(object.apiVersion), time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
    },
    ...(object.kind === 'Pod' ? { status: { phase: 'Running' } } : object.kind === 'Deployment' ? { status: { replicas: 1, readyReplicas: 1 } } : {}),
  };
}
