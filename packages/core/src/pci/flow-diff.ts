import { splitAddressSpace } from '../graph/external.js';
import type { TrafficGraph } from '../graph/types.js';
import { containsRange, normalizeRanges, parseCidr, rangesToCidrs, type AddressRange } from '../model/ipblock.js';
import { isEmptyPorts, NO_PORTS, portsKey, samePorts, type PortRange, type PortSet, type Protocol } from '../model/ports.js';
import type { CdeScope, Zone } from './scope.js';

/** One flow that appeared, disappeared, or changed its ports between two inputs. */
export interface FlowChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly from: string;
  readonly to: string;
  /** Ports before (NO_PORTS for an added flow). */
  readonly before: PortSet;
  /** Ports after (NO_PORTS for a removed flow). */
  readonly after: PortSet;
  /** Ports newly allowed, and ports no longer allowed. */
  readonly addedPorts: PortSet;
  readonly removedPorts: PortSet;
  /** The rules that admit the flow after the change (before it, for a removed flow). */
  readonly via: readonly string[];
  /** Whether an end of the flow is in the CDE, before or after. */
  readonly cde: boolean;
}

/** A node whose zone differs between the two inputs. */
export interface ZoneChange {
  readonly id: string;
  readonly before: Zone | 'absent';
  readonly after: Zone | 'absent';
}

/** Everything that changed between two traffic graphs. */
export interface FlowDiff {
  /** Sorted by (from, to). */
  readonly changes: readonly FlowChange[];
  /** Sorted by id; only nodes present in a scope. */
  readonly zones: readonly ZoneChange[];
  /** Whether a change touches the CDE: a flow with a CDE end, or a node entering or leaving the CDE. */
  readonly cdeChanged: boolean;
}

/** The scopes of both sides, to mark CDE changes and list zone changes. */
export interface DiffOptions {
  readonly beforeScope?: CdeScope;
  readonly afterScope?: CdeScope;
}

/**
 * Compares the allowed flows of two traffic graphs: flows added, removed, and changed in their ports.
 * Flows between in-cluster nodes match by their (from, to) ids. Flows to or from outside addresses
 * are compared address by address, because a new ipBlock anywhere re-cuts the outside nodes: a change
 * is reported for exactly the addresses whose ports changed, named by a node id of either graph when
 * the addresses are exactly that node's, else by their CIDRs.
 */
export function diffFlows(before: TrafficGraph, after: TrafficGraph, options: DiffOptions = {}): FlowDiff {
  const old = flowsOf(before);
  const next = flowsOf(after);
  const isCde = (id: string) => options.beforeScope?.zones[id] === 'cde' || options.afterScope?.zones[id] === 'cde';
  const changes: FlowChange[] = [];
  const push = (from: string, to: string, b: PortSet, a: PortSet, via: readonly string[]) => {
    changes.push({
      change: isEmptyPorts(b) ? 'added' : isEmptyPorts(a) ? 'removed' : 'changed',
      from, to, before: b, after: a,
      addedPorts: subtractPorts(a, b), removedPorts: subtractPorts(b, a),
      via, cde: isCde(from) || isCde(to),
    });
  };
  for (const key of [...new Set([...old.internal.keys(), ...next.internal.keys()])]) {
    const b = old.internal.get(key);
    const a = next.internal.get(key);
    const f = (a ?? b)!;
    if (b && a && samePorts(b.ports, a.ports)) continue;
    push(f.from, f.to, b?.ports ?? NO_PORTS, a?.ports ?? NO_PORTS, f.via);
  }

  // outside addresses: per node, cut both graphs' address sets into common atoms and compare per atom
  const names = new Map<string, string>();
  for (const graph of [after, before]) {
    graph.forEachNode((id, a) => {
      if (a.type === 'external') {
        const key = rangesToCidrs(rangesOf(a.ips)).join(',');
        if (!names.has(key)) names.set(key, id);
      }
    });
  }
  for (const key of [...new Set([...old.outside.keys(), ...next.outside.keys()])].sort()) {
    const [direction, node] = key.split('\u0000') as ['in' | 'out', string];
    const b = old.outside.get(key) ?? [];
    const a = next.outside.get(key) ?? [];
    const groups = new Map<string, { ranges: AddressRange[]; before: PortSet; after: PortSet; via: readonly string[] }>();
    const ranges = [...b, ...a].flatMap((f) => f.ranges);
    for (const atom of splitAddressSpace(normalizeRanges(ranges), ranges)) {
      const was = b.find((f) => f.ranges.some((r) => containsRange(r, atom)));
      const is = a.find((f) => f.ranges.some((r) => containsRange(r, atom)));
      const wasPorts = was?.ports ?? NO_PORTS;
      const isPorts = is?.ports ?? NO_PORTS;
      if (samePorts(wasPorts, isPorts)) continue;
      const via = (is ?? was)!.via;
      const groupKey = `${portsKey(wasPorts)}|${portsKey(isPorts)}|${via.join(',')}`;
      const group = groups.get(groupKey) ?? { ranges: [], before: wasPorts, after: isPorts, via };
      group.ranges.push(atom);
      groups.set(groupKey, group);
    }
    for (const g of groups.values()) {
      const cidrs = rangesToCidrs(normalizeRanges(g.ranges));
      const name = names.get(cidrs.join(',')) ?? `ipblock:${cidrs.join(',')}`;
      if (direction === 'in') push(name, node, g.before, g.after, g.via);
      else push(node, name, g.before, g.after, g.via);
    }
  }
  changes.sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to));

  const zones: ZoneChange[] = [];
  if (options.beforeScope || options.afterScope) {
    const b = options.beforeScope?.zones ?? {};
    const a = options.afterScope?.zones ?? {};
    for (const id of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(compare)) {
      const was = b[id] ?? 'absent';
      const is = a[id] ?? 'absent';
      // a node entering or leaving scope matters; one appearing or vanishing out of scope does not
      const scoped = (z: string) => z === 'cde' || z === 'connected';
      if (was !== is && (scoped(was) || scoped(is)) && was !== 'external' && is !== 'external') zones.push({ id, before: was, after: is });
    }
  }
  const cdeChanged = changes.some((c) => c.cde) || zones.some((z) => z.before === 'cde' || z.after === 'cde');
  return { changes, zones, cdeChanged };
}

interface Flow {
  readonly from: string;
  readonly to: string;
  readonly ports: PortSet;
  readonly via: readonly string[];
}

interface OutsideFlow {
  readonly ranges: readonly AddressRange[];
  readonly ports: PortSet;
  readonly via: readonly string[];
}

/** Flows between in-cluster nodes by `from\0to`; flows with outside addresses by `in|out\0node`. */
function flowsOf(graph: TrafficGraph): { internal: Map<string, Flow>; outside: Map<string, OutsideFlow[]> } {
  const internal = new Map<string, Flow>();
  const outside = new Map<string, OutsideFlow[]>();
  graph.forEachEdge((_k, a, from, to) => {
    if (a.type !== 'flow') return;
    const source = graph.getNodeAttributes(from);
    const target = graph.getNodeAttributes(to);
    if (source.type === 'external' || target.type === 'external') {
      const key = source.type === 'external' ? `in\u0000${to}` : `out\u0000${from}`;
      const list = outside.get(key) ?? [];
      list.push({ ranges: rangesOf(source.type === 'external' ? source.ips : (target as { ips: readonly string[] }).ips), ports: a.ports, via: a.via });
      outside.set(key, list);
    } else {
      internal.set(`${from}\u0000${to}`, { from, to, ports: a.ports, via: a.via });
    }
  });
  return { internal, outside };
}

function rangesOf(cidrs: readonly string[]): AddressRange[] {
  return cidrs.flatMap((c) => {
    const p = parseCidr(c);
    return p.ok ? [p.range] : [];
  });
}

/** `a` minus `b`, per protocol. */
export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  if (isEmptyPorts(b)) return a;
  const minus = (protocol: Protocol): PortRange[] => {
    let ranges: PortRange[] = [...a[protocol]];
    for (const [lo, hi] of b[protocol]) {
      ranges = ranges.flatMap(([x, y]): PortRange[] => {
        if (hi < x || lo > y) return [[x, y]];
        const parts: PortRange[] = [];
        if (x < lo) parts.push([x, lo - 1]);
        if (y > hi) parts.push([hi + 1, y]);
        return parts;
      });
    }
    return ranges;
  };
  return { SCTP: minus('SCTP'), TCP: minus('TCP'), UDP: minus('UDP') };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
