import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { collectSources } from '../../packages/cli/src/io.js';
import { diagnosticLines, endpointIds, fakeIo, KEEPER, KEEPER_ID, tempDir } from './support.js';

// A few committed symlinks must not stop CI: directories are walked once each, known by device and
// inode, so a diamond of links costs nothing. Before, 13 levels read the leaf 4,096 times (12 s),
// 17 levels ran past 300 s.

/** d0 … d{levels}: each d{i} holds two links, a and b, to d{i+1}; the last holds the pod. */
function diamond(levels: number): string {
  const dir = tempDir();
  for (let i = 0; i <= levels; i++) mkdirSync(join(dir, `d${i}`));
  for (let i = 0; i < levels; i++) {
    symlinkSync(join(dir, `d${i + 1}`), join(dir, `d${i}`, 'a'));
    symlinkSync(join(dir, `d${i + 1}`), join(dir, `d${i}`, 'b'));
  }
  writeFileSync(join(dir, `d${levels}`, 'pod.yaml'), KEEPER);
  return dir;
}

describe('walking directories once', () => {
  it('reads the leaf of a 13-level symlink diamond once, under its first path in sorted order', async () => {
    const dir = diamond(13);
    const { sources, diagnostics } = await collectSources(['d0'], fakeIo(dir));
    expect(sources.map((s) => s.name)).toEqual([join('d0', ...Array<string>(13).fill('a'), 'pod.yaml')]);
    expect(diagnostics).toEqual([]);
  });

  it('reads the leaf of a 20-level diamond once, and fast', async () => {
    const dir = diamond(20);
    const started = Date.now();
    const { sources } = await collectSources(['d0'], fakeIo(dir));
    expect(sources).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000); // 2^20 reads before: hours
  });

  it('reads a file reached through a file symlink, or named twice, once', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s', 'pod.yaml'), KEEPER);
    symlinkSync(join(dir, 'k8s', 'pod.yaml'), join(dir, 'k8s', 'same.yaml'));
    const { sources } = await collectSources(['k8s', 'k8s/pod.yaml', 'k8s/same.yaml'], fakeIo(dir));
    expect(sources.map((s) => s.name)).toEqual([join('k8s', 'pod.yaml')]);
    const io = fakeIo(dir);
    expect(await main(['connections', 'k8s', 'k8s/pod.yaml', '--format', 'json'], io)).toBe(0);
    expect(endpointIds(io.out).filter((id) => id === KEEPER_ID)).toHaveLength(1);
  });

  it('still warns about a loop back to a directory above, once, beside a diamond', async () => {
    const dir = diamond(3);
    symlinkSync(join(dir, 'd0'), join(dir, 'd3', 'up'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'd0', '--format', 'json', '--verbose'], io)).toBe(0);
    expect(diagnosticLines(io.err)).toEqual([`${join('d0', 'a', 'a', 'a', 'up')}:1:1: warning input/unreadable: directory symlink loop; skipped`]);
    expect(endpointIds(io.out).filter((id) => id === KEEPER_ID)).toHaveLength(1);
  });
});
