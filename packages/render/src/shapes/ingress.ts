import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { Direction, IngressShape } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { polygonPath } from './path.js';
import { drawText, FONT, lineHeight, textWidth } from './text.js';

const SKEW = 12;
const PAD = 8;

/** A Gateway's inner outline sits this far inside its outer one: two walls, a gate (KDL has no Gateway shape). */
const WALL = 3;

function linesOf(node: IngressShape): { text: string; bold: boolean }[] {
  const lines: { text: string; bold: boolean }[] = [];
  if (node.listeners.length > 0) lines.push({ text: truncateText(node.listeners.join(' \u00b7 '), 40), bold: false });
  if (node.hosts.length > 0) lines.push({ text: truncateText(node.hosts[0]!, 40), bold: false });
  if (node.hosts.length > 1) lines.push({ text: `+${node.hosts.length - 1} more host${node.hosts.length > 2 ? 's' : ''}`, bold: false });
  lines.push({ text: truncateText(node.name), bold: true });
  return lines;
}

/**
 * KDL's Ingress parallelogram: host, then name. A Gateway is the same parallelogram drawn with a
 * second wall inside the first, its listeners (`HTTP 80 · HTTPS 443`) above the host.
 */
export function layoutIngress(node: IngressShape, direction: Direction): NodeGeometry {
  const lines = linesOf(node);
  const walls = node.ingressKind === 'Gateway' ? 2 * WALL : 0;
  const width = Math.ceil(Math.max(...lines.map((l) => textWidth(l.text, { size: FONT.small + 1, bold: l.bold }))) + 2 * SKEW + 2 * PAD + 2 * walls);
  const height = Math.ceil(lines.length * lineHeight(FONT.small + 1) + 2 * PAD - 2 + walls);
  return { width, height, ports: plainPorts(width, height, direction, direction === 'right' ? SKEW / 2 : 0) };
}

export function drawIngress(node: IngressShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutIngress(node, direction);
  const { x, y } = at;
  const lines = linesOf(node);
  const size = FONT.small + 1;
  const gateway = node.ingressKind === 'Gateway';
  const parts = [
    textElement('title', {}, node.title),
    element('path', { d: polygonPath([[x + SKEW, y], [x + g.width, y], [x + g.width - SKEW, y + g.height], [x, y + g.height]]), fill: theme.networking.fill, stroke: theme.networking.stroke, 'stroke-width': 1.25 }),
  ];
  if (gateway) parts.push(element('path', { d: gatewayWall(x, y, g.width, g.height), fill: 'none', stroke: theme.networking.stroke, 'stroke-width': 1 }));
  const top = y + PAD - 2 + size + (gateway ? WALL : 0);
  lines.forEach((l, i) => {
    parts.push(drawText(l.text, x + g.width / 2, top + i * lineHeight(size), { size, bold: l.bold, anchor: 'middle' }));
  });
  return element('g', {}, parts);
}

/** The Gateway's inner wall: the parallelogram again, WALL inside the outer one on every side. */
export function gatewayWall(x: number, y: number, width: number, height: number): string {
  // the slanted sides move inwards by WALL along the horizontal, as much as the flat ones move down
  const inset = WALL + WALL * SKEW / height;
  return polygonPath([
    [x + SKEW + inset, y + WALL], [x + width - WALL - WALL * SKEW / height, y + WALL],
    [x + width - SKEW - inset, y + height - WALL], [x + WALL + WALL * SKEW / height, y + height - WALL],
  ]);
}
