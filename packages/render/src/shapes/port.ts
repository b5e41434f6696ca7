import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { PortBadge } from '../view/types.js';
import type { Box } from './geometry.js';
import { centredBaseline, drawText, FONT, textWidth } from './text.js';

export const PORT_HEIGHT = 18;
export const PORT_GAP = 4;

/** Width of a port square: at least square, wider for long labels. */
export function portWidth(badge: PortBadge): number {
  return Math.max(PORT_HEIGHT + 10, textWidth(badge.label, { size: FONT.small }) + 8);
}

/** A KDL port square (yellow) with its number, at an absolute box. */
export function drawPort(badge: PortBadge, box: Box, theme: Theme): string {
  return element('g', {}, [
    textElement('title', {}, `port ${badge.title}`),
    element('rect', { x: box.x, y: box.y, width: box.width, height: box.height, fill: theme.networking.fill, stroke: theme.networking.stroke, 'stroke-width': 1 }),
    drawText(badge.label, box.x + box.width / 2, centredBaseline(box.y + box.height / 2, FONT.small), { size: FONT.small, anchor: 'middle' }),
  ]);
}

/**
 * Positions of a node's port squares on its inbound side: stacked down the west side (direction
 * right) or along the top (direction down), outside the body and touching it.
 */
export function portBoxes(badges: readonly PortBadge[], direction: 'right' | 'down', start: number): Box[] {
  const boxes: Box[] = [];
  let offset = start;
  for (const badge of badges) {
    const width = portWidth(badge);
    if (direction === 'right') {
      boxes.push({ x: -width, y: offset, width, height: PORT_HEIGHT });
      offset += PORT_HEIGHT + PORT_GAP;
    } else {
      boxes.push({ x: offset, y: -PORT_HEIGHT, width, height: PORT_HEIGHT });
      offset += width + PORT_GAP;
    }
  }
  return boxes;
}

/** Where the stack of port squares ends (the next free offset along the inbound side). */
export function portStackEnd(badges: readonly PortBadge[], direction: 'right' | 'down', start: number): number {
  if (badges.length === 0) return start;
  const boxes = portBoxes(badges, direction, start);
  const last = boxes[boxes.length - 1]!;
  return direction === 'right' ? last.y + last.height : last.x + last.width;
}
