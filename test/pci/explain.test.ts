import { explainTraffic, formatPorts, parseManifests, type Explanation } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { docs, namespace, pod, policy } from '../support/analyse.js';
import { denyAll, deployment, ingress, service } from './support.js';

const clusterOf = (yaml: string) => parseManifests([{ name: 'in.yaml', text: yaml }]).cluster;
const explain = (yaml: string, from: string, to: string, ports: string[] = [], options = {}): Explanation => {
  const result = explainTraffic(clusterOf(yaml), { from, to, ports }, options);
  if (!result.ok) throw new Error(result.reason);
  return result.explanation;
};
const twoPods = docs(namespace('x'), namespace('y'), pod('x', 'a', { app: 'a' }), pod('y', 'b', { app: 'b' }, [{ name: 'http', containerPort: 8080 }]));

describe('explainTraffic', () => {
  it('says a direction without isolating policies is default-allow', () => {
    const e = explain(twoPods, 'x/a[Pod]', 'y/b[Pod]');
    expect(e.allowed).toBe(true);
    expect(e.pairs[0]!.directions.map((d) => d.summary)).toEqual([
      'egress of x/a[Pod] is not isolated: default-allow',
      'ingress of y/b[Pod] is not isolated: default-allow',
    ]);
  });

  it('names the isolating policy when no rule admits the peer', () => {
    const e = explain(docs(twoPods, policy('y', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] })), 'x/a', 'y/b');
    expect(e.allowed).toBe(false);
    expect(e.pairs[0]!.directions[1]!.summary).toBe('ingress of y/b[Pod] is isolated by y/deny-all; no rule admits x/a[Pod]');
  });

  it('names the rule, by index, that admits the peer, and judges each asked port', () => {
    const yaml = docs(twoPods, policy('y', 'web', { podSelector: {}, ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'none' } } }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }], ports: [{ port: 'http' }] },
    ] }));
    const e = explain(yaml, 'x/a', 'y/b', ['8080/TCP', '9090']);
    expect(e.pairs[0]!.directions[1]!.summary).toBe('ingress of y/b[Pod] is isolated by y/web; netpol:y/web#ingress[1] admits x/a[Pod] on TCP 8080');
    expect(e.pairs[0]!.ports).toEqual([
      { port: 'TCP 8080', allowed: true, deniedBy: [] },
      { port: 'TCP 9090', allowed: false, deniedBy: ['ingress'] },
    ]);
    expect(formatPorts(e.pairs[0]!.allowed)).toBe('TCP 8080');
  });

  it('judges a Service on its backends and the target ports of its ports', () => {
    const yaml = docs(deployment('s', 'api', { app: 'api' }, { ports: [{ name: 'web', containerPort: 8080 }] }), deployment('s', 'cli', { app: 'cli' }),
      service('s', 'api', { app: 'api' }, [{ port: 80, targetPort: 'web' }]), denyAll('s'),
      policy('s', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] }),
      policy('s', 'cli-out', { podSelector: { matchLabels: { app: 'cli' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 8080 }] }] }));
    const e = explain(yaml, 's/cli', 's/api[Service]', ['80/TCP']);
    expect(e.to).toEqual({ kind: 'service', id: 's/api[Service]' });
    expect(e.pairs.map((p) => [p.to, formatPorts(p.requested!), formatPorts(p.allowed)])).toEqual([['s/api[Deployment]', 'TCP 8080', 'TCP 8080']]);
  });

  it('takes an IP address or a CIDR as an outside endpoint', () => {
    const yaml = docs(deployment('s', 'web', { app: 'web' }), denyAll('s'),
      policy('s', 'in', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] }));
    expect(explain(yaml, '203.0.113.9', 's/web').allowed).toBe(true);
    expect(explain(yaml, '10.1.2.3', 's/web').allowed).toBe(false);
    expect(explain(yaml, '203.0.113.0/24', 's/web').pairs[0]!.directions.map((d) => d.direction)).toEqual(['ingress']);
    expect(explain(yaml, 's/web', '198.51.100.1').pairs[0]!.directions[0]!.summary).toBe('egress of s/web[Deployment] is isolated by s/deny-all; no rule admits 198.51.100.1');
  });

  it('sends an Ingress\'s traffic from the ingress controller', () => {
    const yaml = docs(namespace('ingress-nginx'), deployment('s', 'web', { app: 'web' }, { ports: [{ containerPort: 80 }] }), service('s', 'web', { app: 'web' }, [{ port: 80 }]),
      ingress('s', 'front', 'web', 80), denyAll('s'),
      policy('s', 'from-controller', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] }));
    expect(explain(yaml, 's/front[Ingress]', 's/web').allowed).toBe(false);
    const e = explain(yaml, 's/front[Ingress]', 's/web', [], { ingressController: { namespace: 'ingress-nginx', labels: {} } });
    expect(e.allowed).toBe(true);
    expect(e.pairs[0]!.from).toBe('ingress controller (ingress-nginx)');
  });

  it('refuses unknown, ambiguous and unanswerable endpoints with a reason', () => {
    const yaml = docs(pod('a', 'web', {}), pod('b', 'web', {}), deployment('s', 'x', { app: 'x' }), service('s', 'x', { app: 'x' }, [{ port: 80 }]), ingress('s', 'i', 'x', 80));
    const reason = (from: string, to: string) => {
      const r = explainTraffic(clusterOf(yaml), { from, to });
      return r.ok ? '' : r.reason;
    };
    expect(reason('web', 's/x')).toContain('"web" is ambiguous: a/web[Pod], b/web[Pod]');
    expect(reason('s/nope', 's/x')).toContain('names no workload');
    expect(reason('s/nope', 's/x')).not.toContain('did you mean');
    // a typo names the nearest endpoint rather than read as "not in the input"
    expect(reason('s/x[Deploymnet]', 'a/web')).toContain('(did you mean s/x[Deployment]?)');
    expect(reason('s/y', 'a/web')).toContain('(did you mean s/x?)');
    expect(reason('s/x', 's/i[Ingress]')).toContain('ends at the ingress controller');
    expect(reason('s/x', '10.0.0.0/33')).toContain('not a valid CIDR');
    expect(explainTraffic(clusterOf(yaml), { from: 's/x', to: 'a/web', ports: ['http'] }).ok).toBe(false);
  });
});
