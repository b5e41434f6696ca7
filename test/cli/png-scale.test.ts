import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { PNG_MAX_PIXELS } from '@netdiagram/render';
import { describe, expect, it } from 'vitest';
import { fakeIo, tempDir } from '../pci/support.js';

const shop = join(import.meta.dirname, '../../examples/shop');
const pixels = (file: string) => {
  const png = readFileSync(file);
  return png.readUInt32BE(16) * png.readUInt32BE(20);
};

describe('diagram -o x.png', () => {
  it('fits its default scale to the PNG limit without a word, and warns when it lowers a scale the user gave', async () => {
    const dir = tempDir();
    const quiet = fakeIo();
    expect(await main(['diagram', shop, '-o', join(dir, 'default.png'), '--no-commit'], quiet)).toBe(0);
    expect(quiet.err).not.toContain('PNG limit');
    expect(pixels(join(dir, 'default.png'))).toBeLessThanOrEqual(PNG_MAX_PIXELS);
    const asked = fakeIo();
    expect(await main(['diagram', shop, '-o', join(dir, 'asked.png'), '--no-commit', '--scale', '1.5'], asked)).toBe(0);
    expect(asked.err).toContain('netdiagram: warning: --scale 1.5 would pass the PNG limit of 16 megapixels (PNG_MAX_PIXELS); drawn at scale');
    expect(pixels(join(dir, 'asked.png'))).toBe(pixels(join(dir, 'default.png')));
  });
});
