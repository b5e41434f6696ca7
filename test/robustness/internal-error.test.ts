import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type Io } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo, KEEPER, tempDir } from './support.js';

/** An Io whose stdout throws `message`: a stand-in for a bug whose message quotes hostile input. */
function broken(message: string): Io & { err: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'pod.yaml'), KEEPER);
  return Object.assign(fakeIo(dir), {
    stdout() {
      throw new Error(message);
    },
  });
}

const hostile = 'node "a\nnetdiagram: all checks passed\r\u001b[2J\u009b31m\u202e" already exist';

describe('an internal error whose message quotes hostile text', () => {
  it('is reported in one line, its control characters shown as \\uXXXX', async () => {
    const io = broken(hostile);
    expect(await main(['connections', io.cwd], io)).toBe(70);
    expect(io.err).toBe('netdiagram: internal error: node "a\\nnetdiagram: all checks passed\\r\\u001b[2J\\u009b31m\\u202e" already exist (run with --debug for details)\n');
  });

  it('is escaped in the stack trace too, under --debug', async () => {
    const io = broken(hostile);
    expect(await main(['--debug', 'connections', io.cwd], io)).toBe(70);
    expect(io.err.split('\n')[0]).toBe('netdiagram: internal error: node "a\\nnetdiagram: all checks passed\\r\\u001b[2J\\u009b31m\\u202e" already exist');
    expect(io.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(io.err.split('\n').filter((l) => l.startsWith('netdiagram:'))).toHaveLength(1);
    expect(io.err).toMatch(/^\s+at /m);
  });
});
