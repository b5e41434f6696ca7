import type { toGraphJson } from '@netdiagram/core';
import { expect } from 'vitest';
import { refAllowed, type RefCluster } from './reference.js';
import { admits, inCidr, ipv4, type PortsJson } from './verdicts.js';

/**
 * Checks the connection JSON of a cluster against the reference evaluator: every pod pair on every
 * protocol and sample port, and every pod with each sample outside address (which at most one
 * source and one destination endpoint may hold) on TCP/UDP 53, 80 and 8080. Throws on the first
 * difference, naming it.
 */
export function expectReferenceVerdicts(
  cluster: RefCluster,
  json: ReturnType<typeof toGraphJson>,
  samples: { readonly ports: readonly number[]; readonly ips: readonly string[] },
): void {
  const conn = new Map(json.connections.map((c) => [`${c.from} => ${c.to}`, c.ports as PortsJson]));
  const id = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}[Pod]`;
  for (const src of cluster.pods) {
    for (const dst of cluster.pods) {
      if (src === dst) continue;
      for (const protocol of ['TCP', 'UDP', 'SCTP']) {
        for (const port of samples.ports) {
          const expected = refAllowed(cluster, { pod: src }, { pod: dst }, protocol, port);
          const actual = admits(conn.get(`${id(src)} => ${id(dst)}`), protocol, port);
          if (expected !== actual) throw new Error(`${id(src)} => ${id(dst)} ${protocol}/${port}: expected ${expected}, got ${actual}`);
        }
      }
    }
  }
  const externals = json.endpoints.filter((e): e is Extract<typeof e, { type: 'external' }> => e.type === 'external');
  // sources and destinations are grouped apart; within each direction, endpoints are disjoint
  const holding = (ip: number, end: 'from' | 'to') => externals.filter((e) => e.ips.some((c) => inCidr(ip, c)) && json.connections.some((c) => c[end] === e.id));
  for (const ipText of samples.ips) {
    const ip = ipv4(ipText);
    const sources = holding(ip, 'from');
    const destinations = holding(ip, 'to');
    expect(sources.length).toBeLessThanOrEqual(1);
    expect(destinations.length).toBeLessThanOrEqual(1);
    for (const p of cluster.pods) {
      for (const port of [53, 80, 8080]) {
        for (const protocol of ['TCP', 'UDP']) {
          const inbound = refAllowed(cluster, { ip }, { pod: p }, protocol, port);
          const outbound = refAllowed(cluster, { pod: p }, { ip }, protocol, port);
          const gotIn = sources[0] ? admits(conn.get(`${sources[0].id} => ${id(p)}`), protocol, port) : false;
          const gotOut = destinations[0] ? admits(conn.get(`${id(p)} => ${destinations[0].id}`), protocol, port) : false;
          if (inbound !== gotIn) throw new Error(`${ipText} => ${id(p)} ${protocol}/${port}: expected ${inbound}, got ${gotIn}`);
          if (outbound !== gotOut) throw new Error(`${id(p)} => ${ipText} ${protocol}/${port}: expected ${outbound}, got ${gotOut}`);
        }
      }
    }
  }
}
