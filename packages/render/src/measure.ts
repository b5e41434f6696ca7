import { DEJAVU_SANS, DEJAVU_SANS_BOLD } from './font-metrics.js';

/** Text style the measurer knows: a size in px and a weight. */
export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
}

type WidthTable = ReadonlyMap<number, number>;

function decodeTable(ranges: readonly (readonly [number, string])[]): WidthTable {
  const table = new Map<number, number>();
  for (const [from, encoded] of ranges) {
    encoded.split(',').forEach((entry, i) => {
      if (entry !== '') table.set(from + i, parseInt(entry, 36));
    });
  }
  return table;
}

// constant lookup tables, decoded once: never mutated after this point
const REGULAR = decodeTable(DEJAVU_SANS);
const BOLD = decodeTable(DEJAVU_SANS_BOLD);
/** Characters the font lacks are measured as one em: wide enough for a CJK fallback font. */
const FALLBACK = 1000;

/** The advance width of `text` in px, from DejaVu Sans' static metrics (no kerning, so an upper bound). */
export function measureText(text: string, style: TextStyle): number {
  const table = style.bold ? BOLD : REGULAR;
  let total = 0;
  for (const char of text) total += table.get(char.codePointAt(0)!) ?? FALLBACK;
  return (total / 1000) * style.size;
}

/** Labels longer than this many characters are shortened with an ellipsis; the full text goes into `<title>`. */
export const MAX_LABEL_CHARS = 32;

/** `text` cut to `max` characters (code points), ending in `…` when shortened. */
export function truncateText(text: string, max: number = MAX_LABEL_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
