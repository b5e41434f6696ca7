import { line } from 'd3-shape';
import { pathRound } from 'd3-path';
import { svgId } from '../format.js';
import type { EdgeLook, Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import { EDGE_LABEL_PAD_X, FLOW_BADGE_FONT, FLOW_BADGE_GAP, FLOW_BADGE_PAD, flowBadgeWidth } from '../elk-graph.js';
import { boundaryBadgeText } from '../view/edges.js';
import type { LayoutEdge } from '../layout.js';
import type { Point } from './geometry.js';
import { polygonPath, roundedPath } from './path.js';
import { centredBaseline, drawText, FONT } from './text.js';

/** Arrowhead length for a line style: thick lines get larger heads. */
export function arrowSize(look: EdgeLook): number {
  return look.width >= 2 ? 12 : 9;
}

/**
 * An arrowhead at the end of `points`, as a plain path (no `<marker>`: resvg 2.6 aborts on markers
 * outside the viewport, and some viewers draw markers badly): a filled triangle or an open chevron.
 */
export function drawArrowhead(points: readonly Point[], look: EdgeLook): string {
  const tip = points[points.length - 1]!;
  const from = [...points].reverse().find((p) => p.x !== tip.x || p.y !== tip.y) ?? { x: tip.x - 1, y: tip.y };
  const length = Math.hypot(tip.x - from.x, tip.y - from.y);
  const ux = (tip.x - from.x) / length;
  const uy = (tip.y - from.y) / length;
  const size = arrowSize(look);
  const half = size * 0.42;
  const bx = tip.x - ux * size;
  const by = tip.y - uy * size;
  const left: [number, number] = [bx - uy * half, by + ux * half];
  const right: [number, number] = [bx + uy * half, by - ux * half];
  return look.arrow === 'filled'
    ? element('path', { d: polygonPath([[tip.x, tip.y], left, right]), fill: look.stroke })
    : element('path', {
        d: roundedPath((p) => {
          p.moveTo(left[0], left[1]);
          p.lineTo(tip.x, tip.y);
          p.lineTo(right[0], right[1]);
        }),
        fill: 'none', stroke: look.stroke, 'stroke-width': 2, 'stroke-linejoin': 'miter',
      });
}

/** The route shortened at its end, so a thick line stops inside its arrowhead instead of poking through the tip. */
function shortened(points: readonly Point[], by: number): Point[] {
  if (points.length < 2) return [...points];
  const tip = points[points.length - 1]!;
  const prev = points[points.length - 2]!;
  const length = Math.hypot(tip.x - prev.x, tip.y - prev.y);
  if (length <= by) return [...points];
  const t = (length - by) / length;
  return [...points.slice(0, -1), { x: prev.x + (tip.x - prev.x) * t, y: prev.y + (tip.y - prev.y) * t }];
}

/** The SVG path of an orthogonal route, written by d3-shape into a rounding d3-path context. */
export function routePath(points: readonly Point[]): string {
  const context = pathRound(2);
  line<Point>().x((p) => p.x).y((p) => p.y).context(context)(points as Point[]);
  return context.toString();
}

/** An edge's line, hover target and junction dots (its label is drawn separately, on top). */
export function drawEdgeLine(e: LayoutEdge, theme: Theme): string {
  const look = theme.edges[e.edge.style];
  const d = routePath(e.points);
  const parts = [
    textElement('title', {}, e.edge.title),
    // a wide invisible stroke, so the tooltip shows when the pointer is near the line
    element('path', { d, fill: 'none', stroke: '#000000', 'stroke-opacity': 0, 'stroke-width': 9 }),
  ];
  if (e.edge.change !== undefined) parts.push(drawChangeHalo(d, look, e.edge.change, theme));
  parts.push(
    element('path', {
      d: routePath(shortened(e.points, look.arrow === 'filled' ? arrowSize(look) * 0.6 : look.width)),
      fill: 'none', stroke: look.stroke, 'stroke-width': look.width, 'stroke-dasharray': look.dash === '' ? undefined : look.dash,
      'stroke-linejoin': 'round',
    }),
    drawArrowhead(e.points, look),
    ...e.junctions.map((j) => element('circle', { cx: j.x, cy: j.y, r: Math.max(2, look.width + 0.75), fill: look.stroke })),
  );
  return element('g', { id: svgId('e', e.edge.id), class: `edge ${e.edge.style}${e.edge.change ? ` ${e.edge.change}` : ''}` }, parts);
}

/** The highlight under a flow of a diff diagram: a wide band, solid when added, dashed when changed. */
export function drawChangeHalo(d: string, look: EdgeLook, change: 'added' | 'changed', theme: Theme): string {
  return element('path', {
    d, fill: 'none', stroke: change === 'added' ? theme.changes.added : theme.changes.changed, 'stroke-opacity': 0.5,
    'stroke-width': look.width + 7, 'stroke-linejoin': 'round', 'stroke-dasharray': change === 'changed' ? '10 4' : undefined,
  });
}

/** The badge of CDE boundary numbers: white bold text on the CDE colour. */
export function drawFlowBadge(text: string, x: number, centerY: number, theme: Theme): string[] {
  const width = flowBadgeWidth(text);
  const height = FLOW_BADGE_FONT + 3;
  return [
    element('rect', { x, y: centerY - height / 2, width, height, rx: 2, fill: theme.boundaryBadge.fill }),
    drawText(text, x + FLOW_BADGE_PAD, centredBaseline(centerY, FLOW_BADGE_FONT), { size: FLOW_BADGE_FONT, bold: true, fill: theme.boundaryBadge.text }),
  ];
}

/** An edge's label on a white plate with the edge's colour as border, so it reads over crossing lines. */
export function drawEdgeLabel(e: LayoutEdge, theme: Theme): string | undefined {
  if (!e.label || e.edge.label === '') return undefined;
  const look = theme.edges[e.edge.style];
  const { x, y, width, height } = e.label;
  const badge = boundaryBadgeText(e.edge.boundary);
  const textX = x + EDGE_LABEL_PAD_X + (badge === undefined ? 0 : flowBadgeWidth(badge) + FLOW_BADGE_GAP);
  const border = e.edge.change === 'added' ? theme.changes.added : e.edge.change === 'changed' ? theme.changes.changed : look.stroke;
  return element('g', { class: 'edge-label' }, [
    textElement('title', {}, e.edge.title),
    element('rect', { x, y, width, height, rx: 3, fill: theme.background, 'fill-opacity': 0.92, stroke: border, 'stroke-width': e.edge.change ? 1.5 : 0.6 }),
    ...(badge === undefined ? [] : drawFlowBadge(badge, x + EDGE_LABEL_PAD_X - 1, y + height / 2, theme)),
    drawText(e.edge.label, textX, centredBaseline(y + height / 2, FONT.edge), { size: FONT.edge, bold: e.edge.strong, fill: theme.text }),
  ]);
}
