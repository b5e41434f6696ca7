import { Resvg } from '@resvg/resvg-js';
import { bundledFontFiles } from './bundled-font.js';

/** Options for `renderPng`. */
export interface PngOptions {
  /** Pixels per SVG unit (default 1.5, sharp enough for print at A3). */
  readonly scale?: number;
}

/**
 * The most pixels (width × height) a PNG may have. resvg needs about 8 bytes and, on a shared 2-core
 * CI machine, about 40-60 ms per megapixel (measured on examples/shop: 24 megapixels in 1.8 s at 240 MB
 * peak, 87 megapixels in 8.5 s at 740 MB); `--scale 8` of a mid-size diagram asked for 600
 * megapixels and ran past 300 s, and at 32 megapixels still took 2.5 s. 16 megapixels is 5,657 ×
 * 2,828 for a 2:1 diagram, as sharp as an A3 page printed at 300 dpi (4,961 × 3,508, 17.4
 * megapixels) needs within a few percent, and keeps a PNG under a second to draw.
 */
export const PNG_MAX_PIXELS = 16_000_000;

/** The scale a PNG is drawn at and its size in pixels. */
export interface PngSize {
  readonly scale: number;
  readonly width: number;
  readonly height: number;
}

const DEFAULT_SCALE = 1.5;

/**
 * The size of the PNG `renderPng` makes of this SVG: at `scale` (default 1.5), or, when that would
 * pass PNG_MAX_PIXELS, at the largest scale (in thousandths) that stays within it.
 */
export function pngSize(svg: string, scale: number = DEFAULT_SCALE): PngSize {
  const { width, height } = new Resvg(svg, { font: { loadSystemFonts: false } });
  return fitScale(width, height, scale);
}

/** `scale`, lowered if need be so that the image of a `width` × `height` SVG has at most PNG_MAX_PIXELS. */
export function fitScale(width: number, height: number, scale: number): PngSize {
  // resvg rounds each side to whole pixels; rounding up here keeps the estimate on the safe side
  const size = (s: number) => ({ scale: s, width: Math.ceil(width * s), height: Math.ceil(height * s) });
  let fitted = size(scale);
  if (fitted.width * fitted.height <= PNG_MAX_PIXELS) return fitted;
  let s = Math.floor(Math.sqrt(PNG_MAX_PIXELS / (width * height)) * 1000) / 1000;
  while (s > 0.001 && (fitted = size(s)).width * fitted.height > PNG_MAX_PIXELS) s = Math.round((s - 0.001) * 1000) / 1000;
  return size(Math.max(s, 0.001));
}

/**
 * Rasterises diagram SVG to PNG with resvg and the bundled DejaVu Sans only (no system fonts), so
 * the PNG is the same on every machine. The scale is lowered to keep the image within
 * PNG_MAX_PIXELS (see `pngSize`, which says what scale is used).
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const { scale } = pngSize(svg, options.scale ?? DEFAULT_SCALE);
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: bundledFontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
