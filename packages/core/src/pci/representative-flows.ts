import type { Exposure } from '../exposure/compute.js';
import { peerToJson } from '../exposure/peer.js';
import { formatExposurePorts } from '../exposure/ports.js';
import { intersectPorts, isEmptyPorts, portRange, samePorts, unionPorts } from '../model/ports.js';
import type { Selector } from '../model/selectors.js';
import type { Cluster } from '../model/types.js';
import { describePeer, peerHolds, peerInsideCde, peerReach } from './exposed-peers.js';
import { policiesOf, type BoundaryFlow } from './scope.js';

/**
 * The boundary with representative peers as parties: each exposure row of a CDE workload whose peer
 * is not wholly inside the CDE becomes a flow, and a flow of the input between that workload and a
 * pod the peer holds, on ports the row admits, is one of its instances rather than a flow of its own.
 */
export function withRepresentativePeers(
  real: readonly Omit<BoundaryFlow, 'id'>[],
  exposure: Exposure,
  cluster: Cluster,
  cde: ReadonlyMap<string, readonly string[]>,
  cdeSelectors: readonly Selector[],
): Omit<BoundaryFlow, 'id'>[] {
  const namespaces = new Map(cluster.namespaces.map((n) => [n.name, n]));
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const workloads = new Map(cluster.workloads.map((w) => [w.id, w]));
  const covered = new Set<Omit<BoundaryFlow, 'id'>>();
  const representative: Omit<BoundaryFlow, 'id'>[] = [];
  for (const row of exposure.rows) {
    if (!cde.has(row.workload) || peerInsideCde(row.peer, cdeSelectors, namespaces)) continue;
    const inbound = row.direction === 'ingress';
    const holds = cluster.workloads.filter((w) => !cde.has(w.id) && peerHolds(row.peer, w, namespaceLabels));
    const instances = real.filter((f) => {
      if (covered.has(f) || (f.direction === 'inbound') !== inbound || (inbound ? f.to : f.from) !== row.workload) return false;
      const other = workloads.get(inbound ? f.from : f.to);
      if (!other || !holds.includes(other)) return false;
      // egress names resolve against the pod they reach
      let ports = row.ports.numbers;
      for (const name of row.ports.names) {
        for (const cp of other.ports) if (cp.name === name.name && cp.protocol === name.protocol) ports = unionPorts(ports, portRange(cp.protocol, cp.port));
      }
      return samePorts(intersectPorts(f.ports, ports), f.ports);
    });
    instances.forEach((f) => covered.add(f));
    const text = describePeer(row.peer);
    representative.push({
      from: inbound ? text : row.workload, to: inbound ? row.workload : text,
      direction: inbound ? 'inbound' : 'outbound',
      ports: row.ports.numbers, via: row.via, policies: policiesOf(row.via), partial: false, peerZone: 'connected',
      representative: {
        peer: peerToJson(row.peer), text, reach: peerReach(row.peer), portsText: formatExposurePorts(row.ports),
        holds: holds.map((w) => w.id), instances: instances.map((f) => ({ from: f.from, to: f.to })), locations: row.locations,
      },
    });
  }
  return [...real.filter((f) => !covered.has(f)), ...representative.filter((f) => !isEmptyPorts(f.ports) || f.representative!.portsText !== 'No Connections')];
}

