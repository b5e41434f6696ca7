import { measureText, type TextStyle } from '../measure.js';
import { textElement } from '../svg-writer.js';

/** Font sizes in px. */
export const FONT = {
  title: 18,
  cluster: 13,
  namespace: 12,
  name: 12,
  small: 10,
  badge: 10,
  edge: 10,
} as const;

/** Baseline-to-baseline distance: 1.3 em, so the boxes of stacked lines never touch. */
export function lineHeight(size: number): number {
  return Math.ceil(size * 1.3);
}

/** Width of a text line, rounded up to whole pixels. */
export function textWidth(text: string, style: TextStyle): number {
  return Math.ceil(measureText(text, style));
}

/** A `<text>` element: baseline at `y`; `anchor` start, middle or end. */
export function drawText(
  text: string, x: number, y: number,
  style: TextStyle & { anchor?: 'start' | 'middle' | 'end'; fill?: string },
): string {
  return textElement('text', {
    x, y, 'font-size': style.size, 'font-weight': style.bold ? 'bold' : undefined,
    'text-anchor': style.anchor && style.anchor !== 'start' ? style.anchor : undefined,
    fill: style.fill,
  }, text);
}

/** The baseline for text of `size` centred vertically on `centerY` (DejaVu's x-height sits near 0.36 em). */
export function centredBaseline(centerY: number, size: number): number {
  return centerY + size * 0.36;
}
