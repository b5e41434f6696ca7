import ipaddr from 'ipaddr.js';
import { parseGoCidr } from './go-ip.js';

/** An inclusive range of addresses of one IP family. */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly lo: bigint;
  readonly hi: bigint;
}

export type ParsedCidr =
  | { readonly ok: true; readonly range: AddressRange; readonly canonical: string; readonly hostBitsSet: boolean }
  | { readonly ok: false; readonly reason: string };

const BITS = { 4: 32, 6: 128 } as const;

/** Every IPv4 and every IPv6 address: the outside world before any policy narrows it. */
export const ALL_ADDRESSES: readonly AddressRange[] = [
  { family: 4, lo: 0n, hi: (1n << 32n) - 1n },
  { family: 6, lo: 0n, hi: (1n << 128n) - 1n },
];

/**
 * Parses a CIDR such as `10.0.0.0/8` or `fd00::/8` exactly as Go's `net.ParseCIDR` does (see go-ip.ts):
 * no zones, no leading zeros, and `::10.0.0.0/100` is the IPv6 block it spells. Host bits set
 * (`10.1.2.3/8`) are accepted and reported, as the API server accepts them; the block then means its
 * network (`10.0.0.0/8`).
 */
export function parseCidr(text: string): ParsedCidr {
  const parsed = parseGoCidr(text);
  if (!parsed.ok) return parsed;
  const { family, address: value, prefix } = parsed;
  const bits = BITS[family];
  const size = 1n << BigInt(bits - prefix);
  const lo = value - (value % size);
  const range: AddressRange = { family, lo, hi: lo + size - 1n };
  return { ok: true, range, canonical: `${formatAddress(family, lo)}/${prefix}`, hostBitsSet: lo !== value };
}

/** Parses a single address (`10.1.2.3`, `fd00::1`) into a one-address range. */
export function parseAddress(text: string): AddressRange | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    const v = bytesToBigInt(ipaddr.IPv4.parse(text).toByteArray());
    return { family: 4, lo: v, hi: v };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) {
    const v = bytesToBigInt(ipaddr.IPv6.parse(text).toByteArray());
    return { family: 6, lo: v, hi: v };
  }
  return undefined;
}

function bytesToBigInt(bytes: readonly number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function formatAddress(family: 4 | 6, value: bigint): string {
  const count = family === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = count - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

export function containsRange(outer: AddressRange, inner: AddressRange): boolean {
  return outer.family === inner.family && outer.lo <= inner.lo && inner.hi <= outer.hi;
}

export function overlapsRange(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.lo <= b.hi && b.lo <= a.hi;
}

/** Sorted, merged, disjoint ranges. */
export function normalizeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: AddressRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === r.family && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { ...last, hi: r.hi };
    } else out.push(r);
  }
  return out;
}

/** `ranges` minus `cut`, both as lists of ranges; the result is normalized. */
export function subtractRanges(ranges: readonly AddressRange[], cut: readonly AddressRange[]): AddressRange[] {
  let current = normalizeRanges(ranges);
  for (const c of normalizeRanges(cut)) {
    const next: AddressRange[] = [];
    for (const r of current) {
      if (!overlapsRange(r, c)) {
        next.push(r);
        continue;
      }
      if (r.lo < c.lo) next.push({ family: r.family, lo: r.lo, hi: c.lo - 1n });
      if (r.hi > c.hi) next.push({ family: r.family, lo: c.hi + 1n, hi: r.hi });
    }
    current = next;
  }
  return current;
}

/** Whether every address in `inner` lies in `outer` (both lists of ranges). */
export function coversRanges(outer: readonly AddressRange[], inner: readonly AddressRange[]): boolean {
  // the evaluator asks this for every rule and every piece of the address space: answer one range
  // against merged ranges without allocating (merged ranges cover it only if one of them contains it)
  if (inner.length === 1) {
    const r = inner[0]!;
    if (outer.some((o) => o.family === r.family && o.lo <= r.lo && o.hi >= r.hi)) return true;
    if (isNormalized(outer)) return false;
  }
  return subtractRanges(inner, outer).length === 0;
}

/** Whether ranges are sorted and merged: no two overlap or touch. */
function isNormalized(ranges: readonly AddressRange[]): boolean {
  for (let i = 1; i < ranges.length; i++) {
    const a = ranges[i - 1]!;
    const b = ranges[i]!;
    if (a.family > b.family || (a.family === b.family && b.lo <= a.hi + 1n)) return false;
  }
  return true;
}

/** The smallest list of CIDRs that covers exactly the given range. */
export function rangeToCidrs(range: AddressRange): string[] {
  const bits = BITS[range.family];
  const out: string[] = [];
  let lo = range.lo;
  while (lo <= range.hi) {
    let size = 1n;
    let prefix = bits;
    // grow the block while it stays aligned at lo and inside the range
    while (prefix > 0 && lo % (size * 2n) === 0n && lo + size * 2n - 1n <= range.hi) {
      size *= 2n;
      prefix--;
    }
    out.push(`${formatAddress(range.family, lo)}/${prefix}`);
    lo += size;
  }
  return out;
}

/** Canonical CIDR list for a set of ranges, IPv4 first, in address order. */
export function rangesToCidrs(ranges: readonly AddressRange[]): string[] {
  return normalizeRanges(ranges).flatMap(rangeToCidrs);
}
