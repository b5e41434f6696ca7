import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The bundled DejaVu Sans files (Book and Bold) that the static width table was measured from: the
 * PNG is drawn with them and the PDF embeds them, so text lands where the layout measured it.
 */
export function bundledFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}
