import type { Theme } from '../theme.js';
import { svgId } from '../format.js';
import { element, textElement } from '../svg-writer.js';
import type { LayoutContainer } from '../layout.js';
import { NAMESPACE_HEADER, namespaceLines, ZONE_LABEL_FONT } from '../elk-graph.js';
import { drawText, FONT, textWidth } from './text.js';
import { REPRESENTATIVE_DASH } from './representative.js';
import { drawCdeBox, drawPlatedText } from './zone.js';

const ID_PREFIX = { cluster: 'c', namespace: 'ns', cde: 'cde', 'peer-namespace': 'pns' } as const;

/**
 * The cluster box (KDL's "Kubernetes" rectangle, warm grey with a salmon accent), a namespace box
 * (hatched with a double border when it is wholly the CDE, shaded when wholly out of scope), or the
 * CDE box around the CDE shapes of a namespace.
 */
export function drawContainer(c: LayoutContainer, theme: Theme): string {
  const { x, y, width, height } = c.box;
  const parts = [textElement('title', {}, c.container.title)];
  const zoneStyle = { size: ZONE_LABEL_FONT, bold: true, fill: theme.zones.cde.stroke };
  switch (c.container.kind) {
    case 'cluster':
      parts.push(
        element('rect', { x, y, width, height, fill: theme.cluster.fill, stroke: theme.cluster.stroke, 'stroke-width': 2 }),
        drawText(c.container.label, x + 12, y + 22, { size: FONT.cluster, bold: true }),
      );
      break;
    case 'cde':
      parts.push(...drawCdeBox(c.box, theme, 6), ...drawPlatedText(c.container.label, x + 10, y + 19, zoneStyle, theme));
      break;
    case 'peer-namespace': {
      // dashed and unfilled: namespaces a selector chooses, which the input need not hold
      const tagWidth = textWidth('ns', { size: 9, bold: true }) + 8;
      parts.push(element('rect', { x, y, width, height, rx: 6, ry: 6, fill: 'none', stroke: theme.namespace.stroke, 'stroke-width': 1.25, 'stroke-dasharray': REPRESENTATIVE_DASH }));
      parts.push(element('rect', { x: x + 8, y: y + 8, width: tagWidth, height: 14, rx: 3, fill: 'none', stroke: theme.namespace.stroke, 'stroke-width': 1, 'stroke-dasharray': '2 1.5' }));
      parts.push(drawText('ns', x + 8 + tagWidth / 2, y + 18.5, { size: 9, bold: true, anchor: 'middle', fill: theme.namespace.stroke }));
      parts.push(drawText(c.container.label, x + 14 + tagWidth, y + NAMESPACE_HEADER.name, { size: FONT.namespace, bold: true }));
      break;
    }
    case 'namespace': {
      const tagWidth = textWidth('ns', { size: 9, bold: true }) + 8;
      if (c.container.zone === 'cde') parts.push(...drawCdeBox(c.box, theme, 6));
      else {
        const fill = c.container.zone === 'out-of-scope' ? theme.zones.outOfScope.fill : theme.namespace.fill;
        parts.push(element('rect', { x, y, width, height, rx: 6, ry: 6, fill, stroke: theme.namespace.stroke, 'stroke-width': 1 }));
      }
      parts.push(element('rect', { x: x + 8, y: y + 8, width: tagWidth, height: 14, rx: 3, fill: theme.namespace.stroke }));
      parts.push(drawText('ns', x + 8 + tagWidth / 2, y + 18.5, { size: 9, bold: true, anchor: 'middle', fill: '#ffffff' }));
      const nameStyle = { size: FONT.namespace, bold: true };
      if (c.container.zone === 'cde') parts.push(...drawPlatedText(c.container.label, x + 14 + tagWidth, y + NAMESPACE_HEADER.name, nameStyle, theme));
      else parts.push(drawText(c.container.label, x + 14 + tagWidth, y + NAMESPACE_HEADER.name, nameStyle));
      namespaceLines(c.container).forEach((line, i) => {
        const baseline = y + NAMESPACE_HEADER.name + NAMESPACE_HEADER.line * (i + 1);
        if (line.kind === 'zone') parts.push(...drawPlatedText(line.text, x + 10, baseline, zoneStyle, theme));
        else if (c.container.zone === 'cde') parts.push(...drawPlatedText(line.text, x + 10, baseline, { size: FONT.small, fill: theme.mutedText }, theme));
        else parts.push(drawText(line.text, x + 10, baseline, { size: FONT.small, fill: theme.mutedText }));
      });
      break;
    }
  }
  return element('g', { id: svgId(ID_PREFIX[c.container.kind], c.container.id), class: c.container.kind }, parts);
}
