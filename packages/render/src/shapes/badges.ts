import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import { polygonPath, roundedPath } from './path.js';
import { centredBaseline, drawText, FONT, textWidth } from './text.js';

export const BADGE_HEIGHT = 16;

/** Width of a KDL badge (controller code, replicas, Service type). */
export function badgeWidth(text: string): number {
  return Math.max(20, textWidth(text, { size: FONT.badge, bold: true }) + 8);
}

/** A filled badge with centred bold text. */
export function drawBadge(text: string, x: number, y: number, fill: string, textFill: string, stroke: string, title?: string): string {
  const width = badgeWidth(text);
  const parts = [
    element('rect', { x, y, width, height: BADGE_HEIGHT, rx: 2, fill, stroke, 'stroke-width': 0.75 }),
    drawText(text, x + width / 2, centredBaseline(y + BADGE_HEIGHT / 2, FONT.badge), { size: FONT.badge, bold: true, anchor: 'middle', fill: textFill }),
  ];
  return title === undefined ? element('g', {}, parts) : element('g', {}, [textElement('title', {}, title), ...parts]);
}

export const ICON_SIZE = 14;

/** A padlock: the workload is isolated for both ingress and egress. */
export function drawLock(x: number, y: number, theme: Theme, title: string): string {
  const s = ICON_SIZE;
  return element('g', {}, [
    textElement('title', {}, title),
    element('path', {
      d: roundedPath((p) => {
        p.moveTo(x + s * 0.3, y + s * 0.48);
        p.lineTo(x + s * 0.3, y + s * 0.32);
        p.arc(x + s / 2, y + s * 0.32, s * 0.2, Math.PI, 0);
        p.lineTo(x + s * 0.7, y + s * 0.48);
      }),
      fill: 'none', stroke: theme.lock, 'stroke-width': 1.5,
    }),
    element('rect', { x: x + s * 0.18, y: y + s * 0.46, width: s * 0.64, height: s * 0.5, rx: 1, fill: theme.lock }),
  ]);
}

/** A warning triangle: no policy isolates the workload in at least one direction (default-allow). */
export function drawWarning(x: number, y: number, theme: Theme, title: string): string {
  const s = ICON_SIZE;
  return element('g', {}, [
    textElement('title', {}, title),
    element('path', { d: polygonPath([[x + s / 2, y + 0.5], [x + s - 0.5, y + s - 1], [x + 0.5, y + s - 1]]), fill: theme.warning, stroke: '#000000', 'stroke-width': 0.75, 'stroke-linejoin': 'round' }),
    element('rect', { x: x + s / 2 - 0.9, y: y + s * 0.32, width: 1.8, height: s * 0.33, fill: '#000000' }),
    element('rect', { x: x + s / 2 - 0.9, y: y + s * 0.72, width: 1.8, height: 1.8, fill: '#000000' }),
  ]);
}
