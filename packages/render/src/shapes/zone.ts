import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { DiagramNode, Direction } from '../view/types.js';
import type { Box } from './geometry.js';
import { nodeGeometry } from './node.js';
import { drawText, textWidth } from './text.js';

/** The id of the CDE's hatch pattern: the only id-reference (`url(#cde-hatch)`) the SVG uses. */
export const HATCH_ID = 'cde-hatch';
const HATCH_SIZE = 8;
/** The gap between the two lines of the CDE's double border. */
const DOUBLE_GAP = 3;
/** How far a shape's zone mark (shading, dashed outline) reaches around it. */
export const ZONE_HALO = 5;

/** The `<defs>` with the CDE hatch: diagonal lines that survive greyscale printing. */
export function drawZoneDefs(theme: Theme): string {
  return element('defs', {}, [
    element('pattern', { id: HATCH_ID, patternUnits: 'userSpaceOnUse', width: HATCH_SIZE, height: HATCH_SIZE, patternTransform: 'rotate(45)' }, [
      element('rect', { x: 0, y: 0, width: HATCH_SIZE, height: HATCH_SIZE, fill: theme.zones.cde.fill }),
      element('rect', { x: 0, y: 0, width: 2, height: HATCH_SIZE, fill: theme.zones.cde.hatch }),
    ]),
  ]);
}

/** The CDE's look on a box: hatched fill and a double border. */
export function drawCdeBox(box: Box, theme: Theme, radius: number): string[] {
  const { x, y, width, height } = box;
  const stroke = theme.zones.cde.stroke;
  return [
    element('rect', { x, y, width, height, rx: radius, ry: radius, fill: `url(#${HATCH_ID})`, stroke, 'stroke-width': 1.5 }),
    element('rect', {
      x: x + DOUBLE_GAP, y: y + DOUBLE_GAP, width: Math.max(0, width - 2 * DOUBLE_GAP), height: Math.max(0, height - 2 * DOUBLE_GAP),
      rx: Math.max(0, radius - DOUBLE_GAP), ry: Math.max(0, radius - DOUBLE_GAP), fill: 'none', stroke, 'stroke-width': 1.5,
    }),
  ];
}

/** Text on a white plate, so it reads over the hatch. */
export function drawPlatedText(text: string, x: number, baseline: number, style: { size: number; bold?: boolean; fill?: string }, theme: Theme): string[] {
  const width = textWidth(text, style);
  return [
    element('rect', { x: x - 3, y: baseline - style.size - 1, width: width + 6, height: style.size + 5, rx: 2, fill: theme.background }),
    drawText(text, x, baseline, style),
  ];
}

/** The extent of a drawn shape, port squares included. */
export function shapeExtent(node: DiagramNode, box: Box, direction: Direction): Box {
  const g = nodeGeometry(node, direction);
  let x0 = 0;
  let y0 = 0;
  let x1 = g.width;
  let y1 = g.height;
  for (const p of g.ports) {
    if (p.box.width === 0) continue;
    x0 = Math.min(x0, p.box.x);
    y0 = Math.min(y0, p.box.y);
    x1 = Math.max(x1, p.box.x + p.box.width);
    y1 = Math.max(y1, p.box.y + p.box.height);
  }
  return { x: box.x + x0, y: box.y + y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * A shape's zone mark, drawn under it: out of scope shaded grey (PCI DSS's "shaded box"),
 * connected-to outlined with a dash, and a CDE shape outside any CDE box hatched. Nothing where the
 * box around the shape already says it (`marked`).
 */
export function drawNodeZone(node: DiagramNode, box: Box, direction: Direction, theme: Theme, marked: boolean): string | undefined {
  if (node.zone === undefined || marked) return undefined;
  const e = shapeExtent(node, box, direction);
  const halo = { x: e.x - ZONE_HALO, y: e.y - ZONE_HALO, width: e.width + 2 * ZONE_HALO, height: e.height + 2 * ZONE_HALO };
  const title = textElement('title', {}, node.title);
  switch (node.zone) {
    case 'out-of-scope':
      return element('g', { class: 'zone out-of-scope' }, [title, element('rect', { ...halo, rx: 4, ry: 4, fill: theme.zones.outOfScope.fill, stroke: theme.zones.outOfScope.stroke, 'stroke-width': 1 })]);
    case 'connected':
      return element('g', { class: 'zone connected' }, [title, element('rect', { ...halo, rx: 4, ry: 4, fill: 'none', stroke: theme.zones.connected.stroke, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' })]);
    case 'cde':
      return element('g', { class: 'zone cde' }, [title, ...drawCdeBox(halo, theme, 4)]);
  }
}
