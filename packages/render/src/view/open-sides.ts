import type { WorkloadNode } from '@netdiagram/core';

/**
 * Whether a workload's side is open: no NetworkPolicy isolates it in that direction, or the
 * policies that do admit every peer on every port (core's `…InNameOnly`: every pod of every
 * namespace and every outside address). Either way the diagram says so once, with one edge from or
 * to ANY, instead of one edge per peer: what the side admits is a property of the side, not of the pairs.
 */
export function isOpenSide(w: Pick<WorkloadNode, 'ingressIsolated' | 'egressIsolated' | 'ingressInNameOnly' | 'egressInNameOnly'>, direction: 'ingress' | 'egress'): boolean {
  return direction === 'ingress' ? !w.ingressIsolated || w.ingressInNameOnly === true : !w.egressIsolated || w.egressInNameOnly === true;
}

/** The policy rules (`netpol:ns/name#ingress[0]`) of one direction among a flow's `via`: on an open side, the rules that open it. */
export function rulesOfDirection(via: Iterable<string>, direction: 'ingress' | 'egress'): string[] {
  return [...new Set([...via].filter((v) => v.includes(`#${direction}[`)))].sort();
}
