/** Transport protocols NetworkPolicy ports can name. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];
export const MAX_PORT = 65535;

/** An inclusive range of port numbers. */
export type PortRange = readonly [number, number];

/** A set of ports per protocol, as sorted, merged, disjoint inclusive ranges. */
export type PortSet = Readonly<Record<Protocol, readonly PortRange[]>>;

export const NO_PORTS: PortSet = { SCTP: [], TCP: [], UDP: [] };
export const ALL_PORTS: PortSet = { SCTP: [[1, MAX_PORT]], TCP: [[1, MAX_PORT]], UDP: [[1, MAX_PORT]] };

/** The set of one protocol's ports `from`..`to`. */
export function portRange(protocol: Protocol, from: number, to: number = from): PortSet {
  return { ...NO_PORTS, [protocol]: [[from, to]] };
}

export function isProtocol(value: unknown): value is Protocol {
  return value === 'TCP' || value === 'UDP' || value === 'SCTP';
}

function normalize(ranges: readonly PortRange[]): PortRange[] {
  return mergeSorted([...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
}

/** Merges ranges sorted by their start into disjoint, non-touching ranges. */
function mergeSorted(sorted: readonly PortRange[]): PortRange[] {
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The union of two normalized range lists in one linear merge: no sort, so unions in a loop stay cheap. */
function unionRanges(a: readonly PortRange[], b: readonly PortRange[]): readonly PortRange[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const merged: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]![0] <= b[j]![0])) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return mergeSorted(merged);
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function unionPorts(a: PortSet, b: PortSet): PortSet {
  if (a === NO_PORTS || isAllPorts(b)) return b;
  if (b === NO_PORTS || isAllPorts(a)) return a;
  return { SCTP: unionRanges(a.SCTP, b.SCTP), TCP: unionRanges(a.TCP, b.TCP), UDP: unionRanges(a.UDP, b.UDP) };
}

/** The union of many port sets, merged once (a fold of `unionPorts` would re-merge the growing set each time). */
export function unionAllPorts(sets: readonly PortSet[]): PortSet {
  if (sets.length === 0) return NO_PORTS;
  if (sets.length === 1) return sets[0]!;
  if (sets.length === 2) return unionPorts(sets[0]!, sets[1]!);
  const all = sets.find(isAllPorts);
  if (all) return all;
  const gather = (proto: Protocol) => {
    const some = sets.filter((s) => s[proto].length > 0);
    return some.length === 0 ? [] : some.length === 1 ? some[0]![proto] : normalize(some.flatMap((s) => s[proto]));
  };
  return { SCTP: gather('SCTP'), TCP: gather('TCP'), UDP: gather('UDP') };
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  if (isAllPorts(a)) return b;
  if (isAllPorts(b)) return a;
  return { SCTP: intersectRanges(a.SCTP, b.SCTP), TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP) };
}

/** The ports of `a` that are not in `b`. */
export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  if (isEmptyPorts(b) || isEmptyPorts(a)) return a;
  if (isAllPorts(b)) return NO_PORTS;
  return { SCTP: subtractRanges(a.SCTP, b.SCTP), TCP: subtractRanges(a.TCP, b.TCP), UDP: subtractRanges(a.UDP, b.UDP) };
}

/** Sorted disjoint ranges minus sorted disjoint ranges, in one pass over both. */
function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let j = 0;
  for (const [lo0, hi] of a) {
    let lo = lo0;
    while (j < b.length && b[j]![1] < lo) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= hi) {
      if (b[k]![0] > lo) out.push([lo, b[k]![0] - 1]);
      lo = Math.max(lo, b[k]![1] + 1);
      if (b[k]![1] > hi) break;
      k++;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

export function isEmptyPorts(p: PortSet): boolean {
  return p.SCTP.length === 0 && p.TCP.length === 0 && p.UDP.length === 0;
}

export function isAllPorts(p: PortSet): boolean {
  return PROTOCOLS.every((proto) => p[proto].length === 1 && p[proto][0]![0] === 1 && p[proto][0]![1] === MAX_PORT);
}

export function samePorts(a: PortSet, b: PortSet): boolean {
  return portsKey(a) === portsKey(b);
}

/** A canonical string for a port set, usable as a map key. */
export function portsKey(p: PortSet): string {
  return PROTOCOLS.map((proto) => p[proto].map(([lo, hi]) => `${lo}-${hi}`).join(',')).join('|');
}

/** One entry of the JSON port list: `{ protocol, port, endPort? }`; port omitted means every port. */
export interface PortJson {
  readonly protocol: Protocol;
  readonly port?: number;
  readonly endPort?: number;
}

/** The public JSON form of a port set: `"all"` or a sorted list of (protocol, port[, endPort]). */
export function portsToJson(p: PortSet): 'all' | PortJson[] {
  if (isAllPorts(p)) return 'all';
  const out: PortJson[] = [];
  for (const protocol of PROTOCOLS) {
    for (const [lo, hi] of p[protocol]) {
      if (lo === 1 && hi === MAX_PORT) out.push({ protocol });
      else if (lo === hi) out.push({ protocol, port: lo });
      else out.push({ protocol, port: lo, endPort: hi });
    }
  }
  return out;
}

/** Human text for a port set: `All Connections` or `TCP 80,443,UDP 53` (netpol-analyzer's notation). */
export function formatPorts(p: PortSet): string {
  if (isAllPorts(p)) return 'All Connections';
  if (isEmptyPorts(p)) return 'No Connections';
  return PROTOCOLS.filter((proto) => p[proto].length > 0)
    .map((proto) => `${proto} ${p[proto].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`)
    .join(',');
}
