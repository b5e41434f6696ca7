import type { Direction } from '../policy/evaluate.js';
import type { Exposure } from './compute.js';
import { formatPeer, peerToJson, type RepresentativePeerJson } from './peer.js';
import { exposurePortsToJson, formatExposurePorts, type ExposurePortJson } from './ports.js';

/** One row of the `exposure` field of `connections --exposure --format json` (public contract). */
export interface ExposureJson {
  readonly direction: Direction;
  readonly workload: string;
  readonly peer: RepresentativePeerJson;
  /** `[]`: the peer is carved out of a wider exposure and admitted on no port. */
  readonly ports: 'all' | readonly ExposurePortJson[];
  readonly via: readonly string[];
}

export function exposureToJson(exposure: Exposure): ExposureJson[] {
  return exposure.rows.map((row) => ({
    direction: row.direction, workload: row.workload, peer: peerToJson(row.peer), ports: exposurePortsToJson(row.ports), via: row.via,
  }));
}

/**
 * The exposure section of the text output, in netpol-analyzer's layout: egress rows
 * (`wl => peer : ports`), ingress rows (`wl <= peer : ports`), then the unprotected directions.
 */
export function formatExposureSection(exposure: Exposure): string[] {
  const lines = ['Exposure Analysis Result:'];
  for (const direction of ['egress', 'ingress'] as const) {
    lines.push(direction === 'egress' ? 'Egress Exposure:' : 'Ingress Exposure:');
    const rows = exposure.rows.filter((r) => r.direction === direction);
    const width = Math.max(0, ...rows.map((r) => r.workload.length));
    for (const row of rows) {
      lines.push(`${row.workload.padEnd(width)} ${direction === 'egress' ? '=>' : '<='} ${formatPeer(row.peer)} : ${formatExposurePorts(row.ports)}`);
    }
    if (rows.length === 0) lines.push('(none)');
    lines.push('');
  }
  lines.push('Workloads not protected by network policies:');
  for (const u of exposure.unprotected) lines.push(`${u.workload} is not protected on ${u.direction === 'ingress' ? 'Ingress' : 'Egress'}`);
  if (exposure.unprotected.length === 0) lines.push('(none)');
  return lines;
}
