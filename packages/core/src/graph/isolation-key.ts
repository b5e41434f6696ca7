import type { ContainerPort, NetworkPolicy } from '../model/types.js';

/**
 * A key for what a class's isolation in one direction depends on: the policies that isolate it
 * and, for ingress (whose named ports resolve against the class's own pods), its container ports.
 * Classes with equal keys receive the same contributions from the same peers, so what is computed
 * from their rules is computed once per key. Objects are told apart by identity, numbered as seen.
 */
export function isolationKeys(): (direction: 'ingress' | 'egress', policies: readonly NetworkPolicy[], ports: readonly ContainerPort[]) => string {
  const policyIds = new Map<NetworkPolicy, number>();
  const portIds = new Map<string, number>();
  // each list's id by the list itself too: a class's list is asked for again and again
  const portIdsOfList = new Map<readonly ContainerPort[], number>();
  const idOf = <K>(ids: Map<K, number>, item: K): number => {
    let id = ids.get(item);
    if (id === undefined) ids.set(item, (id = ids.size));
    return id;
  };
  const portsId = (ports: readonly ContainerPort[]): number => {
    let id = portIdsOfList.get(ports);
    // port lists of equal content are one list (the same ports, in the order podTemplateOf sorts them)
    if (id === undefined) portIdsOfList.set(ports, (id = idOf(portIds, JSON.stringify(ports.map((p) => [p.name, p.protocol, p.port])))));
    return id;
  };
  return (direction, policies, ports) => {
    let key = direction === 'ingress' ? `i${portsId(ports)}` : 'e';
    for (const policy of policies) key += `,${idOf(policyIds, policy)}`;
    return key;
  };
}
