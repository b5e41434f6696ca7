import type { Point } from './shapes/geometry.js';
import type { LayoutEdge } from './layout.js';

/** How far a route's end moves off a flow's end on the same port: clear of the flow's arrowhead, inside the 18 px port square. */
export const ROUTE_OFFSET = 5;

const isStructure = (e: LayoutEdge) => e.edge.style === 'route' || e.edge.style === 'broken-route';

/**
 * Routes (Service → pod structure) that land where a flow lands, moved aside by `ROUTE_OFFSET`
 * across their last segment, so the permission's arrowhead and the structure's both show. The last
 * two points move together, so the route stays orthogonal; a straight route gets a jog.
 */
export function offsetRoutes(edges: readonly LayoutEdge[]): LayoutEdge[] {
  const key = (p: Point) => `${p.x},${p.y}`;
  const flowEnds = new Set(edges.filter((e) => !isStructure(e) && e.points.length > 0).map((e) => key(e.points[e.points.length - 1]!)));
  return edges.map((e) => {
    if (!isStructure(e) || e.points.length < 2 || !flowEnds.has(key(e.points[e.points.length - 1]!))) return e;
    return { ...e, points: shiftEnd(e.points, ROUTE_OFFSET) };
  });
}

function shiftEnd(points: readonly Point[], by: number): Point[] {
  const n = points.length;
  const end = points[n - 1]!;
  const before = points[n - 2]!;
  const horizontal = end.y === before.y;
  const move = (p: Point): Point => (horizontal ? { x: p.x, y: p.y + by } : { x: p.x + by, y: p.y });
  if (n === 2) {
    // a straight line: keep its start, jog halfway
    const mid = horizontal ? { x: (before.x + end.x) / 2, y: before.y } : { x: before.x, y: (before.y + end.y) / 2 };
    return [before, mid, move(mid), move(end)];
  }
  return [...points.slice(0, n - 2), move(before), move(end)];
}
