import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveTemporaries, writeOutputChunks } from '../../packages/cli/src/safe-write.js';
import { fakeIo, tempDir } from './support.js';

// `connections` of a cluster without policies is millions of lines: written as they are produced,
// never held whole, with the same temporary file and rename as every other output.

describe('writeOutputChunks', () => {
  it('writes the chunks to a temporary file renamed over the target, and leaves nothing else', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.txt'), 'old\n');
    await writeOutputChunks('out.txt', ['a\n', Buffer.from('b\n'), 'c\n'], fakeIo(dir));
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('a\nb\nc\n');
    expect(readdirSync(dir)).toEqual(['out.txt']);
    expect(liveTemporaries()).toEqual([]);
  });

  it('leaves the previous file as it was, and no temporary file, when producing a chunk fails half way', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.txt'), 'old\n');
    function* failing() {
      yield 'new\n';
      throw new Error('disk quota exceeded');
    }
    await expect(writeOutputChunks('out.txt', failing(), fakeIo(dir))).rejects.toThrow(/cannot write out.txt: disk quota exceeded/);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.txt']);
    expect(liveTemporaries()).toEqual([]);
  });

  it('waits for standard output to drain before it produces the next chunk', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const io = {
      ...fakeIo(tempDir()),
      stdout: (text: string | Uint8Array) => void events.push(`write ${String(text).trim()}`),
      stdoutDrained: () => new Promise<void>((resolve) => {
        events.push('full');
        release = resolve;
      }),
    };
    function* chunks() {
      for (const name of ['a', 'b']) {
        events.push(`produce ${name}`);
        yield `${name}\n`;
      }
    }
    const done = writeOutputChunks('-', chunks(), io);
    await new Promise((resolve) => setImmediate(resolve));
    // the second chunk is not produced while the first is still buffered
    expect(events).toEqual(['produce a', 'write a', 'full']);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await done;
    expect(events).toEqual(['produce a', 'write a', 'full', 'produce b', 'write b', 'full']);
  });
});
