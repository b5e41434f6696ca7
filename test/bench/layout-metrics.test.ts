import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { countCrossings, fitScale, layoutMetrics, pathPoints } from '../../bench/layout-metrics.mjs';

const edge = (id: string, style: string, d: string) =>
  `<g id="e-${id}" class="edge ${style}">\n<title>${id}</title>\n<path d="${d}" fill="none"/>\n<path d="${d}"/>\n</g>`;
const svg = (width: number, height: number, body: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">\n${body.join('\n')}\n</svg>\n`;

describe('layout quality figures read from an SVG', () => {
  it('counts a crossing once per point, however many edges of a shared bus pass it', () => {
    const bus = [{ x: 0, y: 50 }, { x: 100, y: 50 }];
    const vertical = [{ x: 50, y: 0 }, { x: 50, y: 100 }];
    expect(countCrossings([{ points: bus }, { points: bus }, { points: vertical }])).toBe(1);
  });

  it('does not count edges that only touch where one branches off the other', () => {
    const trunk = [{ x: 0, y: 50 }, { x: 100, y: 50 }];
    const branch = [{ x: 0, y: 50 }, { x: 50, y: 50 }, { x: 50, y: 100 }];
    expect(countCrossings([{ points: trunk }, { points: branch }])).toBe(0);
  });

  it('drops points in the middle of a straight run, so they are not counted as bends', () => {
    expect(pathPoints('M0,0L10,0L20,0L20,30')).toEqual([{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 30 }]);
  });

  it('reports backward flow edges and leaves Service routes out of every figure', () => {
    const m = layoutMetrics(svg(1000, 500, [
      edge('a', 'flow', 'M0,10L100,10'),
      edge('b', 'flow', 'M200,20L150,20L150,40L50,40'),
      edge('r', 'route', 'M300,0L0,0L0,300'),
      '<text x="0" y="0" font-size="10">x</text>',
      '<text x="0" y="0" font-size="12">y</text>',
      '<text x="0" y="0" font-size="12">z</text>',
    ]));
    expect(m).toMatchObject({ flowEdges: 2, routes: 1, backward: 1, bends: 2, length: 100 + 50 + 20 + 100 });
    // 12 px is the median; a 1000 px wide drawing is scaled by (A3 width − margins) / 1000
    expect(m.medianTextPt).toBeCloseTo(12 * fitScale(1000, 500), 2);
  });
});
