import { selectorKey } from '../model/selectors.js';
import type { Peer } from '../model/types.js';

/**
 * `find(peer, policyNamespace)` once per distinct peer: two peers with the same selectors match the
 * same classes, and a peer with a namespaceSelector matches the same classes whatever namespace its
 * policy is in (a podSelector alone means the policy's own namespace, so it is kept apart per
 * namespace). ipBlock peers are not shared: they are few, and judged by their own addresses.
 */
export function peerMatches<T>(find: (peer: Peer, policyNamespace: string) => readonly T[]): (peer: Peer, policyNamespace: string) => readonly T[] {
  const byKey = new Map<string, readonly T[]>();
  return (peer, policyNamespace) => {
    if (peer.kind !== 'pods') return find(peer, policyNamespace);
    const where = peer.namespaces === undefined ? `in ${JSON.stringify(policyNamespace)}` : `ns ${selectorKey(peer.namespaces)}`;
    const key = `${where} pods ${selectorKey(peer.pods)}`;
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = find(peer, policyNamespace)));
    return found;
  };
}
