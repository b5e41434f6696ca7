import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import jsyaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { readCluster } from '../../packages/cli/src/cluster/read-cluster.js';
import { fakeIo } from '../pci/support.js';
import { startFakeApiServer, kubeconfigText, type FakeApiOptions, type FakeApiServer } from '../support/kube-api-server.js';

type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown> };

/** Every object of the YAML files under `dir`, with the namespace a server would give it. */
function objectsOf(dir: string): KubeObject[] {
  const files = (d: string): string[] => readdirSync(d).sort().flatMap((e) => {
    const full = join(d, e);
    return statSync(full).isDirectory() ? files(full) : e.endsWith('.yaml') ? [full] : [];
  });
  return files(dir).flatMap((f) => jsyaml.loadAll(readFileSync(f, 'utf8')) as unknown[])
    .filter((o): o is KubeObject => typeof o === 'object' && o !== null && 'kind' in o && 'apiVersion' in o)
    .map((o) => (o.kind === 'Namespace' || o.kind === 'PersistentVolume' || o.metadata.namespace !== undefined ? o : { ...o, metadata: { ...o.metadata, namespace: 'default' } }));
}

/** The objects as one manifest file, for the same run over files. */
function asFile(objects: readonly unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-cluster-'));
  const file = join(dir, 'objects.yaml');
  writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  return file;
}

const shop = objectsOf(join(import.meta.dirname, '../../examples/shop'));
const servers: FakeApiServer[] = [];
async function serve(options: FakeApiOptions): Promise<FakeApiServer> {
  const server = await startFakeApiServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('reading a live cluster', () => {
  it('gives exactly the connections the same objects give as files', async () => {
    const server = await serve({ objects: shop });
    for (const format of ['txt', 'json']) {
      const fromFiles = fakeIo();
      expect(await main(['connections', asFile(shop), '--format', format], fromFiles)).toBe(0);
      const fromCluster = fakeIo();
      expect(await main(['connections', '--kubeconfig', server.kubeconfig, '--format', format], fromCluster)).toBe(0);
      expect(fromCluster.out).toBe(fromFiles.out);
      // the same warnings, each naming the object it is about instead of a file position
      const withoutWhere = (err: string) => err.split('\n').map((l) => l.replace(/^\S+: (warning|error) /, '$1 '));
      expect(withoutWhere(fromCluster.err)).toEqual(withoutWhere(fromFiles.err));
      expect(fromCluster.err).toMatch(/^cluster:test-context\/Ingress\/checkout\/checkout-api: warning ingress\/controller-blocked: /);
      expect(fromCluster.out.length).toBeGreaterThan(1000);
    }
  });

  it('gives the same bytes whatever order the server lists the objects in', async () => {
    const outputs: string[] = [];
    for (const objects of [shop, [...shop].reverse()]) {
      const server = await serve({ objects, pageSize: 7 });
      const io = fakeIo();
      expect(await main(['connections', '--kubeconfig', server.kubeconfig, '--format', 'json', '--exposure'], io)).toBe(0);
      outputs.push(io.out);
    }
    expect(outputs[1]).toBe(outputs[0]);
  });

  it('sends only GETs, and never lists Secrets or ConfigMaps', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'card-key', namespace: 'payment' }, data: { key: 'c2VjcmV0' } };
    const server = await serve({ objects: [...shop, secret] });
    expect(await main(['connections', '--kubeconfig', server.kubeconfig], fakeIo())).toBe(0);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(server.requests.filter((r) => /secrets|configmaps/.test(r.path))).toEqual([]);
    expect(server.requests.some((r) => r.path.startsWith('/api/v1/pods?'))).toBe(true);
  });

  it('follows continue tokens when the server answers in pages', async () => {
    const pods = Array.from({ length: 23 }, (_, i) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${String(i).padStart(2, '0')}`, namespace: 'default', labels: { app: `a${i}` } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    }));
    const server = await serve({ objects: pods, pageSize: 5 });
    const io = fakeIo();
    expect(await main(['connections', '--cluster', '--kubeconfig', server.kubeconfig, '--open-pairs', 'summarize'], io)).toBe(0);
    expect(server.requests.filter((r) => r.path.startsWith('/api/v1/pods?')).length).toBe(5);
    expect(server.requests.some((r) => r.path.includes('continue='))).toBe(true);
    for (const pod of pods) expect(io.out).toContain(`default/${pod.metadata.name}[Pod]`);
    const fromFiles = fakeIo();
    await main(['connections', asFile(pods), '--open-pairs', 'summarize'], fromFiles);
    expect(io.out).toBe(fromFiles.out);
  });

  it('reports a kind it may not list (403) loudly as not evaluated, and no gate passes', async () => {
    const server = await serve({ objects: shop, forbidden: ['networkpolicies'] });
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig], io)).toBe(0);
    expect(io.err).toContain('cluster:test-context/NetworkPolicy: warning cluster/kind-not-read: cannot list networking.k8s.io/v1 NetworkPolicy (403 Forbidden: networkpolicies is forbidden: User');
    expect(io.err).toContain('NOT EVALUATED');
    const audit = fakeIo();
    expect(await main(['audit', '--kubeconfig', server.kubeconfig, '--fail-on', 'error'], audit)).toBe(1);
    expect(audit.out).toContain('error policy/not-evaluated: NetworkPolicy (networking.k8s.io/v1) could not be read (403 Forbidden');
    const expectations = join(mkdtempSync(join(tmpdir(), 'netdiagram-expect-')), 'expect.yaml');
    writeFileSync(expectations, 'expectations:\n  - name: the public reaches no card vault\n    from: { cidr: 0.0.0.0/0 }\n    to: app=card-vault\n    deny: all\n');
    const check = fakeIo();
    expect(await main(['check', '--kubeconfig', server.kubeconfig, '--expect', expectations], check)).toBe(2);
    expect(check.err).toContain('the expectations cannot pass: NOT EVALUATED: NetworkPolicy (networking.k8s.io/v1) could not be read (403 Forbidden');
  });

  it('lists no kind of an API group the server does not serve, and says nothing of it', async () => {
    const server = await serve({ objects: shop });
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig, '--verbose'], io)).toBe(0);
    expect(server.requests.some((r) => /cilium|calico|gateway|policy\.networking/.test(r.path))).toBe(false);
    expect(io.err).not.toMatch(/cilium|calico|gateway|not-read|not evaluated/i);
  });

  it('lists the CRD kinds the server serves: Cilium policies are read and evaluated under --cni cilium', async () => {
    const cnp = {
      apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'lock-payment', namespace: 'payment' },
      spec: { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'payment' } }] }] },
    };
    const server = await serve({ objects: [...shop, cnp] });
    const fromCluster = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig], fromCluster)).toBe(0);
    const fromFiles = fakeIo();
    expect(await main(['connections', asFile([...shop, cnp])], fromFiles)).toBe(0);
    expect(server.requests.some((r) => r.path.startsWith('/apis/cilium.io/v2/ciliumnetworkpolicies?'))).toBe(true);
    expect(fromCluster.out).toBe(fromFiles.out);
  });

  it('reports a group whose discovery fails: its kinds netdiagram reads are not evaluated, another group is named', async () => {
    const cnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'payment' }, spec: { endpointSelector: {} } };
    const other = { apiVersion: 'example.com/v1', kind: 'FirewallNetworkPolicy', metadata: { name: 'fw', namespace: 'payment' }, spec: {} };
    const server = await serve({ objects: [...shop, cnp, other], unavailable: ['cilium.io/v2', 'example.com/v1'] });
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig], io)).toBe(0);
    expect(io.err).toContain('cluster:test-context/CiliumNetworkPolicy.cilium.io: warning cluster/kind-not-read: cannot list cilium.io/v2 CiliumNetworkPolicy (discovery of cilium.io/v2 answered 503 Service Unavailable');
    expect(io.err).toContain('cluster:test-context: warning cluster/discovery-failed: the API group example.com/v1 could not be described (503 Service Unavailable');
    const check = fakeIo();
    const expectations = join(mkdtempSync(join(tmpdir(), 'netdiagram-expect-')), 'expect.yaml');
    writeFileSync(expectations, 'expectations:\n  - name: the public reaches no card vault\n    from: { cidr: 0.0.0.0/0 }\n    to: app=card-vault\n    deny: all\n');
    expect(await main(['check', '--kubeconfig', server.kubeconfig, '--expect', expectations], check)).toBe(2);
  });

  it('reports a policy CRD of another API as not evaluated, found through discovery', async () => {
    const other = { apiVersion: 'example.com/v1', kind: 'FirewallNetworkPolicy', metadata: { name: 'fw', namespace: 'payment' }, spec: {} };
    const server = await serve({ objects: [...shop, other] });
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig], io)).toBe(0);
    expect(io.err).toContain('cluster:test-context/FirewallNetworkPolicy.example.com/payment/fw: warning policy/not-evaluated');
  });

  it('reads Calico\'s own policies from its API server, but not its copies of the Kubernetes ones', async () => {
    const calico = (name: string) => ({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: 'payment' }, spec: { selector: 'all()', types: ['Ingress'] } });
    const server = await serve({ objects: [...shop, calico('lock-down'), calico('knp.default.default-deny')] });
    const read = await readCluster({ kubeconfig: server.kubeconfig, maxBytes: 1 << 30 }, fakeIo());
    expect(read.sources.map((s) => s.name).filter((n) => n.includes('projectcalico'))).toEqual(['cluster:test-context/NetworkPolicy.projectcalico.org/payment/lock-down']);
    expect(read.sources.map((s) => s.name)).toContain('cluster:test-context/NetworkPolicy/payment/default-deny');
    expect(read.unread).toEqual([]);
  });

  it('stops reading at the byte budget of a run, with an error', async () => {
    const server = await serve({ objects: shop });
    const read = await readCluster({ kubeconfig: server.kubeconfig, maxBytes: 20_000 }, fakeIo());
    expect(read.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['input/too-large']);
    expect(read.sources.reduce((sum, s) => sum + s.text.length, 0)).toBeLessThan(20_000);
  });

  it('reads one namespace with --namespace, and says that the others are left out', async () => {
    const server = await serve({ objects: shop });
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig, '-n', 'payment'], io)).toBe(0);
    expect(server.requests.some((r) => r.path.startsWith('/api/v1/namespaces/payment/pods?'))).toBe(true);
    expect(server.requests.some((r) => r.path.startsWith('/api/v1/namespaces?'))).toBe(true); // cluster-scoped kinds are read whole
    expect(io.err).toContain('warning cluster/one-namespace: only namespace payment was read');
    expect(io.out).not.toContain('storefront/');
  });

  it('stops with one line and exit 2 when the server cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netdiagram-kube-'));
    writeFileSync(join(dir, 'config'), kubeconfigText('http://127.0.0.1:9', 'test-token'));
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', join(dir, 'config')], io)).toBe(2);
    expect(io.err).toMatch(/^netdiagram: cannot reach the API server http:\/\/127\.0\.0\.1:9 of context "test-context": connect ECONNREFUSED[^\n]*\n$/);
  });

  it('stops with one line and exit 2 when the credentials are refused (401)', async () => {
    const server = await serve({ objects: shop, token: 'expired' });
    const io = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig], io)).toBe(2);
    expect(io.err).toMatch(/^netdiagram: the API server http:\/\/127\.0\.0\.1:\d+ of context "test-context" refused its credentials \(401 Unauthorized\)[^\n]*\n$/);
  });

  it('names a context the kubeconfig lacks, and reads the one --context names', async () => {
    const server = await serve({ objects: shop });
    const missing = fakeIo();
    expect(await main(['connections', '--kubeconfig', server.kubeconfig, '--context', 'prod'], missing)).toBe(2);
    expect(missing.err).toBe('netdiagram: the kubeconfig has no context "prod" (contexts: test-context)\n');
    const viaEnv = fakeIo({ KUBECONFIG: server.kubeconfig });
    expect(await main(['connections', '--context', 'test-context'], viaEnv)).toBe(0);
    expect(viaEnv.out).toContain('payment/');
  });

  it('asks for inputs when neither files nor --cluster are given', async () => {
    const io = fakeIo();
    expect(await main(['connections'], io)).toBe(2);
    expect(io.err).toBe('netdiagram: no inputs: name manifest files or directories, - for standard input, or read a live cluster with --cluster\n');
  });

  it('draws a progress line on a terminal, and clears it before the output', async () => {
    const server = await serve({ objects: shop, pageSize: 10 });
    const terminal = fakeIo();
    Object.assign(terminal, { stderrIsTerminal: true });
    expect(await main(['connections', '--kubeconfig', server.kubeconfig, '--ingress-controller', 'ingress-nginx'], terminal)).toBe(0);
    expect(terminal.err).toMatch(/^\r\u001b\[Knetdiagram: reading cluster:test-context: \d+ objects \(\w+\)/);
    expect(terminal.err.endsWith('\r\u001b[K')).toBe(true);
  });

  it('refuses the cluster options in an options file: the command line chooses the input', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'netdiagram-config-')), 'netdiagram.yaml');
    writeFileSync(config, 'context: prod\n');
    const io = fakeIo();
    expect(await main(['connections', asFile(shop), '--config', config], io)).toBe(2);
    expect(io.err).toContain('--context chooses the input, which the command line does');
  });

  it('names the cluster as the input of a diagram\'s title block', async () => {
    const server = await serve({ objects: shop });
    const io = fakeIo();
    expect(await main(['diagram', '--kubeconfig', server.kubeconfig, '--detail', 'namespace'], io)).toBe(0);
    expect(io.out).toMatch(/cluster:test-context \(\d+ objects\)/);
  });
});

describe('drift: diff --cluster', () => {
  it('reports no change when the cluster runs what the files say', async () => {
    const server = await serve({ objects: shop });
    const io = fakeIo();
    expect(await main(['diff', '--kubeconfig', server.kubeconfig, asFile(shop), '--fail-on-change'], io)).toBe(0);
    expect(io.out).toBe('no change in allowed flows\n');
  });

  it('reports the flows the cluster allows that the files do not, with diff\'s exit code', async () => {
    // someone applied a debugging policy by hand in the cluster, never committed to git
    const debug = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'debug-allow-all', namespace: 'payment' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
    };
    const live = [...shop, debug];
    const server = await serve({ objects: live });
    const io = fakeIo();
    expect(await main(['diff', '--cluster', '--kubeconfig', server.kubeconfig, asFile(shop), '--fail-on-change'], io)).toBe(1);
    // the cluster is the base: a flow only the cluster allows is one the files remove
    expect(io.out).toMatch(/^- /m);
    expect(io.out).toMatch(/\d+ added, \d+ removed, \d+ changed/);
    const json = fakeIo();
    await main(['diff', '--kubeconfig', server.kubeconfig, asFile(shop), '--format', 'json'], json);
    expect(JSON.parse(json.out).summary.removed).toBeGreaterThan(0);
  });

  it('needs the manifests to compare the cluster with', async () => {
    const server = await serve({ objects: shop });
    const io = fakeIo();
    expect(await main(['diff', '--kubeconfig', server.kubeconfig], io)).toBe(2);
    expect(io.err).toContain('diff --cluster compares the live cluster with manifests');
  });
});
