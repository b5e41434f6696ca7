import { computeScope, diffFlows, formatPorts, type FlowDiff } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, policy } from '../support/analyse.js';
import { denyAll, deployment } from './support.js';

const diffOf = (before: string, after: string, cde: string[] = []): FlowDiff => {
  const b = analyse(before);
  const a = analyse(after);
  return diffFlows(b.graph, a.graph, {
    beforeScope: computeScope(b.parsed.cluster, b.graph, { cde }),
    afterScope: computeScope(a.parsed.cluster, a.graph, { cde }),
  });
};
const lines = (d: FlowDiff) => d.changes.map((c) => `${c.change} ${c.from} => ${c.to} : ${formatPorts(c.before)} -> ${formatPorts(c.after)}${c.cde ? ' [CDE]' : ''}`);

const base = [deployment('s', 'web', { app: 'web' }), deployment('s', 'db', { app: 'db' }), denyAll('s')];
const webToDb = (ports: number[]) => [
  policy('s', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: ports.map((port) => ({ port })) }] }),
  policy('s', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: ports.map((port) => ({ port })) }] }),
];

describe('diffFlows', () => {
  it('reports nothing between identical inputs', () => {
    const d = diffOf(docs(...base, ...webToDb([5432])), docs(...base, ...webToDb([5432])), ['app=db']);
    expect(d).toEqual({ changes: [], zones: [], cdeChanged: false });
  });

  it('reports an added and a removed flow, and marks those with an end in the CDE', () => {
    expect(lines(diffOf(docs(...base), docs(...base, ...webToDb([5432])), ['app=db']))).toEqual(['added s/web[Deployment] => s/db[Deployment] : No Connections -> TCP 5432 [CDE]']);
    expect(lines(diffOf(docs(...base, ...webToDb([5432])), docs(...base), ['app=db']))).toEqual(['removed s/web[Deployment] => s/db[Deployment] : TCP 5432 -> No Connections [CDE]']);
    expect(diffOf(docs(...base), docs(...base, ...webToDb([5432])), ['app=other']).cdeChanged).toBe(false);
  });

  it('reports a changed flow with the ports added and removed', () => {
    const d = diffOf(docs(...base, ...webToDb([5432, 9000])), docs(...base, ...webToDb([5432, 6432])));
    expect(d.changes).toHaveLength(1);
    expect(formatPorts(d.changes[0]!.addedPorts)).toBe('TCP 6432');
    expect(formatPorts(d.changes[0]!.removedPorts)).toBe('TCP 9000');
  });

  it('reports zone changes: a workload becoming connected-to the CDE', () => {
    const d = diffOf(docs(...base), docs(...base, ...webToDb([5432])), ['app=db']);
    expect(d.zones).toEqual([{ id: 's/web[Deployment]', before: 'out-of-scope', after: 'connected' }]);
    expect(d.cdeChanged).toBe(true);
  });

  it('compares flows with outside addresses address by address, so a new ipBlock elsewhere does not show as churn', () => {
    const fromOutside = (cidrs: string[]) => policy('s', 'in', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'],
      ingress: cidrs.map((cidr) => ({ from: [{ ipBlock: { cidr, ...(cidr === '0.0.0.0/0' ? { except: ['10.0.0.0/8'] } : {}) } }], ports: [{ port: cidr === '0.0.0.0/0' ? 443 : 22 }] })) });
    const d = diffOf(docs(...base, fromOutside(['0.0.0.0/0'])), docs(...base, fromOutside(['0.0.0.0/0', '192.168.0.0/16'])));
    // 192.168.0.0/16 cuts the old "0.0.0.0/0 except 10.0.0.0/8" node in three, yet only TCP 22 from 192.168.0.0/16 is new
    expect(lines(d)).toEqual(['changed ipblock:192.168.0.0/16 => s/web[Deployment] : TCP 443 -> TCP 22,443']);
  });

  it('names an outside address set by its node id when it is exactly a node of either graph', () => {
    const open = policy('s', 'in', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.96.0.0/12'] } }], ports: [{ port: 80 }] }] });
    const d = diffOf(docs(...base), docs(...base, open));
    expect(lines(d)).toEqual(['added ipblock:0.0.0.0/0 except 10.96.0.0/12 => s/web[Deployment] : No Connections -> TCP 80']);
  });
});
