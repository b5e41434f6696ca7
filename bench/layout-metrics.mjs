// Quality figures of a rendered diagram, read from its SVG text (what a reader sees, not what ELK
// was asked for): crossings of the drawn flow edges, edges whose end lies against the layout
// direction, bends, total edge length, and the text size in pt when the drawing is printed on a page.
// Pure functions of the SVG text, so the same SVG always gives the same figures.

/** A3 landscape, in pt (1 pt = 1/72 in; 1 mm = 72/25.4 pt). */
export const A3_LANDSCAPE = { width: (420 * 72) / 25.4, height: (297 * 72) / 25.4 };
/** The printer's margin on every side, in pt: 10 mm, as a print dialog's "fit to page" leaves. */
export const PAGE_MARGIN = (10 * 72) / 25.4;

/** Edge styles that draw permission; routes (`route`, `broken-route`) are structure and are left out. */
const STRUCTURE = new Set(['route', 'broken-route']);

/**
 * The edges of a netdiagram SVG: style and route (the first `<path>` of each `g.edge` is the full
 * route, before the line is shortened for its arrowhead).
 */
export function svgEdges(svg) {
  const edges = [];
  const pattern = /<g id="(e-[^"]*)" class="edge ([a-z-]+)[^"]*">[\s\S]*?<path d="([^"]*)"/g;
  for (const m of svg.matchAll(pattern)) edges.push({ id: m[1], style: m[2], points: pathPoints(m[3]) });
  return edges;
}

/** The points of an `M…L…L…` path (d3-shape's line writes nothing else for an orthogonal route). */
export function pathPoints(d) {
  const points = [];
  for (const m of d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)) {
    const p = { x: Number(m[1]), y: Number(m[2]) };
    const last = points[points.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) points.push(p);
  }
  // drop points in the middle of a straight run: they are not bends
  return points.filter((p, i) => {
    if (i === 0 || i === points.length - 1) return true;
    const a = points[i - 1];
    const b = points[i + 1];
    return !((a.x === p.x && p.x === b.x) || (a.y === p.y && p.y === b.y));
  });
}

function segments(points) {
  const out = [];
  for (let i = 1; i < points.length; i++) out.push([points[i - 1], points[i]]);
  return out;
}

/** Where a horizontal and a vertical segment cross inside both (touching at an end is no crossing). */
function crossing(s, t) {
  const [h, v] = s[0].y === s[1].y ? [s, t] : [t, s];
  if (h[0].y !== h[1].y || v[0].x !== v[1].x) return undefined;
  const x = v[0].x;
  const y = h[0].y;
  const inside = (value, a, b) => value > Math.min(a, b) && value < Math.max(a, b);
  return inside(x, h[0].x, h[1].x) && inside(y, v[0].y, v[1].y) ? { x, y } : undefined;
}

/**
 * Crossings between different edges, counted once per point: edges that share a bus and cross a
 * third edge there cross it once on paper.
 */
export function countCrossings(edges) {
  const points = new Set();
  const segs = edges.map((e) => segments(e.points));
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      for (const s of segs[i]) for (const t of segs[j]) {
        const p = crossing(s, t);
        if (p) points.add(`${p.x},${p.y}`);
      }
    }
  }
  return points.size;
}

/** Whether the edge ends behind where it starts, against the layout direction. */
export function isBackward(edge, direction = 'right') {
  const first = edge.points[0];
  const last = edge.points[edge.points.length - 1];
  if (!first || !last) return false;
  return direction === 'right' ? last.x < first.x : last.y < first.y;
}

function edgeLength(points) {
  let sum = 0;
  for (const [a, b] of segments(points)) sum += Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
  return sum;
}

function median(values) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The factor from SVG px to pt when the whole drawing is scaled to fit the page inside its margins. */
export function fitScale(width, height, page = A3_LANDSCAPE, margin = PAGE_MARGIN) {
  return Math.min((page.width - 2 * margin) / width, (page.height - 2 * margin) / height);
}

/** Every figure of one SVG. */
export function layoutMetrics(svg, { direction = 'right' } = {}) {
  const size = svg.match(/<svg [^>]*width="([\d.]+)" height="([\d.]+)"/);
  const width = Number(size?.[1] ?? 0);
  const height = Number(size?.[2] ?? 0);
  const all = svgEdges(svg);
  const flows = all.filter((e) => !STRUCTURE.has(e.style));
  const sizes = [...svg.matchAll(/<text [^>]*font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  const scale = fitScale(width, height);
  const round = (n, digits) => Math.round(n * 10 ** digits) / 10 ** digits;
  return {
    width, height,
    flowEdges: flows.length,
    routes: all.length - flows.length,
    crossings: countCrossings(flows),
    backward: flows.filter((e) => isBackward(e, direction)).length,
    bends: flows.reduce((sum, e) => sum + Math.max(0, e.points.length - 2), 0),
    length: Math.round(flows.reduce((sum, e) => sum + edgeLength(e.points), 0)),
    medianTextPt: round(median(sizes) * scale, 2),
    minTextPt: round(Math.min(...sizes) * scale, 2),
  };
}
