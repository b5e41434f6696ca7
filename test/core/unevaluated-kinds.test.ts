import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { auditCluster, buildTrafficGraph, computeScope, parseManifests, unevaluatedPolicyNotices } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { onlineBoutiqueDir, onlineBoutiqueSources } from '../pci/online-boutique.js';
import { fakeIo, tempDir } from '../pci/support.js';

/** Cilium's getting-started L3 policy: only checkoutservice may reach paymentservice. */
const CILIUM = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: payment-from-checkout
  namespace: default
spec:
  endpointSelector:
    matchLabels:
      app: paymentservice
  ingress:
  - fromEndpoints:
    - matchLabels:
        app: checkoutservice
`;

/** A Calico policy in the projectcalico.org/v3 API, which shares its kind with the Kubernetes one. */
const CALICO = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-tcp-6379
  namespace: default
spec:
  selector: app == 'redis-cart'
  types: [Ingress]
  ingress:
  - action: Allow
    protocol: TCP
    source:
      selector: app == 'cartservice'
    destination:
      ports: [6379]
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata:
  name: deny-egress
spec:
  selector: all()
  types: [Egress]
`;

const OTHERS = `apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: acnp}
spec: {}
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: mnp, namespace: default}
spec: {podSelector: {}}
`;

const parse = (...texts: string[]) => parseManifests([...onlineBoutiqueSources(), ...texts.map((text, i) => ({ name: `extra-${i}.yaml`, text }))]);

describe('policy kinds netdiagram does not evaluate', () => {
  it('gives one policy/not-evaluated warning per object, naming what it is, and no advice to rewrite a Calico policy', () => {
    const parsed = parse(CILIUM, CALICO);
    const notEvaluated = parsed.diagnostics.filter((d) => d.code === 'policy/not-evaluated');
    expect(notEvaluated.map((d) => d.message)).toEqual([
      'cilium.io/v2 CiliumNetworkPolicy default/payment-from-checkout is a Cilium policy, which netdiagram does not evaluate under the generic CNI profile (--cni cilium evaluates it): the allowed traffic shown may differ from what the cluster enforces',
      // both plugins' objects: the generic profile is used, and it names the profile that evaluates them
      'projectcalico.org/v3 NetworkPolicy default/allow-tcp-6379 is a Calico policy, which netdiagram does not evaluate under the generic CNI profile (--cni calico evaluates it): the allowed traffic shown may differ from what the cluster enforces',
      'crd.projectcalico.org/v1 GlobalNetworkPolicy deny-egress is a Calico policy, which netdiagram does not evaluate under the generic CNI profile (--cni calico evaluates it): the allowed traffic shown may differ from what the cluster enforces',
    ]);
    expect(notEvaluated.every((d) => d.severity === 'warning')).toBe(true);
    expect(notEvaluated[1]!.location).toMatchObject({ file: 'extra-1.yaml', line: 2 });
    expect(parsed.diagnostics.some((d) => d.code === 'k8s/unsupported-api-version')).toBe(false);
    expect(parsed.skippedKinds).toEqual([]);
    expect(parsed.cluster.policies.map((p) => p.id)).not.toContain('default/allow-tcp-6379');
  });

  it('reads a NetworkPolicy of any other API group as a policy of that API, and keeps the removed Kubernetes versions an error', () => {
    const parsed = parse('apiVersion: example.com/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: shop}\n---\napiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: old}\nspec: {podSelector: {}}\n');
    expect(parsed.diagnostics.filter((d) => d.location?.file === 'extra-0.yaml').map((d) => `${d.code}: ${d.message}`)).toEqual([
      'policy/not-evaluated: example.com/v1 NetworkPolicy shop/x is a policy of the API group example.com, which netdiagram does not evaluate yet: the allowed traffic shown may differ from what the cluster enforces',
      'k8s/unsupported-api-version: NetworkPolicy extensions/v1beta1 was removed in Kubernetes 1.16; rewrite it as networking.k8s.io/v1; object skipped',
    ]);
  });

  it('reports a Gateway API ListenerSet (listeners it adds to a Gateway are exposure not drawn), and check does not pass', async () => {
    const listenerSet = 'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: extra, namespace: edge}\nspec:\n  parentRef: {name: gw}\n  listeners: [{name: x, port: 8443, protocol: HTTPS}]\n';
    const parsed = parse(listenerSet);
    expect(parsed.unevaluated.map((u) => [u.kind, u.family, u.count])).toEqual([['ListenerSet', 'Gateway API', 1]]);
    expect(parsed.diagnostics.map((d) => `${d.code}: ${d.message}`)).toContain(
      'policy/not-evaluated: gateway.networking.k8s.io/v1 ListenerSet edge/extra is a Gateway API ListenerSet (listeners added to a Gateway), which netdiagram does not evaluate yet: the allowed traffic shown may differ from what the cluster enforces');
    const dir = tempDir();
    const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: edge, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n';
    const isolated = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: edge}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
    writeFileSync(join(dir, 'ls.yaml'), `${listenerSet}---\n${web}---\n${isolated}`);
    writeFileSync(join(dir, 'expect.yaml'), 'expectations:\n  - name: nothing reaches edge\n    from: { cidr: 0.0.0.0/0 }\n    to: { pods: app=web }\n    deny: all\n');
    const io = fakeIo();
    expect(await main(['check', join(dir, 'ls.yaml'), '--expect', join(dir, 'expect.yaml')], io)).toBe(2);
    expect(io.err).toContain('the expectations cannot pass: NOT EVALUATED: 1 ListenerSet (gateway.networking.k8s.io/v1, Gateway API)');
    // without the ListenerSet the same expectation holds
    writeFileSync(join(dir, 'ls.yaml'), `${web}---\n${isolated}`);
    expect(await main(['check', join(dir, 'ls.yaml'), '--expect', join(dir, 'expect.yaml')], fakeIo())).toBe(0);
  });

  it('groups the objects by apiVersion and kind in Parsed.unevaluated', () => {
    const parsed = parse(CILIUM, CALICO, OTHERS);
    expect(parsed.unevaluated.map((u) => [u.apiVersion, u.kind, u.family, u.count])).toEqual([
      ['cilium.io/v2', 'CiliumNetworkPolicy', 'Cilium', 1],
      ['crd.antrea.io/v1beta1', 'ClusterNetworkPolicy', 'Antrea', 1],
      ['crd.projectcalico.org/v1', 'GlobalNetworkPolicy', 'Calico', 1],
      ['k8s.cni.cncf.io/v1beta1', 'MultiNetworkPolicy', 'Multus', 1],
      ['projectcalico.org/v3', 'NetworkPolicy', 'Calico', 1],
    ]);
  });

  it('is an audit error finding per kind, and the isolation findings say such a policy may still select the workload', () => {
    const parsed = parse(CILIUM, CALICO);
    const graph = buildTrafficGraph(parsed.cluster);
    const findings = auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph), { unevaluated: parsed.unevaluated });
    const notEvaluated = findings.filter((f) => f.code === 'policy/not-evaluated');
    expect(notEvaluated.map((f) => [f.severity, f.message])).toEqual([
      ['error', '1 policy of kind CiliumNetworkPolicy (cilium.io/v2, Cilium) is not evaluated: the allowed traffic shown may differ from what the cluster enforces (default/payment-from-checkout)'],
      ['error', '1 policy of kind NetworkPolicy (projectcalico.org/v3, Calico) is not evaluated: the allowed traffic shown may differ from what the cluster enforces (default/allow-tcp-6379)'],
      ['error', '1 policy of kind GlobalNetworkPolicy (crd.projectcalico.org/v1, Calico) is not evaluated: the allowed traffic shown may differ from what the cluster enforces (deny-egress)'],
    ]);
    expect(notEvaluated[0]!.requirements).toEqual(['1.2.3', '1.2.4', '1.2.7']);
  });

  it('gives title-block notices, and none for an input without such policies', () => {
    // under the generic profile (the cilium one evaluates it)
    const generic = parseManifests([...onlineBoutiqueSources(), { name: 'extra-0.yaml', text: CILIUM }], { cni: 'generic' });
    expect(unevaluatedPolicyNotices(generic)).toEqual([
      'NOT EVALUATED: 1 CiliumNetworkPolicy (cilium.io/v2, Cilium); the allowed traffic shown may differ from what the cluster enforces',
    ]);
    expect(unevaluatedPolicyNotices(parse())).toEqual([]);
  });
});

describe('the CLI on a Cilium and a Calico policy', () => {
  const dir = () => onlineBoutiqueDir({ 'cilium.yaml': CILIUM, 'calico.yaml': CALICO });

  it('prints the warnings without --verbose', async () => {
    const io = fakeIo();
    expect(await main(['connections', dir()], io)).toBe(0);
    expect(io.err).toContain('warning policy/not-evaluated: cilium.io/v2 CiliumNetworkPolicy default/payment-from-checkout is a Cilium policy');
    expect(io.err).toContain('warning policy/not-evaluated: projectcalico.org/v3 NetworkPolicy default/allow-tcp-6379 is a Calico policy');
  });

  it('fails audit --fail-on error with the policy/not-evaluated finding', async () => {
    const io = fakeIo();
    expect(await main(['audit', dir(), '--cde', 'app=paymentservice', '--fail-on', 'error', '-f', 'json'], io)).toBe(1);
    const codes = JSON.parse(io.out).findings.filter((f: { code: string }) => f.code === 'policy/not-evaluated');
    expect(codes).toHaveLength(3);
  });

  it('states it in the title block of the diagram and of the diff diagram', async () => {
    const out = join(tempDir(), 'd.svg');
    expect(await main(['diagram', dir(), '-o', out, '--no-commit'], fakeIo())).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('NOT EVALUATED: 1 CiliumNetworkPolicy (cilium.io/v2, Cilium); the allowed traffic shown may differ from what the cluster enforces');
    expect(svg).toContain('NOT EVALUATED: 1 NetworkPolicy (projectcalico.org/v3, Calico)');
    const io = fakeIo();
    expect(await main(['diff', onlineBoutiqueDir(), dir(), '-f', 'svg'], io)).toBe(0);
    expect(io.out).toContain('NOT EVALUATED: 1 CiliumNetworkPolicy (cilium.io/v2, Cilium)');
  });

  it('never lets a gate pass: diff --fail-on-cde-change and check exit 2 where a Cilium policy may open the CDE', async () => {
    const io = fakeIo();
    expect(await main(['diff', onlineBoutiqueDir(), onlineBoutiqueDir({ 'cilium.yaml': CILIUM }), '--cde', 'app=paymentservice', '--fail-on-cde-change', '--cni', 'generic'], io)).toBe(2);
    expect(io.err).toContain('netdiagram: diff: the gate cannot pass: NOT EVALUATED: 1 CiliumNetworkPolicy (cilium.io/v2, Cilium)');
    const expectations = join(tempDir(), 'e.yaml');
    writeFileSync(expectations, 'expectations:\n  - from: app=frontend\n    to: app=paymentservice\n    deny: all\n');
    const checked = fakeIo();
    expect(await main(['check', dir(), '--expect', expectations], checked)).toBe(2);
    expect(checked.err).toContain('netdiagram: check: the expectations cannot pass: NOT EVALUATED: 1 CiliumNetworkPolicy');
  });
});

describe('the CNI profile', () => {
  const calicoOnly = [{ name: 'calico.yaml', text: CALICO }];
  it('is inferred from the one plugin whose objects the input holds, and says so', () => {
    const parsed = parseManifests(calicoOnly);
    expect(parsed.cni).toEqual({ name: 'calico', chosen: 'inferred', reason: 'the input has 2 Calico objects' });
    expect(parsed.diagnostics.filter((d) => d.code === 'cni/inferred').map((d) => d.message)).toEqual([
      'judged for the CNI profile calico (inferred: the input has 2 Calico objects); choose another with --cni calico|cilium|generic',
    ]);
  });

  it('stays generic when both Calico and Cilium objects are present, and says why', () => {
    const parsed = parseManifests([...calicoOnly, { name: 'cilium.yaml', text: CILIUM }]);
    expect(parsed.cni.name).toBe('generic');
    expect(parsed.cni.reason).toContain('both Calico and Cilium');
  });

  it('is the one asked for, silently, and generic without plugin objects', () => {
    expect(parseManifests(calicoOnly, { cni: 'generic' }).cni).toEqual({ name: 'generic', chosen: 'option' });
    expect(parseManifests(calicoOnly, { cni: 'generic' }).diagnostics.some((d) => d.code === 'cni/inferred')).toBe(false);
    expect(parseManifests([{ name: 'a.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' }]).cni).toEqual({ name: 'generic', chosen: 'default' });
  });

  it('is refused on the command line when unknown, and named in the title block when not the default', async () => {
    const io = fakeIo();
    expect(await main(['connections', onlineBoutiqueDir(), '--cni', 'weave'], io)).toBe(2);
    expect(io.err).toContain('--cni "weave" is not a CNI profile (calico, cilium or generic)');
    const svgIo = fakeIo();
    await main(['diagram', onlineBoutiqueDir({ 'calico.yaml': CALICO }), '--format', 'svg', '--no-commit'], svgIo);
    expect(svgIo.out).toContain('CNI profile');
    expect(svgIo.out).toContain('calico (inferred: the input has 2 Calico objects)');
  });
});
