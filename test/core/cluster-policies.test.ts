import { auditCluster, buildTrafficGraph, computeExposure, computeScope, explainTraffic, formatExposurePorts, formatPeer } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, flowsOf, namespace, pod, policy } from '../support/analyse.js';

// ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1), as
// the doc comments of sigs.k8s.io/network-policy-api apis/v1alpha2 and apis/v1alpha1 define them.

const A = 'x/a[Pod]';
const B = 'x/b[Pod]';
const C = 'y/c[Pod]';
const pods = [
  namespace('x', { team: 'x' }), namespace('y', { team: 'y' }),
  pod('x', 'a', { app: 'a' }), pod('x', 'b', { app: 'b' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
  pod('y', 'c', { app: 'c' }, [{ name: 'http', containerPort: 80 }]),
];
const cnp = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
const anp = (name: string, spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec });
const banp = (spec: Record<string, unknown>, name = 'default') =>
  JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec });
const ns = (name: string) => ({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const podsIn = (namespace: string, app: string) => ({ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: { app } } } });
const tcp = (number: number) => ({ tcp: { destinationPort: { number } } });
const allowAll = policy('x', 'allow-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });
const denyAll = policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] });

describe('tier order: Admin, then NetworkPolicy, then Baseline, then the default', () => {
  it('lets an Admin Deny override a NetworkPolicy that allows', () => {
    const flows = flowsOf(docs(...pods, allowAll, cnp('deny-y', { tier: 'Admin', priority: 1, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] })));
    expect(flows.has(`${C} => ${A}`)).toBe(false);
    expect(flows.get(`${B} => ${A}`)).toBe('All Connections');
  });
  it('lets an Admin Accept override a NetworkPolicy that denies, on its ports only', () => {
    const flows = flowsOf(docs(...pods, denyAll, cnp('accept-y', { tier: 'Admin', priority: 1, subject: ns('x'), ingress: [{ action: 'Accept', from: [ns('y')], protocols: [tcp(8080)] }] })));
    expect(flows.get(`${C} => ${B}`)).toBe('TCP 8080');
    expect(flows.has(`${A} => ${B}`)).toBe(false);
  });
  it('lets a NetworkPolicy that isolates a pod decide before the Baseline tier, which decides only for pods no NetworkPolicy isolates', () => {
    const baseline = cnp('deny-y', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [ns('y')] }] });
    const flows = flowsOf(docs(...pods, allowAll, baseline));
    expect(flows.get(`${C} => ${A}`)).toBe('All Connections'); // x is isolated by allow-all
    expect(flowsOf(docs(...pods, baseline)).has(`${C} => ${A}`)).toBe(false);
  });
  it('judges isolation per direction: an egress-only NetworkPolicy leaves ingress to the Baseline tier', () => {
    const egressOnly = policy('x', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const flows = flowsOf(docs(...pods, egressOnly, banp({ subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] })));
    expect(flows.has(`${C} => ${A}`)).toBe(false);
  });
  it('takes the first matching rule per port: policies by priority, rules in written order', () => {
    const flows = flowsOf(docs(...pods,
      cnp('later', { tier: 'Admin', priority: 20, subject: ns('x'), ingress: [{ action: 'Accept', from: [ns('y')] }] }),
      cnp('first', { tier: 'Admin', priority: 10, subject: ns('x'), ingress: [
        { action: 'Deny', from: [ns('y')], protocols: [tcp(80)] },
        { action: 'Accept', from: [ns('y')], protocols: [tcp(80), tcp(8080)] },
      ] })));
    // TCP 80: denied by the first rule of the first policy; every other port accepted by a rule after it
    expect(flows.get(`${C} => ${B}`)).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    const explained = explainTraffic(analyse(docs(...pods,
      cnp('first', { tier: 'Admin', priority: 10, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')], protocols: [tcp(80)] }, { action: 'Accept', from: [ns('y')], protocols: [tcp(80), tcp(8080)] }] }))).parsed.cluster,
      { from: C, to: B, ports: ['80/TCP', '8080/TCP'] });
    if (!explained.ok) throw new Error(explained.reason);
    expect(explained.explanation.pairs[0]!.ports.map((p) => [p.port, p.allowed])).toEqual([['TCP 80', false], ['TCP 8080', true]]);
  });
});

describe('priority ties', () => {
  it('are evaluated in name order, whatever the file order, so the output is stable', () => {
    const accept = cnp('a-accept', { tier: 'Admin', priority: 5, subject: ns('x'), ingress: [{ action: 'Accept', from: [ns('y')] }] });
    const deny = cnp('b-deny', { tier: 'Admin', priority: 5, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] });
    expect(flowsOf(docs(...pods, denyAll, deny, accept)).get(`${C} => ${A}`)).toBe('All Connections');
    expect(flowsOf(docs(...pods, denyAll, accept, deny)).get(`${C} => ${A}`)).toBe('All Connections');
    const renamed = cnp('0-deny', { tier: 'Admin', priority: 5, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] });
    expect(flowsOf(docs(...pods, denyAll, accept, renamed)).has(`${C} => ${A}`)).toBe(false);
  });
});

describe('Pass', () => {
  const pass = cnp('pass-y', { tier: 'Admin', priority: 1, subject: ns('x'), ingress: [{ action: 'Pass', from: [ns('y')] }, { action: 'Deny', from: [ns('y')] }] });
  it('skips the rest of the Admin tier and hands the decision to the NetworkPolicies', () => {
    expect(flowsOf(docs(...pods, allowAll, pass)).get(`${C} => ${A}`)).toBe('All Connections');
    expect(flowsOf(docs(...pods, denyAll, pass)).has(`${C} => ${A}`)).toBe(false);
  });
  it('reaches the Baseline tier for a pod no NetworkPolicy isolates, and the default after it', () => {
    const baselineDeny = banp({ subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] });
    expect(flowsOf(docs(...pods, pass, baselineDeny)).has(`${C} => ${A}`)).toBe(false);
    expect(flowsOf(docs(...pods, pass)).get(`${C} => ${A}`)).toBe('All Connections');
  });
});

describe('both directions', () => {
  it('still needs the destination ingress to allow an egress Accept', () => {
    const accept = cnp('egress-to-y', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [{ action: 'Accept', to: [ns('y')] }] });
    const yDeny = policy('y', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(flowsOf(docs(...pods, accept, yDeny)).has(`${A} => ${C}`)).toBe(false);
    expect(flowsOf(docs(...pods, accept)).get(`${A} => ${C}`)).toBe('All Connections');
  });
  it('never decides traffic from outside the cluster: ingress peers are pods only', () => {
    const { json } = analyse(docs(...pods, cnp('deny-all-pods', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] })));
    const fromOutside = json.connections.filter((c) => c.to === A && !c.from.endsWith('[Pod]'));
    expect(fromOutside.map((c) => c.ports)).toEqual(['all']);
    expect(json.connections.filter((c) => c.to === A && c.from.endsWith('[Pod]'))).toEqual([]);
  });
});

describe('networks peers', () => {
  const denyInternet = cnp('deny-internet', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] });
  it('match outside addresses, and without --pod-cidr no pod, with a warning that says so', () => {
    const { parsed, graph, json } = analyse(docs(...pods, denyInternet));
    expect(json.connections.filter((c) => c.from === A).map((c) => c.to).sort()).toEqual([B, C, 'ipblock:::/0'].sort());
    expect(graph.getAttribute('diagnostics').map((d) => d.code)).toContain('cnp/networks-outside-only');
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('match pods too once the pod CIDR is known, as the API says ("deny all IPv4 pod-to-pod traffic as well")', () => {
    const flows = flowsOf(docs(...pods, denyInternet), { podCidrs: ['10.0.0.0/16'] });
    expect(flows.has(`${A} => ${C}`)).toBe(false);
    expect(flows.has(`${A} => ${B}`)).toBe(false);
    expect(flows.get(`${C} => ${A}`)).toBe('All Connections'); // c is in y, which the policy does not select
  });
});

describe('named ports', () => {
  it('resolve against the destination pod, whatever its protocol, in both API versions', () => {
    const v2 = cnp('named', { tier: 'Admin', priority: 1, subject: ns('y'), egress: [{ action: 'Accept', to: [podsIn('x', 'b')], protocols: [{ destinationNamedPort: 'dns' }] }, { action: 'Deny', to: [podsIn('x', 'b')] }] });
    const v1 = anp('named', { priority: 1, subject: ns('y'), egress: [{ action: 'Allow', to: [podsIn('x', 'b')], ports: [{ namedPort: 'dns' }] }, { action: 'Deny', to: [podsIn('x', 'b')] }] });
    expect(flowsOf(docs(...pods, v2)).get(`${C} => ${B}`)).toBe('UDP 53');
    expect(flowsOf(docs(...pods, v1)).get(`${C} => ${B}`)).toBe('UDP 53');
  });
});

describe('v1alpha1 and v1alpha2', () => {
  it('give the same graph for the same policies', () => {
    const v2 = [
      cnp('guard', { tier: 'Admin', priority: 5, subject: ns('x'), ingress: [{ name: 'r', action: 'Deny', from: [podsIn('y', 'c')], protocols: [{ udp: { destinationPort: { range: { start: 50, end: 60 } } } }, tcp(8080)] }] }),
      cnp('default', { tier: 'Baseline', priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [ns('y')] }] }),
    ];
    const v1 = [
      anp('guard', { priority: 5, subject: ns('x'), ingress: [{ name: 'r', action: 'Deny', from: [podsIn('y', 'c')], ports: [{ portRange: { protocol: 'UDP', start: 50, end: 60 } }, { portNumber: { protocol: 'TCP', port: 8080 } }] }] }),
      banp({ subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [ns('y')] }] }),
    ];
    const strip = (via: readonly string[]) => via.map((v) => v.replace(/^(cnp|anp|banp):/, 'x:'));
    const of = (texts: string[]) => analyse(docs(...pods, ...texts)).json.connections.map((c) => ({ ...c, via: strip(c.via) }));
    expect(of(v1)).toEqual(of(v2));
    expect(of(v2).find((c) => c.from === C && c.to === B)?.ports).not.toBe('all');
  });
});

describe('domainNames peers', () => {
  const stripe = (action = 'Accept') => ({ action, to: [{ domainNames: ['api.stripe.com'] }], protocols: [tcp(443)] });
  const noInternet = { action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] };
  it('are a destination of their own, named, never resolved, reached on the ports an Admin Accept opens', () => {
    const { json } = analyse(docs(...pods, cnp('egress', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [stripe(), noInternet] })));
    expect(json.endpoints.find((e) => e.id === 'dns:api.stripe.com')).toEqual({ id: 'dns:api.stripe.com', type: 'external', ips: [], name: 'DNS names api.stripe.com', domains: ['api.stripe.com'] });
    const toStripe = json.connections.filter((c) => c.to === 'dns:api.stripe.com');
    expect(toStripe.map((c) => [c.from, c.ports, c.via, c.partial === true])).toEqual([
      [A, [{ protocol: 'TCP', port: 443 }], ['cnp:egress#egress[0]'], false],
      [B, [{ protocol: 'TCP', port: 443 }], ['cnp:egress#egress[0]'], false],
    ]);
    // the Deny after it closes every address, which the names' addresses are among only through the Accept
    expect(json.connections.filter((c) => c.from === A && c.to.startsWith('ipblock:'))).toEqual([]);
  });
  it('give no flow where an earlier rule denies every address, and a partial one where an earlier rule may hold the names\' addresses', () => {
    const first = analyse(docs(...pods, cnp('egress', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [noInternet, stripe()] }))).json;
    expect(first.connections.filter((c) => c.to.startsWith('dns:'))).toEqual([]);
    const some = analyse(docs(...pods, cnp('egress', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [{ action: 'Deny', to: [{ networks: ['54.0.0.0/8'] }] }, stripe()] }))).json;
    expect(some.connections.filter((c) => c.to.startsWith('dns:')).map((c) => c.partial)).toEqual([true, true]);
  });
  it('in the Baseline tier apply only to pods no NetworkPolicy isolates for egress', () => {
    const baseline = cnp('base', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, egress: [stripe()] });
    const isolated = policy('x', 'egress', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'] });
    const { json } = analyse(docs(...pods, isolated, baseline));
    expect(json.connections.filter((c) => c.to.startsWith('dns:')).map((c) => c.from)).toEqual([B, C]);
  });
});

describe('host-network pods', () => {
  it('are neither subjects nor pod peers of cluster-wide policies', () => {
    const host = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'h', namespace: 'y', labels: { app: 'c' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } });
    const flows = flowsOf(docs(...pods, host, cnp('deny-y', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [ns('y')] }] })));
    expect(flows.has(`${C} => ${A}`)).toBe(false);
    expect(flows.get(`y/h[Pod] => ${A}`)).toBe('All Connections');
    expect(flows.get(`${A} => y/h[Pod]`)).toBe('All Connections');
    // nor do networks peers match them: a host-network pod has its node's address, not a pod CIDR's
    const networks = flowsOf(docs(...pods, host, cnp('deny-pods', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [{ action: 'Deny', to: [{ networks: ['10.244.0.0/16'] }] }] })), { podCidrs: ['10.244.0.0/16'] });
    expect(networks.has(`${A} => ${C}`)).toBe(false);
    expect(networks.get(`${A} => y/h[Pod]`)).toBe('All Connections');
  });
});

describe('validation, as the CRDs validate', () => {
  const errorsOf = (text: string) => analyse(docs(...pods, text)).parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.location?.line}:${d.location?.column} ${d.code}: ${d.message}`);
  it.each([
    ['tcp without a destinationPort', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }], protocols: [{ tcp: {} }] }] }), 'tcp needs a destinationPort'],
    ['a range whose start is not below its end', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 80 } } } }] }] }), 'must be less than end port'],
    ['a priority over 1000', cnp('p', { tier: 'Admin', priority: 1001, subject: { namespaces: {} } }), 'priority 1001'],
    ['no tier', cnp('p', { priority: 1, subject: { namespaces: {} } }), 'spec.tier is required'],
    ['a subject with both fields', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {}, pods: { podSelector: {} } } }), 'exactly one of namespaces, pods'],
    ['a peer with no field', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{}] }] }), 'exactly one of namespaces, pods'],
    ['an egress-only peer in ingress', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ networks: ['10.0.0.0/8'] }] }] }), 'networks'],
    ['a named port beside networks', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Accept', to: [{ networks: ['10.0.0.0/8'] }], protocols: [{ destinationNamedPort: 'http' }] }] }), 'named port cannot be used'],
    ['v1alpha1 Accept', anp('p', { priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] }), 'action "Accept" must be one of "Allow", "Deny", "Pass"'],
    ['a v1alpha1 protocol other than TCP, UDP and SCTP', anp('p', { priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'tcp', port: 80 } }] }] }), 'cannot evaluate the policy'],
    ['a v1alpha1 pods peer without podSelector', anp('p', { priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ pods: { namespaceSelector: {} } }] }] }), 'pods needs a podSelector'],
    ['a BaselineAdminNetworkPolicy not named default', banp({ subject: { namespaces: {} } }, 'mine'), 'must be named "default"'],
    ['Pass in a BaselineAdminNetworkPolicy', banp({ subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] }), 'action "Pass" must be one of "Allow", "Deny"'],
    ['26 rules in a ClusterNetworkPolicy', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: Array.from({ length: 26 }, () => ({ action: 'Deny', from: [{ namespaces: {} }] })) }), 'at most 25'],
    ['an invalid CIDR', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/33'] }] }] }), 'is not a valid CIDR'],
    ['a ClusterNetworkPolicy in v1alpha1', JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'ClusterNetworkPolicy', metadata: { name: 'p' }, spec: {} }), 'rewrite it as policy.networking.k8s.io/v1alpha2'],
    ['an unknown field', cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingres: [] }), 'unknown field'],
  ])('refuses %s with an error at its position, and leaves the policy out', (_what, text, message) => {
    const errors = errorsOf(text);
    expect(errors.some((e) => e.includes(message))).toBe(true);
    expect(errors.every((e) => /^\d+:\d+ /.test(e))).toBe(true);
    expect(analyse(docs(...pods, text)).parsed.cluster.clusterPolicies ?? []).toEqual([]);
  });
  it('keeps what the API server accepts although the doc comments advise against it, with a warning', () => {
    const dn = analyse(docs(...pods, cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ domainNames: ['example.com'] }] }] })));
    expect(dn.parsed.cluster.clusterPolicies?.length).toBe(1);
    expect(dn.parsed.diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain('warning cnp/domains-not-resolved');
    // v1alpha1 does not order a range: one port is start = end, and start > end matches nothing
    const range = (start: number, end: number) => anp('p', { priority: 1, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')], ports: [{ portRange: { protocol: 'TCP', start, end } }] }] });
    expect(flowsOf(docs(...pods, range(80, 80))).get(`${C} => ${A}`)).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    const backwards = analyse(docs(...pods, range(90, 80)));
    expect(backwards.parsed.diagnostics.map((d) => d.code)).toContain('cnp/empty-port-range');
    expect(flowsOf(docs(...pods, range(90, 80))).get(`${C} => ${A}`)).toBe('All Connections');
  });
  it('fails closed on a peer of another API version kept by --lenient: an Accept matches nothing, a Deny every peer', () => {
    const rule = (action: string) => cnp('p', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [{ action, to: [{ serviceAccounts: { name: 'x' } }] }] });
    const deny = analyse(docs(...pods, policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }), rule('Deny')), { lenient: true });
    expect(deny.parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(deny.parsed.diagnostics.map((d) => d.code)).toContain('cnp/unknown-peer');
    expect(deny.json.connections.filter((c) => c.from === A)).toEqual([]);
    const accept = analyse(docs(...pods, policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }), rule('Accept')), { lenient: true });
    expect(accept.json.connections.filter((c) => c.from === A)).toEqual([]);
    const open = analyse(docs(...pods, rule('Accept')), { lenient: true });
    expect(open.json.connections.filter((c) => c.from === A).length).toBeGreaterThan(0);
  });
  it('is evaluated, not reported as a kind netdiagram does not evaluate', () => {
    const { parsed } = analyse(docs(...pods, cnp('p', { tier: 'Admin', priority: 1, subject: { namespaces: {} } })));
    expect(parsed.unevaluated).toEqual([]);
    expect(parsed.diagnostics.map((d) => d.code)).not.toContain('policy/not-evaluated');
  });
});

describe('explain', () => {
  it('says which tier decided and that it was before any NetworkPolicy', () => {
    const { parsed } = analyse(docs(...pods, allowAll, cnp('deny-y', { tier: 'Admin', priority: 1, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] })));
    const explained = explainTraffic(parsed.cluster, { from: C, to: A });
    if (!explained.ok) throw new Error(explained.reason);
    const ingress = explained.explanation.pairs[0]!.directions.find((d) => d.direction === 'ingress')!;
    expect(ingress.summary).toContain('denied by Admin rule cnp:deny-y#ingress[0] on All Connections, before any NetworkPolicy');
    expect(ingress.summary).toContain('its NetworkPolicies (x/allow-all) are not consulted');
    expect(explained.explanation.allowed).toBe(false);
  });
});

describe('audit', () => {
  const audit = (...texts: string[]) => {
    const { parsed } = analyse(docs(...pods, ...texts));
    const graph = buildTrafficGraph(parsed.cluster);
    return auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph));
  };
  it('reports two policies of one tier and priority that decide the same traffic as an error naming both', () => {
    const findings = audit(
      cnp('one', { tier: 'Admin', priority: 7, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] }),
      cnp('two', { tier: 'Admin', priority: 7, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: [podsIn('y', 'c')] }] }),
      cnp('three', { tier: 'Admin', priority: 8, subject: ns('x'), ingress: [{ action: 'Accept', from: [ns('y')] }] }));
    const ambiguous = findings.filter((f) => f.code === 'cnp/ambiguous-priority');
    expect(ambiguous.map((f) => [f.severity, f.object])).toEqual([['error', 'one[ClusterNetworkPolicy]']]);
    expect(ambiguous[0]!.message).toContain('ClusterNetworkPolicy two');
  });
  it('names the cluster-wide policies that decide a namespace\'s traffic in its no-default-deny findings', () => {
    const findings = audit(cnp('closed', { tier: 'Baseline', priority: 1, subject: ns('y'), ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }));
    const y = findings.filter((f) => f.object === 'y[Namespace]').map((f) => f.message);
    expect(y).toContain('namespace y has no default-deny ingress policy (podSelector: {}, policyTypes: [Ingress], no ingress rules); cluster-wide policies also decide its ingress (cnp:closed)');
    expect(y).toContain('namespace y has no default-deny egress policy (podSelector: {}, policyTypes: [Egress], no egress rules)');
  });
  it('finds NetworkPolicy rules an Admin rule overrides, Pass rules that pass to nothing, and Baseline policies no pod reaches', () => {
    const fromY = policy('x', 'from-y', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }] });
    const findings = audit(fromY, allowAll,
      cnp('deny-y', { tier: 'Admin', priority: 1, subject: ns('x'), ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      cnp('pass', { tier: 'Admin', priority: 2, subject: ns('y'), ingress: [{ action: 'Pass', from: [ns('x')] }] }),
      cnp('base', { tier: 'Baseline', priority: 1, subject: ns('x'), ingress: [{ action: 'Deny', from: [ns('y')] }] }));
    expect(findings.filter((f) => f.code.startsWith('cnp/')).map((f) => [f.code, f.object]).sort()).toEqual([
      // allow-all's rule also admits outside addresses, which no cluster-wide rule decides: it is not reported
      ['cnp/allow-overridden', 'x/from-y[NetworkPolicy]'],
      ['cnp/baseline-shadowed', 'base[ClusterNetworkPolicy]'],
      ['cnp/pass-to-nothing', 'pass[ClusterNetworkPolicy]'],
    ]);
  });
});

describe('exposure', () => {
  const exposureOf = (...texts: string[]) => computeExposure(analyse(docs(...pods, ...texts)).parsed.cluster);
  const rowText = (r: ReturnType<typeof computeExposure>['rows'][number]) => `${r.direction} ${r.workload} ${formatPeer(r.peer)} ${formatExposurePorts(r.ports)}`;
  it('lists the peers an Admin rule admits for a workload its NetworkPolicies otherwise close', () => {
    const exposure = exposureOf(denyAll, cnp('from-z', { tier: 'Admin', priority: 1, subject: ns('x'), ingress: [{ action: 'Accept', from: [{ namespaces: { matchLabels: { house: 'z' } } }], protocols: [tcp(80)] }] }));
    expect(exposure.rows.filter((r) => r.workload === A && r.direction === 'ingress').map(rowText)).toEqual([`ingress ${A} [namespace with {house=z}]/[all pods] TCP 80`]);
    expect(exposure.unprotected.filter((u) => u.workload === A)).toEqual([{ workload: A, direction: 'egress' }]);
  });
  it('lets a networks peer that covers the pod CIDRs speak for every pod, as connections does', () => {
    const text = docs(...pods, cnp('no-pods', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] }] }));
    const rows = (podCidrs: string[]) => computeExposure(analyse(text).parsed.cluster, { podCidrs }).rows.filter((r) => r.workload === A && r.direction === 'egress').map(rowText);
    expect(rows([])).toEqual([`egress ${A} entire-cluster All Connections`]);
    expect(rows(['10.244.0.0/16'])).toEqual([]);
  });
  it('says what a narrower Deny takes from a wider Accept, and that a workload a cluster-wide policy selects is not unprotected', () => {
    const exposure = exposureOf(cnp('guard', { tier: 'Admin', priority: 1, subject: ns('x'), egress: [
      { action: 'Deny', to: [{ namespaces: { matchLabels: { house: 'z' } } }], protocols: [tcp(9090)] },
      { action: 'Deny', to: [{ namespaces: { matchLabels: { house: 'w' } } }] },
      { action: 'Accept', to: [{ namespaces: {} }] },
    ] }));
    expect(exposure.rows.filter((r) => r.workload === A && r.direction === 'egress').map(rowText)).toEqual([
      `egress ${A} entire-cluster All Connections`,
      `egress ${A} [namespace with {house=w}]/[all pods] No Connections`,
      `egress ${A} [namespace with {house=z}]/[all pods] SCTP 1-65535,TCP 1-9089,9091-65535,UDP 1-65535`,
    ]);
    expect(exposure.unprotected.filter((u) => u.workload === A)).toEqual([{ workload: A, direction: 'ingress' }]);
  });
});
