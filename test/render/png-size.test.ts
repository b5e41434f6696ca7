import { describe, expect, it } from 'vitest';
import { PNG_MAX_PIXELS, pngSize } from '@netdiagram/render';
import { fitScale } from '../../packages/render/src/png.js';

// `diagram --scale 8` of a mid-size diagram asked resvg for 600 megapixels and ran past 300 s: the
// PNG's pixel count is capped, and the scale lowered to fit (the CLI says which scale it used).

const svgOf = (width: number, height: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="10" height="10"/></svg>`;

describe('the scale of a PNG', () => {
  it('is the one asked for while the image stays within PNG_MAX_PIXELS', () => {
    expect(fitScale(1000, 700, 1.5)).toEqual({ scale: 1.5, width: 1500, height: 1050 });
    expect(pngSize(svgOf(1000, 700), 2)).toEqual({ scale: 2, width: 2000, height: 1400 });
  });

  it.each([[4503, 2140, 8], [1085, 700, 8], [50_000, 30_000, 1.5], [100, 100_000, 8]])(
    'of a %i × %i diagram at scale %d is lowered to the largest thousandth that fits',
    (width, height, scale) => {
      const fitted = fitScale(width, height, scale);
      expect(fitted.scale).toBeLessThan(scale);
      expect(fitted.width * fitted.height).toBeLessThanOrEqual(PNG_MAX_PIXELS);
      expect(Math.round(fitted.scale * 1000)).toBe(fitted.scale * 1000);
      const larger = fitScale(width, height, fitted.scale + 0.001);
      expect(larger.scale).toBeLessThanOrEqual(fitted.scale);
    });
});

describe('diagram --scale past the PNG limit', () => {
  it('draws the PNG at the largest scale within the limit and warns with the scale it used, exit code 0', async () => {
    const { main } = await import('@netdiagram/cli');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'netdiagram-png-'));
    const err: string[] = [];
    const demo = join(import.meta.dirname, '../../examples/pci-demo');
    const code = await main(['diagram', demo, '--scale', '8', '--no-commit', '-o', join(dir, 'x.png')], {
      stdout: () => {}, stderr: (t) => void err.push(t), readStdin: async () => '', env: {}, cwd: dir,
    });
    expect(code).toBe(0);
    const png = readFileSync(join(dir, 'x.png'));
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width * height).toBeLessThanOrEqual(PNG_MAX_PIXELS);
    const warning = err.join('').split('\n').filter((l) => l.includes('PNG limit'));
    expect(warning).toHaveLength(1);
    const [, scale] = /drawn at scale ([\d.]+) instead/.exec(warning[0]!)!;
    expect(Number(scale)).toBeGreaterThan(1.5);
    expect(Number(scale)).toBeLessThan(8);
  });
});
