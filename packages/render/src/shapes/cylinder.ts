import { num } from '../format.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { Direction } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { drawText, lineHeight, textWidth } from './text.js';

// KDL's storage cylinder, with centred lines of text under its top: a PersistentVolume, and the
// account data a `stores` workload keeps.

const PAD = 10;
/** Half-height of the cylinder's top and bottom ellipses. */
export const CYLINDER_RY = 6;

export interface CylinderLine {
  readonly text: string;
  readonly size: number;
  /** A bold line is drawn in the text colour, the others muted. */
  readonly bold: boolean;
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

/** A cylinder wide enough for its lines (and at least `minWidth`), tall enough for all of them. */
export function layoutCylinder(lines: readonly CylinderLine[], minWidth: number, direction: Direction): NodeGeometry {
  const width = Math.ceil(Math.max(minWidth, ...lines.map((l) => textWidth(l.text, { size: l.size, bold: l.bold }) + 2 * PAD)));
  const height = Math.ceil(2 * CYLINDER_RY + 6 + lines.reduce((sum, l) => sum + lineHeight(l.size), 0) + 6);
  return { width, height, ports: plainPorts(width, height, direction) };
}

/** The cylinder at `at` in a `<g class=…>`, its outline and rim `stroke` wide. */
export function drawCylinder(
  lines: readonly CylinderLine[], title: string, at: { x: number; y: number }, geometry: NodeGeometry,
  stroke: { readonly body: number; readonly rim: number }, className: string, theme: Theme,
): string {
  const paths = cylinderPaths(at.x, at.y, geometry.width, geometry.height);
  const parts = [
    textElement('title', {}, title),
    element('path', { d: paths.body, fill: theme.storage.fill, stroke: theme.storage.stroke, 'stroke-width': stroke.body }),
    element('path', { d: paths.rim, fill: 'none', stroke: theme.storage.stroke, 'stroke-width': stroke.rim }),
  ];
  let y = at.y + 2 * CYLINDER_RY + 4;
  for (const l of lines) {
    y += lineHeight(l.size);
    parts.push(drawText(l.text, at.x + geometry.width / 2, y - (lineHeight(l.size) - l.size) - 1, { size: l.size, bold: l.bold, anchor: 'middle', fill: l.bold ? theme.text : theme.mutedText }));
  }
  return element('g', { class: className }, parts);
}
