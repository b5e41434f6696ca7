import type { Io } from './io.js';

/**
 * The PNG of the diagram, at `scale` or, past PNG_MAX_PIXELS, at the largest scale within it, with
 * a warning that names the scale used. Lowered rather than refused: a cluster that grows past the
 * limit still gets its diagram in CI (the same arrows, fewer pixels), and the log says so.
 */
export async function pngOf(svg: string, scale: number, io: Io, asked: string | undefined): Promise<Uint8Array> {
  const { PNG_MAX_PIXELS, pngSize, renderPng } = await import('@netdiagram/render');
  const size = pngSize(svg, scale);
  // a scale the user asked for is lowered with a warning; netdiagram's own default just fits the limit
  if (size.scale < scale && asked !== undefined) {
    io.stderr(`netdiagram: warning: ${asked} ${scale} would pass the PNG limit of ${PNG_MAX_PIXELS / 1e6} megapixels (PNG_MAX_PIXELS); ` +
      `drawn at scale ${size.scale} instead (${size.width} × ${size.height} pixels). The SVG has no limit.\n`);
  }
  return renderPng(svg, { scale: size.scale });
}
