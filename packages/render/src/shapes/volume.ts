import { num } from '../format.js';
import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { Direction, VolumeShape } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { drawText, FONT, lineHeight, textWidth } from './text.js';

const PAD = 10;
/** Half-height of the cylinder's top and bottom ellipses. */
export const CYLINDER_RY = 6;
const MIN_WIDTH = 90;

function linesOf(node: VolumeShape): { text: string; size: number; bold: boolean }[] {
  return [
    { text: truncateText(node.name), size: FONT.small + 1, bold: true },
    ...(node.provider !== undefined ? [{ text: truncateText(node.provider), size: FONT.small, bold: false }] : []),
  ];
}

/** A PersistentVolume: KDL's blue cylinder with its name and provider. */
export function layoutVolume(node: VolumeShape, direction: Direction): NodeGeometry {
  const lines = linesOf(node);
  const width = Math.ceil(Math.max(MIN_WIDTH, ...lines.map((l) => textWidth(l.text, { size: l.size, bold: l.bold }) + 2 * PAD)));
  const height = Math.ceil(2 * CYLINDER_RY + 6 + lines.reduce((sum, l) => sum + lineHeight(l.size), 0) + 6);
  return { width, height, ports: plainPorts(width, height, direction) };
}

/** The outline of a cylinder in the box, and the front rim of its top. */
export function cylinderPaths(x: number, y: number, width: number, height: number, ry = CYLINDER_RY): { body: string; rim: string } {
  const rx = width / 2;
  const arc = (dx: number) => `a${num(rx)} ${num(ry)} 0 0 0 ${num(dx)} 0`;
  return {
    body: `M${num(x)} ${num(y + ry)}v${num(height - 2 * ry)}${arc(width)}v${num(-(height - 2 * ry))}${arc(-width)}z`,
    rim: `M${num(x)} ${num(y + ry)}${arc(width)}`,
  };
}

export function drawVolume(node: VolumeShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutVolume(node, direction);
  const paths = cylinderPaths(at.x, at.y, g.width, g.height);
  const parts = [
    textElement('title', {}, node.title),
    element('path', { d: paths.body, fill: theme.storage.fill, stroke: theme.storage.stroke, 'stroke-width': 1.25 }),
    element('path', { d: paths.rim, fill: 'none', stroke: theme.storage.stroke, 'stroke-width': 1 }),
  ];
  let y = at.y + 2 * CYLINDER_RY + 4;
  for (const l of linesOf(node)) {
    y += lineHeight(l.size);
    parts.push(drawText(l.text, at.x + g.width / 2, y - (lineHeight(l.size) - l.size) - 1, { size: l.size, bold: l.bold, anchor: 'middle', fill: l.bold ? theme.text : theme.mutedText }));
  }
  return element('g', { class: 'volume' }, parts);
}
