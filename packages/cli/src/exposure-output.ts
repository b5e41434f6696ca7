import { formatExposurePorts, formatExposureSection, formatPeer, type Exposure } from '@netdiagram/core';
import { markdownCell, terminalText } from './escape.js';

// `connections --exposure`: the representative peers each workload admits, in the four formats of
// `connections`. Text follows netpol-analyzer's layout; JSON is the `exposure` field of the contract.

export function exposureText(exposure: Exposure): string {
  return `\n${formatExposureSection(exposure).map((l) => `${terminalText(l)}\n`).join('')}`;
}

/** Rows of the CSV table: ingress rows read peer → workload, egress rows workload → peer. */
export function exposureCsvRows(exposure: Exposure): string[][] {
  return exposure.rows.map((row) => {
    const peer = formatPeer(row.peer);
    const [from, to] = row.direction === 'ingress' ? [peer, row.workload] : [row.workload, peer];
    return [row.direction, from, to, formatExposurePorts(row.ports), row.via.join(' ')];
  });
}

export function exposureMarkdown(exposure: Exposure): string {
  const lines = ['', '### Exposure', '', '| direction | from | to | ports | allowed by |', '| --- | --- | --- | --- | --- |'];
  for (const [direction, from, to, ports, via] of exposureCsvRows(exposure)) {
    lines.push(`| ${[direction!, from!, to!, ports!, via!.split(' ').join(', ')].map(markdownCell).join(' | ')} |`);
  }
  const unprotected = exposure.unprotected.map((u) => `${u.workload} (${u.direction})`);
  lines.push('', `Workloads not protected by network policies: ${unprotected.length === 0 ? 'none' : unprotected.map(markdownCell).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
