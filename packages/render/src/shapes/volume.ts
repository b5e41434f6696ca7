import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import type { Direction, VolumeShape } from '../view/types.js';
import type { NodeGeometry } from './geometry.js';
import { FONT } from './text.js';
import { drawCylinder, layoutCylinder, type CylinderLine } from './cylinder.js';

export { CYLINDER_RY, cylinderPaths } from './cylinder.js';

const MIN_WIDTH = 90;

function linesOf(node: VolumeShape): CylinderLine[] {
  return [
    { text: truncateText(node.name), size: FONT.small + 1, bold: true },
    ...(node.provider !== undefined ? [{ text: truncateText(node.provider), size: FONT.small, bold: false }] : []),
  ];
}

/** A PersistentVolume: KDL's blue cylinder with its name and provider. */
export function layoutVolume(node: VolumeShape, direction: Direction): NodeGeometry {
  return layoutCylinder(linesOf(node), MIN_WIDTH, direction);
}

export function drawVolume(node: VolumeShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  return drawCylinder(linesOf(node), node.title, at, layoutVolume(node, direction), { body: 1.25, rim: 1 }, 'volume', theme);
}
