import { coversRanges, overlapsRange, parseAddress, type AddressRange } from '../model/ipblock.js';
import type { PeerMatch, PodSubject } from './evaluate.js';

/**
 * How an address block (an ipBlock, a `networks` peer) matches a pod: never without pod CIDRs (pod
 * addresses are then unknown and taken to lie outside every block); by the pod's known IPs; else by
 * whether the block covers all, part or none of the pod CIDRs.
 */
export function matchIpBlockOnPod(block: readonly AddressRange[], pod: PodSubject, podCidrs: readonly AddressRange[]): PeerMatch {
  if (podCidrs.length === 0) return 'none';
  const ips = pod.podIPs.map(parseAddress).filter((r): r is AddressRange => r !== undefined);
  if (ips.length > 0) {
    const inside = ips.filter((ip) => coversRanges(block, [ip])).length;
    return inside === ips.length ? 'full' : inside > 0 ? 'partial' : 'none';
  }
  if (coversRanges(block, podCidrs)) return 'full';
  return block.some((b) => podCidrs.some((c) => overlapsRange(b, c))) ? 'partial' : 'none';
}
