import { pathRound, type Path } from 'd3-path';

/** A path built with d3-path, every number rounded to 0.01. */
export function roundedPath(draw: (path: Path) => void): string {
  const path = pathRound(2);
  draw(path);
  return path.toString();
}

/** A closed polygon through `points`. */
export function polygonPath(points: readonly (readonly [number, number])[]): string {
  return roundedPath((p) => {
    points.forEach(([x, y], i) => (i === 0 ? p.moveTo(x, y) : p.lineTo(x, y)));
    p.closePath();
  });
}
