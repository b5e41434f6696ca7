import { NO_PORTS, portsKey, unionPorts, type PortSet, type Protocol } from '@netdiagram/core';

/** The union of port sets. */
export function unionPortSets(sets: readonly PortSet[]): PortSet {
  return sets.reduce((acc, s) => unionPorts(acc, s), NO_PORTS);
}

/** A canonical string for a port set, usable as a map key. */
export const portSetKey: (ports: PortSet) => string = portsKey;

/** Whether the set holds `protocol`/`port`. */
export function hasPort(ports: PortSet, protocol: Protocol, port: number): boolean {
  return ports[protocol].some(([lo, hi]) => lo <= port && port <= hi);
}
