/** The paper sizes a PDF page can take: ISO A4 and A3, and US letter and legal. */
export type PaperName = 'A4' | 'A3' | 'letter' | 'legal';
export type Orientation = 'portrait' | 'landscape';

/** A PDF page: a sheet of paper, or the drawing's own size (`--page none`, for screens). */
export type PageSpec =
  | { readonly kind: 'paper'; readonly paper: PaperName; readonly orientation: Orientation }
  | { readonly kind: 'drawing' };

/** A3 landscape: the page an assessor prints a network diagram on, and the default of `diagram -o *.pdf`. */
export const DEFAULT_PAGE: PageSpec = { kind: 'paper', paper: 'A3', orientation: 'landscape' };

/** The white border left around the drawing on paper: within what every office printer can print. */
export const PAGE_MARGIN_MM = 10;

/** PDF points per millimetre (a point is 1/72 inch). */
const POINTS_PER_MM = 72 / 25.4;
/** PDF points per SVG unit: SVG user units are CSS pixels, 96 to the inch. */
const POINTS_PER_SVG_UNIT = 72 / 96;

/** Short side × long side of each paper, in points; ISO sizes are defined in millimetres, US sizes in inches. */
const PAPER_POINTS: Readonly<Record<PaperName, readonly [number, number]>> = {
  A4: [mm(210), mm(297)],
  A3: [mm(297), mm(420)],
  letter: [8.5 * 72, 11 * 72],
  legal: [8.5 * 72, 14 * 72],
};

const PAPER_BY_LOWER_CASE: ReadonlyMap<string, PaperName> = new Map((Object.keys(PAPER_POINTS) as PaperName[]).map((p) => [p.toLowerCase(), p]));

/** The page names `pageNamed` reads, for help and error texts. */
export const PAGE_NAMES = 'A4, A3, letter or legal, landscape unless followed by -portrait (A4-portrait); none: the drawing\'s own size';

/**
 * The page a `--page` value names: a paper (`A3`, `letter`), landscape unless it ends in
 * `-portrait` (`A4-portrait`; `-landscape` may be said too), or `none`; in any letter case.
 * Undefined for anything else: the caller refuses it rather than guessing a paper.
 */
export function pageNamed(text: string): PageSpec | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'none') return { kind: 'drawing' };
  const match = /^([a-z0-9]+)(?:-(portrait|landscape))?$/.exec(lower);
  const paper = match ? PAPER_BY_LOWER_CASE.get(match[1]) : undefined;
  if (!match || paper === undefined) return undefined;
  return { kind: 'paper', paper, orientation: (match[2] as Orientation | undefined) ?? 'landscape' };
}

/** How a page is written in messages: `A3 landscape`, or `the drawing's own size`. */
export function describePage(page: PageSpec): string {
  return page.kind === 'drawing' ? 'the drawing\'s own size' : `${page.paper} ${page.orientation}`;
}

/** Where a drawing goes on its page: the page size, and the scale and offset from SVG units to points. */
export interface Placement {
  /** Page width and height in PDF points. */
  readonly width: number;
  readonly height: number;
  /** Points per SVG unit. */
  readonly scale: number;
  /** Top-left corner of the drawing on the page, in points from the page's top-left corner. */
  readonly x: number;
  readonly y: number;
}

/**
 * Places a drawing of `width` × `height` SVG units on `page`: on paper, scaled (up or down) to the
 * largest size that fits inside PAGE_MARGIN_MM on every side, and centred; with the drawing's own
 * size, a page exactly as large as the drawing at 96 SVG units to the inch. One page whatever the
 * size: a large drawing is scaled down, not split.
 */
export function placeOnPage(drawing: { readonly width: number; readonly height: number }, page: PageSpec): Placement {
  if (!(drawing.width > 0 && drawing.height > 0)) throw new Error(`a drawing of ${drawing.width} × ${drawing.height} cannot be placed on a page`);
  if (page.kind === 'drawing') {
    return { width: round2(drawing.width * POINTS_PER_SVG_UNIT), height: round2(drawing.height * POINTS_PER_SVG_UNIT), scale: POINTS_PER_SVG_UNIT, x: 0, y: 0 };
  }
  const [short, long] = PAPER_POINTS[page.paper];
  const [width, height] = page.orientation === 'portrait' ? [short, long] : [long, short];
  const margin = mm(PAGE_MARGIN_MM);
  const scale = Math.min((width - 2 * margin) / drawing.width, (height - 2 * margin) / drawing.height);
  return { width, height, scale, x: (width - drawing.width * scale) / 2, y: (height - drawing.height * scale) / 2 };
}

/** Millimetres to points, to the hundredth as PDF page sizes are usually written (A4: 595.28 × 841.89). */
function mm(millimetres: number): number {
  return round2(millimetres * POINTS_PER_MM);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
