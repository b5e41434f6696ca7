import type { PersistentVolumeData } from './graph-data.js';
import { CLUSTER_ID } from './projection.js';
import type { DiagramEdge, DiagramNode, VolumeShape, WorkloadShape } from './types.js';

/** The drawn id of a PersistentVolume. */
export const volumeId = (name: string): string => `@pv:${name}`;

/** The key of the attachment point under a workload's PVC box, where its line to the volume starts. */
export const claimPortKey = (claim: string): string => `pvc:${claim}`;

/**
 * Whether `claim` (`namespace/name`, bound to a volume) is the workload's PVC `name`: the claim
 * itself, or for a StatefulSet's claim template `t` the claims of its pods, `t-<statefulset>-<ordinal>`.
 */
export function claimMatches(workload: WorkloadShape, name: string, claim: string): boolean {
  const prefix = `${workload.namespace}/`;
  if (!claim.startsWith(prefix)) return false;
  const claimName = claim.slice(prefix.length);
  if (claimName === name) return true;
  if (workload.workloadKind !== 'StatefulSet') return false;
  const stem = `${name}-${workload.name}-`;
  return claimName.startsWith(stem) && /^\d+$/.test(claimName.slice(stem.length));
}

/**
 * Full detail: every PersistentVolume of the input as a cylinder in the cluster box, and a
 * structural (route) line from each workload PVC box whose claim is bound to it.
 */
export function volumeShapes(volumes: readonly PersistentVolumeData[], drawn: readonly DiagramNode[]): { nodes: VolumeShape[]; edges: DiagramEdge[] } {
  const nodes: VolumeShape[] = [];
  const edges: DiagramEdge[] = [];
  const workloads = drawn.filter((n): n is WorkloadShape => n.kind === 'workload' && n.count === 1);
  for (const v of volumes) {
    const id = volumeId(v.name);
    nodes.push({
      kind: 'volume', id, parent: CLUSTER_ID, name: v.name, claims: v.claims,
      ...(v.provider !== undefined ? { provider: v.provider } : {}),
      title: `PersistentVolume ${v.name}${v.provider !== undefined ? `\nprovider: ${v.provider}` : ''}` +
        `\n${v.claims.length > 0 ? `bound to ${v.claims.join(', ')}` : 'not bound to a claim'}`,
    });
    for (const w of workloads) {
      for (const c of w.configs) {
        if (c.kind !== 'PersistentVolumeClaim') continue;
        const bound = v.claims.filter((claim) => claimMatches(w, c.name, claim));
        if (bound.length === 0) continue;
        edges.push({
          id: `${w.id}->${id}#${claimPortKey(c.name)}#route`, source: w.id, sourcePort: claimPortKey(c.name), target: id, targetPort: 'in',
          style: 'route', label: '', strong: false,
          title: `${w.workloadKind} ${w.namespace}/${w.name}: claim ${c.name} bound to PersistentVolume ${v.name} (${bound.join(', ')})\nstorage, not a network flow`,
        });
      }
    }
  }
  return { nodes, edges };
}
