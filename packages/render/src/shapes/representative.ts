import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { Direction, RepresentativeShape } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { centredBaseline, drawText, FONT, lineHeight, textWidth } from './text.js';

const PAD = 8;
const MIN_WIDTH = 110;
/** The dash of a representative peer's outline and of its namespace box: pods that may not exist yet. */
export const REPRESENTATIVE_DASH = '5 3';

function lines(node: RepresentativeShape): string[] {
  return node.entireCluster ? ['any pod', 'in the cluster'] : [node.label];
}

/**
 * A representative peer: KDL's pod rectangle, dashed and empty (no controller, no replicas, no
 * padlock: nobody knows which pods these are), with its selector in kubectl syntax.
 */
export function layoutRepresentative(node: RepresentativeShape, direction: Direction): NodeGeometry {
  const text = lines(node);
  const width = Math.ceil(Math.max(MIN_WIDTH, ...text.map((l, i) => textWidth(l, { size: FONT.name, bold: node.entireCluster && i === 0 }) + 2 * PAD)));
  const height = Math.ceil(text.length * lineHeight(FONT.name) + 2 * PAD);
  return { width, height, ports: plainPorts(width, height, direction) };
}

export function drawRepresentative(node: RepresentativeShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutRepresentative(node, direction);
  const text = lines(node);
  const top = at.y + (g.height - text.length * lineHeight(FONT.name)) / 2;
  return element('g', {}, [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: g.width, height: g.height, fill: theme.background, stroke: theme.pod.stroke, 'stroke-width': 1.25, 'stroke-dasharray': REPRESENTATIVE_DASH }),
    ...text.map((l, i) => drawText(l, at.x + g.width / 2, centredBaseline(top + (i + 0.5) * lineHeight(FONT.name), FONT.name), { size: FONT.name, bold: node.entireCluster && i === 0, anchor: 'middle' })),
  ]);
}
