import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBounded } from '../../packages/cli/src/bounded-read.js';

// A regular file is read into one buffer of its size and its end confirmed in a small shared
// buffer: every byte must still come back, at every size around those buffers' edges, and the
// budget must still hold to the byte.

const dir = mkdtempSync(join(tmpdir(), 'netdiagram-bounded-'));
const fileOf = (size: number): { path: string; bytes: Buffer } => {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) % 251;
  const path = join(dir, `f${size}`);
  writeFileSync(path, bytes);
  return { path, bytes };
};

describe('readBounded', () => {
  it.each([0, 1, 4095, 4096, 65535, 65536, 65537, 1024 * 1024 + 3])('reads a file of %i bytes whole, byte for byte', (size) => {
    const { path, bytes } = fileOf(size);
    const read = readBounded(path, 10 * 1024 * 1024);
    expect(read.kind).toBe('ok');
    if (read.kind === 'ok') expect(Buffer.compare(Buffer.from(read.bytes), bytes)).toBe(0);
  });

  it('reads a file of exactly the budget, and refuses one byte more', () => {
    const { path, bytes } = fileOf(70000);
    const read = readBounded(path, 70000);
    expect(read.kind).toBe('ok');
    if (read.kind === 'ok') expect(Buffer.compare(Buffer.from(read.bytes), bytes)).toBe(0);
    expect(readBounded(path, 69999).kind).toBe('too-large');
  });

  it('keeps what it returned when it reads the next file (no buffer is shared with a result)', () => {
    const a = fileOf(5000);
    const b = fileOf(6000);
    const first = readBounded(a.path, 1 << 20);
    readBounded(b.path, 1 << 20);
    expect(first.kind === 'ok' && Buffer.compare(Buffer.from(first.bytes), a.bytes)).toBe(0);
  });
});
