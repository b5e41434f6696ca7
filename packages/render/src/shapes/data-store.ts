import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { DataStoreShape, Direction } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { drawText, FONT, lineHeight, textWidth } from './text.js';
import { CYLINDER_RY, cylinderPaths } from './volume.js';

const PAD = 10;
const MIN_WIDTH = 96;

function linesOf(node: DataStoreShape): { text: string; size: number; bold: boolean }[] {
  return node.lines.map((text, i) => ({ text: truncateText(text, 40), size: i === 0 ? FONT.small + 1 : FONT.small, bold: i === 0 }));
}

/** Account data at rest: KDL's storage cylinder (as for a PersistentVolume), with a heavier rim. */
export function layoutDataStore(node: DataStoreShape, direction: Direction): NodeGeometry {
  const lines = linesOf(node);
  const width = Math.ceil(Math.max(MIN_WIDTH, ...lines.map((l) => textWidth(l.text, { size: l.size, bold: l.bold }) + 2 * PAD)));
  const height = Math.ceil(2 * CYLINDER_RY + 6 + lines.reduce((sum, l) => sum + lineHeight(l.size), 0) + 6);
  return { width, height, ports: plainPorts(width, height, direction) };
}

export function drawDataStore(node: DataStoreShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutDataStore(node, direction);
  const paths = cylinderPaths(at.x, at.y, g.width, g.height);
  const parts = [
    textElement('title', {}, node.title),
    element('path', { d: paths.body, fill: theme.storage.fill, stroke: theme.storage.stroke, 'stroke-width': 2 }),
    element('path', { d: paths.rim, fill: 'none', stroke: theme.storage.stroke, 'stroke-width': 1.5 }),
  ];
  let y = at.y + 2 * CYLINDER_RY + 4;
  for (const l of linesOf(node)) {
    y += lineHeight(l.size);
    parts.push(drawText(l.text, at.x + g.width / 2, y - (lineHeight(l.size) - l.size) - 1, { size: l.size, bold: l.bold, anchor: 'middle', fill: l.bold ? theme.text : theme.mutedText }));
  }
  return element('g', { class: 'data-store' }, parts);
}
