import { ALL_PORTS, formatPorts, isAllPorts, isEmptyPorts, MAX_PORT, NO_PORTS, portRange, portsToJson, PROTOCOLS, samePorts, unionPorts, type PortJson, type PortSet, type Protocol } from '../model/ports.js';
import type { ContainerPort, PortRules } from '../model/types.js';

/** A named port that cannot be resolved: its destination is a pod the input may not hold. */
export interface NamedPort {
  readonly protocol: Protocol;
  readonly name: string;
}

/** The ports a representative peer is admitted on: numbers, plus names where no pod resolves them. */
export interface ExposurePorts {
  readonly numbers: PortSet;
  /** Sorted by protocol, then name; never a name of a protocol whose every number is in `numbers`. */
  readonly names: readonly NamedPort[];
}

export const NO_EXPOSURE_PORTS: ExposurePorts = { numbers: NO_PORTS, names: [] };

/**
 * The ports of a rule towards a representative peer. For ingress the destination is the workload
 * itself, so its container ports resolve names; for egress the destination is any pod of the peer,
 * so a named port stays a name.
 */
export function exposurePortsOf(rules: PortRules, ownPorts: readonly ContainerPort[] | undefined): ExposurePorts {
  if (rules === undefined) return { numbers: ALL_PORTS, names: [] };
  let numbers: PortSet = NO_PORTS;
  const names: NamedPort[] = [];
  for (const rule of rules) {
    if (rule.port === undefined) numbers = unionPorts(numbers, portRange(rule.protocol, 1, MAX_PORT));
    else if (typeof rule.port === 'number') numbers = unionPorts(numbers, portRange(rule.protocol, rule.port, rule.endPort ?? rule.port));
    else if (ownPorts === undefined) names.push({ protocol: rule.protocol, name: rule.port });
    else {
      for (const cp of ownPorts) {
        if (cp.name === rule.port && cp.protocol === rule.protocol) numbers = unionPorts(numbers, portRange(cp.protocol, cp.port));
      }
    }
  }
  return normalizeNames(numbers, names);
}

export function unionExposurePorts(a: ExposurePorts, b: ExposurePorts): ExposurePorts {
  return normalizeNames(unionPorts(a.numbers, b.numbers), [...a.names, ...b.names]);
}

function normalizeNames(numbers: PortSet, names: readonly NamedPort[]): ExposurePorts {
  const whole = (protocol: Protocol) => numbers[protocol].some(([lo, hi]) => lo === 1 && hi === MAX_PORT);
  const kept = new Map<string, NamedPort>();
  for (const n of names) if (!whole(n.protocol)) kept.set(`${n.protocol} ${n.name}`, n);
  const sorted = [...kept.values()].sort((x, y) =>
    PROTOCOLS.indexOf(x.protocol) - PROTOCOLS.indexOf(y.protocol) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { numbers, names: sorted };
}

/** Whether `outer` admits every port of `inner` (a name counts as covered by its whole protocol only). */
export function coversExposurePorts(outer: ExposurePorts, inner: ExposurePorts): boolean {
  const union = unionExposurePorts(outer, inner);
  return samePorts(union.numbers, outer.numbers) && union.names.length === outer.names.length;
}

export function sameExposurePorts(a: ExposurePorts, b: ExposurePorts): boolean {
  return samePorts(a.numbers, b.numbers) && a.names.length === b.names.length && a.names.every((n, i) => n.protocol === b.names[i]!.protocol && n.name === b.names[i]!.name);
}

export function isEmptyExposurePorts(p: ExposurePorts): boolean {
  return isEmptyPorts(p.numbers) && p.names.length === 0;
}

/** A port of the exposure JSON: a number or range as in `connections`, or `{ protocol, port: "http" }`. */
export type ExposurePortJson = PortJson | { readonly protocol: Protocol; readonly port: string };

export function exposurePortsToJson(p: ExposurePorts): 'all' | ExposurePortJson[] {
  if (isAllPorts(p.numbers)) return 'all';
  const numbers = isEmptyPorts(p.numbers) ? [] : (portsToJson(p.numbers) as PortJson[]);
  const entries: ExposurePortJson[] = [...numbers, ...p.names.map((n) => ({ protocol: n.protocol, port: n.name }))];
  return entries.sort((x, y) => PROTOCOLS.indexOf(x.protocol) - PROTOCOLS.indexOf(y.protocol));
}

/** `TCP 8080,UDP 53`, with names after the numbers of their protocol: `TCP 8080,TCP http`. */
export function formatExposurePorts(p: ExposurePorts): string {
  if (p.names.length === 0) return formatPorts(p.numbers);
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const numbers = p.numbers[protocol].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
    const names = p.names.filter((n) => n.protocol === protocol).map((n) => n.name);
    if (numbers.length + names.length > 0) parts.push(`${protocol} ${[...numbers, ...names].join(',')}`);
  }
  return parts.join(',');
}
