import { NO_PORTS, type PortSet, type Protocol } from '@netdiagram/core';

const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

type Range = readonly [number, number];

function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The union of port sets. */
export function unionPortSets(sets: readonly PortSet[]): PortSet {
  if (sets.length === 0) return NO_PORTS;
  if (sets.length === 1) return sets[0]!;
  return {
    SCTP: mergeRanges(sets.flatMap((s) => s.SCTP)),
    TCP: mergeRanges(sets.flatMap((s) => s.TCP)),
    UDP: mergeRanges(sets.flatMap((s) => s.UDP)),
  };
}

/** A canonical string for a port set, usable as a map key. */
export function portSetKey(ports: PortSet): string {
  return PROTOCOLS.map((p) => ports[p].map(([lo, hi]) => `${lo}-${hi}`).join(',')).join('|');
}

/** Whether the set holds `protocol`/`port`. */
export function hasPort(ports: PortSet, protocol: Protocol, port: number): boolean {
  return ports[protocol].some(([lo, hi]) => lo <= port && port <= hi);
}
