import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import type { DataStoreShape, Direction } from '../view/types.js';
import type { NodeGeometry } from './geometry.js';
import { FONT } from './text.js';
import { drawCylinder, layoutCylinder, type CylinderLine } from './cylinder.js';

const MIN_WIDTH = 96;

function linesOf(node: DataStoreShape): CylinderLine[] {
  return node.lines.map((text, i) => ({ text: truncateText(text, 40), size: i === 0 ? FONT.small + 1 : FONT.small, bold: i === 0 }));
}

/** Account data at rest: KDL's storage cylinder (as for a PersistentVolume), with a heavier rim. */
export function layoutDataStore(node: DataStoreShape, direction: Direction): NodeGeometry {
  return layoutCylinder(linesOf(node), MIN_WIDTH, direction);
}

export function drawDataStore(node: DataStoreShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  return drawCylinder(linesOf(node), node.title, at, layoutDataStore(node, direction), { body: 2, rim: 1.5 }, 'data-store', theme);
}
