import type { Theme } from '../theme.js';
import { svgId } from '../format.js';
import { element, textElement } from '../svg-writer.js';
import type { LayoutContainer } from '../layout.js';
import { drawText, FONT, textWidth } from './text.js';

/** The cluster box (KDL's "Kubernetes" rectangle, warm grey with a salmon accent) or a namespace box. */
export function drawContainer(c: LayoutContainer, theme: Theme): string {
  const { x, y, width, height } = c.box;
  const parts = [textElement('title', {}, c.container.title)];
  if (c.container.kind === 'cluster') {
    parts.push(
      element('rect', { x, y, width, height, fill: theme.cluster.fill, stroke: theme.cluster.stroke, 'stroke-width': 2 }),
      drawText(c.container.label, x + 12, y + 22, { size: FONT.cluster, bold: true }),
    );
  } else {
    const tagWidth = textWidth('ns', { size: 9, bold: true }) + 8;
    parts.push(
      element('rect', { x, y, width, height, rx: 6, ry: 6, fill: theme.namespace.fill, stroke: theme.namespace.stroke, 'stroke-width': 1 }),
      element('rect', { x: x + 8, y: y + 8, width: tagWidth, height: 14, rx: 3, fill: theme.namespace.stroke }),
      drawText('ns', x + 8 + tagWidth / 2, y + 18.5, { size: 9, bold: true, anchor: 'middle', fill: '#ffffff' }),
      drawText(c.container.label, x + 14 + tagWidth, y + 19.5, { size: FONT.namespace, bold: true }),
    );
    if (c.container.note !== undefined) parts.push(drawText(c.container.note, x + 10, y + 36, { size: FONT.small, fill: theme.mutedText }));
  }
  return element('g', { id: svgId(c.container.kind === 'cluster' ? 'c' : 'ns', c.container.id), class: c.container.kind }, parts);
}
