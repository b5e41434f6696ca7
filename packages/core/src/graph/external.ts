import { ALL_ADDRESSES, normalizeRanges, rangesToCidrs, subtractRanges, type AddressRange } from '../model/ipblock.js';
import type { Peer } from '../model/types.js';

/**
 * Cuts the address space outside the cluster into pieces that every ipBlock either fully contains
 * or does not touch, so one representative address decides a whole piece.
 */
export function splitAddressSpace(universe: readonly AddressRange[], boundaries: readonly AddressRange[]): AddressRange[] {
  const cuts = new Map<4 | 6, Set<bigint>>([[4, new Set()], [6, new Set()]]);
  for (const b of boundaries) {
    cuts.get(b.family)!.add(b.lo);
    cuts.get(b.family)!.add(b.hi + 1n);
  }
  const atoms: AddressRange[] = [];
  for (const range of normalizeRanges(universe)) {
    const points = [...cuts.get(range.family)!].filter((p) => p > range.lo && p <= range.hi).sort((a, b) => (a < b ? -1 : 1));
    let lo = range.lo;
    for (const p of points) {
      atoms.push({ family: range.family, lo, hi: p - 1n });
      lo = p;
    }
    atoms.push({ family: range.family, lo, hi: range.hi });
  }
  return atoms;
}

/** Addresses that count as outside the cluster: everything but the pod CIDRs. */
export function externalUniverse(podCidrs: readonly AddressRange[]): AddressRange[] {
  return subtractRanges(ALL_ADDRESSES, podCidrs);
}

type IpBlockPeer = Extract<Peer, { kind: 'ipblock' }>;

/**
 * A stable, readable id for a set of outside addresses: `external` for all of them, the ipBlock as
 * written when one matches exactly (`ipblock:0.0.0.0/0 except 10.96.0.0/12`), else the CIDR list.
 * Returns a function so the ipBlocks' CIDR lists are computed once for every set described.
 */
export function addressDescriber(
  universe: readonly AddressRange[],
  blocks: readonly IpBlockPeer[],
): (ranges: readonly AddressRange[]) => { id: string; label: string; ips: string[] } {
  const universeKey = rangesToCidrs(universe).join(',');
  const written = new Map<string, string>();
  // many policies write the same ipBlock: its text decides its ranges, so each text is reduced to CIDRs once
  const seen = new Set<string>();
  for (const b of blocks) {
    const text = b.except.length > 0 ? `${b.cidr} except ${b.except.join(',')}` : b.cidr;
    if (seen.has(text)) continue;
    seen.add(text);
    const key = rangesToCidrs(b.ranges).join(',');
    const previous = written.get(key);
    // several blocks may denote the same set: the shortest text, then the first in order, names it
    if (previous === undefined || text.length < previous.length || (text.length === previous.length && text < previous)) written.set(key, text);
  }
  return (ranges) => {
    const ips = rangesToCidrs(ranges);
    const key = ips.join(',');
    if (key === universeKey) return { id: 'external', label: 'Internet (all external addresses)', ips };
    const exact = written.get(key);
    if (exact) return { id: `ipblock:${exact}`, label: exact, ips };
    const rest = rangesToCidrs(subtractRanges(universe, ranges));
    if (rest.length < ips.length) {
      const label = `all external except ${rest.join(',')}`;
      return { id: `ipblock:* except ${rest.join(',')}`, label, ips };
    }
    return { id: `ipblock:${key}`, label: ips.join(', '), ips };
  };
}

/**
 * For each atom of `splitAddressSpace` (sorted by family and address, disjoint, cut at every
 * entry's boundaries), the items whose range contains it. Each entry finds its first atom by binary
 * search and walks the atoms it covers, so the cost is the number of (atom, item) pairs found, not
 * atoms × entries. An atom that overlaps a range without lying inside it (not cut at that range's
 * boundaries) is not covered by it.
 */
export function itemsCoveringAtoms<T>(
  atoms: readonly AddressRange[],
  entries: readonly { readonly range: AddressRange; readonly item: T }[],
): T[][] {
  const covering: T[][] = atoms.map(() => []);
  for (const { range, item } of entries) {
    let lo = 0;
    let hi = atoms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const a = atoms[mid]!;
      if (a.family < range.family || (a.family === range.family && a.hi < range.lo)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < atoms.length; i++) {
      const a = atoms[i]!;
      if (a.family !== range.family || a.lo > range.hi) break;
      if (a.lo >= range.lo && a.hi <= range.hi) covering[i]!.push(item);
    }
  }
  return covering;
}
