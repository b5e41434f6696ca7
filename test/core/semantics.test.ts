import { describe, expect, it } from 'vitest';
import { analyse, docs, flowsOf, namespace, pod, policy } from '../support/analyse.js';

const A = 'x/a[Pod]';
const B = 'x/b[Pod]';
const twoPods = [namespace('x'), pod('x', 'a', { app: 'a' }), pod('x', 'b', { app: 'b' }, [{ name: 'http', containerPort: 8080 }])];

describe('1. policy selection', () => {
  it('selects pods in its own namespace by podSelector', () => {
    const flows = flowsOf(docs(...twoPods, namespace('y'), pod('y', 'b', { app: 'b' }),
      policy('x', 'deny-b', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] })));
    expect(flows.has(`${A} => ${B}`)).toBe(false);
    expect(flows.get(`${A} => y/b[Pod]`)).toBe('All Connections'); // same labels, other namespace: not selected
    expect(flows.get(`${B} => ${A}`)).toBe('All Connections');
  });
  it('treats an empty podSelector as selecting every pod of the namespace', () => {
    const flows = flowsOf(docs(...twoPods, policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })));
    expect(flows.has(`${A} => ${B}`)).toBe(false);
    expect(flows.has(`${B} => ${A}`)).toBe(false);
  });
});

describe('2. policyTypes defaults', () => {
  it('isolates ingress only when policyTypes is absent and there are no egress rules', () => {
    const flows = flowsOf(docs(...twoPods, policy('x', 'p', { podSelector: { matchLabels: { app: 'a' } } })));
    expect(flows.has(`${B} => ${A}`)).toBe(false);
    expect(flows.get(`${A} => ${B}`)).toBe('All Connections');
  });
  it('isolates egress too when policyTypes is absent and egress rules exist', () => {
    const flows = flowsOf(docs(...twoPods, namespace('y'), pod('y', 'c', { app: 'c' }),
      policy('x', 'p', { podSelector: { matchLabels: { app: 'a' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }] }] })));
    expect(flows.get(`${A} => ${B}`)).toBe('All Connections');
    expect(flows.has(`${A} => y/c[Pod]`)).toBe(false);
    expect(flows.has(`${B} => ${A}`)).toBe(false); // ingress isolated as well, with no rules
  });
  it('does not isolate egress for an empty egress list without policyTypes', () => {
    const flows = flowsOf(docs(...twoPods, policy('x', 'p', { podSelector: { matchLabels: { app: 'a' } }, egress: [] })));
    expect(flows.get(`${A} => ${B}`)).toBe('All Connections');
  });
});

describe('3. isolation and the union of rules', () => {
  it('allows everything for a pod no policy selects (implicit default-allow)', () => {
    const { json } = analyse(docs(...twoPods));
    const ab = json.connections.find((c) => c.from === A && c.to === B);
    expect(ab?.ports).toBe('all');
    expect(ab?.via).toEqual(['default-allow:egress', 'default-allow:ingress']);
  });
  it('allows the union of the rules of every policy that selects the pod', () => {
    const flows = flowsOf(docs(...twoPods,
      policy('x', 'p1', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 80 }] }] }),
      policy('x', 'p2', { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] })));
    expect(flows.get(`${A} => ${B}`)).toBe('TCP 80,443');
    expect(flows.get(`${B} => ${A}`)).toBe('TCP 443');
  });
});

describe('4. both directions must allow', () => {
  it('requires the source egress and the destination ingress to allow the port', () => {
    const flows = flowsOf(docs(...twoPods,
      policy('x', 'a-out', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }, { port: 81 }] }] }),
      policy('x', 'b-in', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 81 }, { port: 82 }] }] })));
    expect(flows.get(`${A} => ${B}`)).toBe('TCP 81');
  });
  it('leaves a workload\'s traffic to itself out of the connections', () => {
    const { json } = analyse(docs(...twoPods));
    expect(json.connections.some((c) => c.from === c.to)).toBe(false);
  });
});

describe('5. absent and empty rule parts', () => {
  it('treats absent from as every peer, including outside addresses', () => {
    const flows = flowsOf(docs(...twoPods, policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 80 }] }] })));
    expect(flows.get(`${A} => ${B}`)).toBe('TCP 80');
    expect(flows.get(`external => ${B}`)).toBe('TCP 80');
  });
  it('treats empty from and empty ports as all', () => {
    const flows = flowsOf(docs(...twoPods, policy('x', 'p', { podSelector: {}, ingress: [{ from: [], ports: [] }] })));
    expect(flows.get(`${A} => ${B}`)).toBe('All Connections');
  });
  it('denies all ingress for ingress: [] with the Ingress type', () => {
    const flows = flowsOf(docs(...twoPods, policy('x', 'p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })));
    expect(flows.size).toBe(2); // only the two pods' egress to the outside world remains
    expect([...flows.keys()].every((k) => k.endsWith('=> external'))).toBe(true);
  });
});

describe('6. peers', () => {
  const base = [
    namespace('x', { team: 'x' }), namespace('y', { team: 'y' }),
    pod('x', 'target', { app: 't' }), pod('x', 'web', { app: 'web' }), pod('y', 'web', { app: 'web' }), pod('y', 'db', { app: 'db' }),
  ];
  const only = (from: unknown[]) => flowsOf(docs(...base, policy('x', 'p', { podSelector: { matchLabels: { app: 't' } }, ingress: [{ from }] })));
  const sources = (flows: Map<string, string>) => [...flows.keys()].filter((k) => k.endsWith('=> x/target[Pod]')).map((k) => k.split(' => ')[0]).sort();

  it('reads podSelector alone as pods of the policy namespace', () => {
    expect(sources(only([{ podSelector: { matchLabels: { app: 'web' } } }]))).toEqual(['x/web[Pod]']);
  });
  it('reads namespaceSelector alone as every pod of matching namespaces', () => {
    expect(sources(only([{ namespaceSelector: { matchLabels: { team: 'y' } } }]))).toEqual(['y/db[Pod]', 'y/web[Pod]']);
  });
  it('ANDs podSelector and namespaceSelector within one peer', () => {
    expect(sources(only([{ namespaceSelector: { matchLabels: { team: 'y' } }, podSelector: { matchLabels: { app: 'web' } } }]))).toEqual(['y/web[Pod]']);
  });
  it('ORs separate peers', () => {
    expect(sources(only([{ namespaceSelector: { matchLabels: { team: 'y' } } }, { podSelector: { matchLabels: { app: 'web' } } }])))
      .toEqual(['x/web[Pod]', 'y/db[Pod]', 'y/web[Pod]']);
  });
  it('matches every namespace with namespaceSelector: {}', () => {
    expect(sources(only([{ namespaceSelector: {} }]))).toEqual(['x/web[Pod]', 'y/db[Pod]', 'y/web[Pod]']);
  });
  it('matches undeclared namespaces by their kubernetes.io/metadata.name label', () => {
    const flows = flowsOf(docs(pod('x', 'target', { app: 't' }), pod('z', 'c', {}),
      policy('x', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }] })));
    expect(flows.get('z/c[Pod] => x/target[Pod]')).toBe('All Connections');
  });
});

describe('7. label selectors', () => {
  const pods = [pod('x', 'target', { app: 't' }), pod('x', 'p1', { tier: 'web', env: 'prod' }), pod('x', 'p2', { tier: 'db' }), pod('x', 'p3', {})];
  const from = (selector: unknown) => {
    const flows = flowsOf(docs(...pods, policy('x', 'p', { podSelector: { matchLabels: { app: 't' } }, ingress: [{ from: [{ podSelector: selector }] }] })));
    return [...flows.keys()].filter((k) => k.endsWith('=> x/target[Pod]')).map((k) => k.split(' => ')[0]).sort();
  };
  it.each([
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }, ['x/p1[Pod]', 'x/p2[Pod]']],
    ['NotIn (true when the key is absent)', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, ['x/p2[Pod]', 'x/p3[Pod]', 'x/target[Pod]'].filter((p) => p !== 'x/target[Pod]')],
    ['Exists', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, ['x/p1[Pod]']],
    ['DoesNotExist', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, ['x/p3[Pod]']],
    ['matchLabels AND matchExpressions', { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, []],
  ])('applies %s', (_name, selector, expected) => {
    expect(from(selector)).toEqual(expected);
  });
});

describe('8. ports', () => {
  const dst = pod('x', 'b', { app: 'b' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]);
  const allow = (ports: unknown[]) => flowsOf(docs(pod('x', 'a', { app: 'a' }), dst,
    policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports }] }))).get(`${A} => ${B}`);
  it('defaults the protocol to TCP', () => expect(allow([{ port: 80 }])).toBe('TCP 80'));
  it('supports UDP and SCTP', () => expect(allow([{ protocol: 'UDP', port: 53 }, { protocol: 'SCTP', port: 9 }])).toBe('SCTP 9,UDP 53'));
  it('treats endPort as an inclusive range', () => expect(allow([{ port: 8000, endPort: 8010 }])).toBe('TCP 8000-8010'));
  it('treats an entry without port as every port of its protocol', () => expect(allow([{ protocol: 'UDP' }])).toBe('UDP 1-65535'));
  it('resolves a named port against the destination pod', () => expect(allow([{ port: 'http' }])).toBe('TCP 8080'));
  it('requires the named port protocol to match', () => expect(allow([{ port: 'dns' }])).toBeUndefined());
  it('matches nothing for a named port the destination does not declare', () => expect(allow([{ port: 'grpc' }])).toBeUndefined());
  it('resolves named ports on sidecar init containers but not on ordinary init containers', () => {
    const withInit = (restartPolicy?: string) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'x', labels: { app: 'b' } },
      spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'proxy', containerPort: 15001 }] }] },
    });
    const allowProxy = policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 'proxy' }] }] });
    expect(flowsOf(docs(pod('x', 'a', { app: 'a' }), withInit('Always'), allowProxy)).get(`${A} => ${B}`)).toBe('TCP 15001');
    expect(flowsOf(docs(pod('x', 'a', { app: 'a' }), withInit(), allowProxy)).get(`${A} => ${B}`)).toBeUndefined();
  });
  it('resolves egress named ports against the destination pod', () => {
    const flows = flowsOf(docs(pod('x', 'a', { app: 'a' }), dst,
      policy('x', 'p', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })));
    expect(flows.get(`${A} => ${B}`)).toBe('TCP 8080');
    expect(flows.has(`${A} => external`)).toBe(false);
  });
});

describe('9. ipBlock', () => {
  const target = pod('x', 'b', { app: 'b' });
  it('allows cidr minus every except, and never pods by default', () => {
    const { json } = analyse(docs(pod('x', 'a', { app: 'a' }), target,
      policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })));
    const inbound = json.connections.filter((c) => c.to === B);
    expect(inbound.map((c) => c.from)).toEqual(['ipblock:10.0.0.0/8 except 10.1.0.0/16']);
    const endpoint = json.endpoints.find((e) => e.id === inbound[0]!.from);
    expect(endpoint && 'ips' in endpoint ? endpoint.ips : []).toEqual(['10.0.0.0/16', '10.2.0.0/15', '10.4.0.0/14', '10.8.0.0/13', '10.16.0.0/12', '10.32.0.0/11', '10.64.0.0/10', '10.128.0.0/9']);
  });
  it('handles IPv6 blocks', () => {
    const { json } = analyse(docs(target,
      policy('x', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/8', except: ['fd00:1::/32'] } }] }] })));
    expect(json.connections.filter((c) => c.to === B).map((c) => c.from)).toEqual(['ipblock:fd00::/8 except fd00:1::/32']);
  });
  it('matches pods by known IP when pod CIDRs are given', () => {
    const withIp = (name: string, ip: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x', labels: { app: name } }, spec: { containers: [{ name: 'c' }] }, status: { podIP: ip } });
    const text = docs(withIp('a', '10.244.1.5'), withIp('c', '10.244.2.5'), target,
      policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.1.0/24' } }] }] }));
    expect(flowsOf(text).has(`${A} => ${B}`)).toBe(false);
    const flows = flowsOf(text, { podCidrs: ['10.244.0.0/16'] });
    expect(flows.get(`${A} => ${B}`)).toBe('All Connections');
    expect(flows.has(`x/c[Pod] => ${B}`)).toBe(false);
  });
  it('marks a match through partial cover of the pod CIDR as partial', () => {
    const { json } = analyse(docs(pod('x', 'a', { app: 'a' }), target,
      policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.1.0/24' } }] }] })), { podCidrs: ['10.244.0.0/16'] });
    expect(json.connections.find((c) => c.from === A && c.to === B)?.partial).toBe(true);
    const full = analyse(docs(pod('x', 'a', { app: 'a' }), target,
      policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })), { podCidrs: ['10.244.0.0/16'] });
    const ab = full.json.connections.find((c) => c.from === A && c.to === B);
    expect(ab?.ports).toBe('all');
    expect(ab?.partial).toBeUndefined();
  });
});

describe('10. Services', () => {
  const svc = (targetPort: unknown, selector: Record<string, string> | null = { app: 'b' }) => JSON.stringify({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'x' }, spec: { selector, ports: [{ port: 80, targetPort }] },
  });
  it('routes a Service to its backend pods, resolving a named targetPort per pod', () => {
    const { json } = analyse(docs(...twoPods, svc('http')));
    expect(json.routes).toEqual([{ from: 'x/svc[Service]', to: B, ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });
  it('gives a route whose named targetPort names no container port of the backend no ports, never every port', () => {
    const { graph, json } = analyse(docs(...twoPods, svc('metrics')));
    expect(graph.getAttribute('diagnostics').map((d) => d.code)).toEqual(['service/unresolved-target-port']);
    expect(json.routes).toEqual([{ from: 'x/svc[Service]', to: B, ports: [], unresolved: true }]);
  });
  it('keeps only the resolved ports of a Service whose targetPorts resolve in part', () => {
    const two = JSON.stringify({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'x' },
      spec: { selector: { app: 'b' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'm', port: 9090, targetPort: 'metrics' }] },
    });
    const { json } = analyse(docs(...twoPods, two));
    expect(json.routes).toEqual([{ from: 'x/svc[Service]', to: B, ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });
  it('warns that a Service without selector has unknown backends', () => {
    const { parsed, json } = analyse(docs(...twoPods, svc(80, null)));
    expect(parsed.diagnostics.map((d) => d.code)).toContain('service/no-selector');
    expect(json.routes).toEqual([]);
  });
});

describe('11. Ingress', () => {
  const ingress = JSON.stringify({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'x' },
    spec: { rules: [{ host: 'shop.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 80 } } } }] } }] },
  });
  const service = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'x' }, spec: { selector: { app: 'b' }, ports: [{ port: 80, targetPort: 'http' }] } });
  const onlyNginx = policy('x', 'from-nginx', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] });

  it('connects the Ingress to the backend workloads on their target ports', () => {
    const { json } = analyse(docs(...twoPods, service, ingress));
    expect(json.connections.find((c) => c.from === 'x/web[Ingress]')).toMatchObject({ to: B, ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(json.routes.map((r) => `${r.from}->${r.to}`)).toEqual(['x/svc[Service]->x/b[Pod]', 'x/web[Ingress]->x/svc[Service]']);
  });
  it('blocks a label-less default controller that policies do not admit, with a warning', () => {
    const { json, graph } = analyse(docs(...twoPods, service, ingress, onlyNginx));
    expect(json.connections.some((c) => c.from === 'x/web[Ingress]')).toBe(false);
    expect(graph.getAttribute('diagnostics').map((d) => d.code)).toContain('ingress/controller-blocked');
  });
  it('forwards nothing for a backend port the Service does not have (its targetPort is not a Service port), and says so', () => {
    const toTargetPort = ingress.replace('"number":80', '"number":8080');
    const { json, graph } = analyse(docs(...twoPods, service, toTargetPort));
    expect(json.connections.some((c) => c.from === 'x/web[Ingress]')).toBe(false);
    expect(json.routes).toContainEqual({ from: 'x/web[Ingress]', to: 'x/svc[Service]', ports: [], unresolved: true });
    const warning = graph.getAttribute('diagnostics').find((d) => d.code === 'ingress/unknown-service-port');
    expect(warning?.message).toBe('Ingress x/web routes to port 8080 of Service x/svc, which has only 80: no traffic reaches its backends');
  });
  it('admits the controller named with ingressController', () => {
    const { json } = analyse(docs(...twoPods, service, ingress, onlyNginx), { ingressController: { namespace: 'ingress-nginx', labels: {} } });
    expect(json.connections.find((c) => c.from === 'x/web[Ingress]')?.via).toEqual(['default-allow:egress', 'netpol:x/from-nginx#ingress[0]']);
  });
});

describe('12. LoadBalancer and NodePort Services', () => {
  it('exposes backends to outside addresses, limited by loadBalancerSourceRanges', () => {
    const lb = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'x' },
      spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'], selector: { app: 'b' }, ports: [{ port: 443, targetPort: 8080 }] } });
    const { json } = analyse(docs(...twoPods, lb));
    expect(json.routes).toContainEqual({ from: 'ipblock:203.0.113.0/24', to: 'x/lb[Service]', ports: [{ protocol: 'TCP', port: 443 }] });
  });
  it('keeps the backends\' ingress policies in force', () => {
    const lb = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'x' }, spec: { type: 'NodePort', selector: { app: 'b' }, ports: [{ port: 80 }] } });
    const { json } = analyse(docs(...twoPods, lb, policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })));
    expect(json.routes).toContainEqual({ from: 'external', to: 'x/lb[Service]', ports: [{ protocol: 'TCP', port: 80 }] });
    expect(json.connections.some((c) => c.to === B)).toBe(false);
  });
});

describe('13. validation', () => {
  const codes = (spec: Record<string, unknown>) => {
    const { parsed } = analyse(docs(...twoPods, policy('x', 'bad', spec)));
    return parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.location?.line}:${d.location?.column}`);
  };
  it.each([
    ['an ipBlock with a selector in one peer', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, 'netpol/ipblock-with-selector'],
    ['an invalid CIDR', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }, 'netpol/invalid-cidr'],
    ['an except outside its cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] } }] }] }, 'netpol/except-outside-cidr'],
    ['endPort with a named port', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, 'netpol/invalid-end-port'],
    ['endPort below port', { podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }, 'netpol/invalid-end-port'],
    ['an unknown operator', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Has' }] } }, 'selector/unknown-operator'],
    ['a bad port number', { podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }, 'netpol/invalid-port'],
  ])('reports %s with its position', (_name, spec, code) => {
    const found = codes(spec);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${code}@7:\\d+$`));
  });
  it('reports invalid label keys and values and skips the object, as the API server would', () => {
    const { parsed } = analyse(docs(...twoPods, pod('x', 'bad', { 'bad key!': 'v' }), policy('x', 'p', { podSelector: { matchLabels: { app: 'a b' } } })));
    expect(parsed.diagnostics.filter((d) => d.code === 'k8s/invalid-label').map((d) => d.location?.line)).toEqual([7, 9]);
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['x/a[Pod]', 'x/b[Pod]']);
    expect(parsed.cluster.policies).toEqual([]);
  });
  it.each([
    ['a quoted number as port (a port name needs a letter)', { podSelector: {}, ingress: [{ ports: [{ port: '80' }] }] }, 'netpol/invalid-port'],
    ['an except equal to its cidr (it must be a strict subset)', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] }, 'netpol/except-outside-cidr'],
  ])('rejects %s, as the API server does, so the policy isolates nothing', (_name, spec, code) => {
    const { parsed, json } = analyse(docs(...twoPods, policy('x', 'bad', spec)));
    expect(parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([code]);
    expect(json.connections.find((c) => c.from === A && c.to === B)?.ports).toBe('all');
  });
  it('keeps the other documents when one policy is invalid', () => {
    const { parsed, json } = analyse(docs(...twoPods, policy('x', 'bad', { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] })));
    expect(parsed.cluster.workloads).toHaveLength(2);
    expect(parsed.cluster.policies).toHaveLength(0);
    expect(json.connections.length).toBeGreaterThan(0);
  });
  it('points at the line and column of the bad field in block YAML', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: p', 'spec:', '  podSelector: {}', '  ingress:',
      '    - from:', '        - ipBlock: { cidr: 10.0.0.0/33 }',
    ].join('\n');
    const { parsed } = analyse(text);
    const d = parsed.diagnostics.find((x) => x.code === 'netpol/invalid-cidr');
    expect(d?.location).toMatchObject({ file: 'input-0.yaml', line: 9, column: 28 });
  });
});
