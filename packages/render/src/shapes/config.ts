import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { ConfigBadge } from '../view/types.js';
import type { Box } from './geometry.js';
import { drawText, FONT, lineHeight, textWidth } from './text.js';

export const CONFIG_HEIGHT = 30;
export const CONFIG_GAP = 6;
const KIND_FONT = 9;
const KIND_WORDS: Readonly<Record<ConfigBadge['kind'], string>> = { ConfigMap: 'configmap', Secret: 'secret', PersistentVolumeClaim: 'pvc' };

export function configLabel(badge: ConfigBadge): string {
  return truncateText(badge.name, 24);
}

/** Width of a KDL blue box: the longer of its name and kind lines. */
export function configWidth(badge: ConfigBadge): number {
  return Math.max(textWidth(configLabel(badge), { size: FONT.small }), textWidth(KIND_WORDS[badge.kind], { size: KIND_FONT })) + 12;
}

/** A ConfigMap, Secret or PVC as KDL's blue box: name, then kind (names only, never data). */
export function drawConfig(badge: ConfigBadge, box: Box, theme: Theme): string {
  const cx = box.x + box.width / 2;
  return element('g', {}, [
    textElement('title', {}, `${badge.kind} ${badge.name}`),
    element('rect', { x: box.x, y: box.y, width: box.width, height: box.height, fill: theme.storage.fill, stroke: theme.storage.stroke, 'stroke-width': 1 }),
    drawText(configLabel(badge), cx, box.y + 3 + FONT.small, { size: FONT.small, anchor: 'middle' }),
    drawText(KIND_WORDS[badge.kind], cx, box.y + 3 + FONT.small + lineHeight(KIND_FONT), { size: KIND_FONT, anchor: 'middle', fill: theme.mutedText }),
  ]);
}

/**
 * Places config boxes in rows (direction right: under the body, wrapping at `maxWidth`) or in a
 * column (direction down: beside the body), relative to the body's top-left corner.
 */
export function configBoxes(badges: readonly ConfigBadge[], direction: 'right' | 'down', body: { width: number; height: number }, padding: number): Box[] {
  const boxes: Box[] = [];
  if (direction === 'down') {
    let y = padding;
    for (const b of badges) {
      boxes.push({ x: body.width, y, width: configWidth(b), height: CONFIG_HEIGHT });
      y += CONFIG_HEIGHT + CONFIG_GAP / 2;
    }
    return boxes;
  }
  let x = padding;
  let y = body.height;
  for (const b of badges) {
    const width = configWidth(b);
    if (x > padding && x + width > body.width - padding) {
      x = padding;
      y += CONFIG_HEIGHT + CONFIG_GAP / 2;
    }
    boxes.push({ x, y, width, height: CONFIG_HEIGHT });
    x += width + CONFIG_GAP;
  }
  return boxes;
}
