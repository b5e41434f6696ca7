import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** Options for `renderPng`. */
export interface PngOptions {
  /** Pixels per SVG unit (default 1.5, sharp enough for print at A3). */
  readonly scale?: number;
}

/** The bundled DejaVu Sans files (Book and Bold) that the static width table was measured from. */
export function bundledFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}

/**
 * Rasterises diagram SVG to PNG with resvg and the bundled DejaVu Sans only (no system fonts), so
 * the PNG is the same on every machine.
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: bundledFontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: options.scale ?? 1.5 },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
