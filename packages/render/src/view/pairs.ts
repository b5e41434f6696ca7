import type { PortSet } from '@netdiagram/core';
import type { ChangeMark } from './marks.js';

/** The flows between two drawn nodes, merged into what becomes one edge. */
export interface Pair {
  readonly source: string;
  readonly target: string;
  ports: PortSet;
  readonly via: Set<string>;
  /** `from → to` of every graph flow merged into this edge. */
  readonly flows: string[];
  /** How the edge came to be: merged flows, or every workload of a namespace. */
  aggregate?: string;
  /** Boundary numbers of the flows merged into this edge. */
  readonly boundary: string[];
  /** Changes of the flows merged into this edge (diff diagrams). */
  readonly changes: ChangeMark[];
  /** Some merged flow is L7-restricted (a Calico `http` rule admits it for some requests only). */
  l7?: boolean;
}

/** A new pair with nothing merged into it yet. */
export function emptyPair(source: string, target: string, ports: PortSet): Pair {
  return { source, target, ports, via: new Set(), flows: [], boundary: [], changes: [] };
}

/** Merges `p` into `into`: rules, flows, boundary numbers and changes (not the ports). */
export function mergePair(into: Pair, p: Pair): void {
  for (const v of p.via) into.via.add(v);
  // item by item: push(...list) passes every item as an argument, and a large cluster overflows the stack
  for (const item of p.flows) into.flows.push(item);
  for (const item of p.boundary) into.boundary.push(item);
  for (const item of p.changes) into.changes.push(item);
  if (p.l7) into.l7 = true;
}
