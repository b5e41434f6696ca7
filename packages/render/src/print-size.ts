import { placeOnPage, type PageSpec } from './page.js';

/**
 * The smallest median text size, in points, a page may print: below about 6 pt paper is
 * unreadable, and assessors print. `renderPages` splits a diagram rather than go under it.
 */
export const MIN_TEXT_PT = 7;

/** The width and height of the root `<svg>` element, as renderSvg writes them (plain numbers, in SVG units). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('needs an <svg> root with a width and height in SVG units, as renderSvg writes it');
  return { width, height };
}

/** The font size of every `<text>` of diagram SVG, in SVG units (renderSvg sets one on each). */
export function textSizes(svg: string): number[] {
  return [...svg.matchAll(/<text\b[^>]*\sfont-size="([\d.]+)"/g)].map((m) => Number(m[1]));
}

/** How large a diagram's text prints on `page`, in points: the median and the smallest, with the drawing fitted to the page. */
export function printedTextSize(svg: string, page: PageSpec): { median: number; min: number } {
  return textSizeOnPage(textSizes(svg), svgSize(svg), page);
}

/** The same, from the font sizes of a drawing's text and the drawing's size in SVG units. */
export function textSizeOnPage(fontSizes: readonly number[], drawing: { readonly width: number; readonly height: number }, page: PageSpec): { median: number; min: number } {
  const { scale } = placeOnPage(drawing, page);
  const sizes = [...fontSizes].sort((a, b) => a - b);
  if (sizes.length === 0) return { median: 0, min: 0 };
  const mid = Math.floor(sizes.length / 2);
  const median = sizes.length % 2 === 1 ? sizes[mid]! : (sizes[mid - 1]! + sizes[mid]!) / 2;
  return { median: round2(median * scale), min: round2(sizes[0]! * scale) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
