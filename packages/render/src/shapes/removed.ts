import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { Direction, RemovedShape } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { drawText, FONT, lineHeight, textWidth } from './text.js';

const PAD = 8;

function linesOf(node: RemovedShape): { text: string; bold: boolean; size: number }[] {
  return [
    { text: truncateText(node.name), bold: true, size: FONT.small + 1 },
    { text: truncateText(`${node.objectKind}: removed`), bold: false, size: FONT.small },
  ];
}

/** A workload or Ingress that the previous input had: a dashed, empty box in the removed-flow colour. */
export function layoutRemoved(node: RemovedShape, direction: Direction): NodeGeometry {
  const lines = linesOf(node);
  const width = Math.ceil(Math.max(...lines.map((l) => textWidth(l.text, { size: l.size, bold: l.bold }))) + 2 * PAD);
  const height = Math.ceil(lines.reduce((sum, l) => sum + lineHeight(l.size), 0) + 2 * PAD);
  return { width, height, ports: plainPorts(width, height, direction) };
}

export function drawRemoved(node: RemovedShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutRemoved(node, direction);
  const parts = [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: g.width, height: g.height, fill: theme.background, stroke: theme.edges.removed.stroke, 'stroke-width': 1.5, 'stroke-dasharray': theme.edges.removed.dash }),
  ];
  let y = at.y + PAD;
  for (const l of linesOf(node)) {
    y += lineHeight(l.size);
    parts.push(drawText(l.text, at.x + g.width / 2, y - (lineHeight(l.size) - l.size) - 1, { size: l.size, bold: l.bold, anchor: 'middle', fill: l.bold ? theme.text : theme.mutedText }));
  }
  return element('g', {}, parts);
}
