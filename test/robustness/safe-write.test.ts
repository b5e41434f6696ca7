import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { createTemporary, liveTemporaries, onSignal, writeOutput } from '../../packages/cli/src/safe-write.js';
import { fakeIo, KEEPER, tempDir } from './support.js';

// CI runs netdiagram as root on a shared runner: its output must land in the file named, and
// nowhere else. The temporary file was `.NAME.PID.tmp`, opened through symbolic links: a link
// planted at that name overwrote its target, and `-o /dev/stdout` replaced /dev/stdout with a file.

function withPod(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'pod.yaml'), KEEPER);
  return dir;
}

describe('writing output safely', () => {
  it('never follows a symlink planted at the old guessable temporary names', async () => {
    const dir = withPod();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    // every pid a run could get is one guess away; plant the guess for this one and its neighbours
    for (const pid of [process.pid - 1, process.pid, process.pid + 1]) symlinkSync(victim, join(dir, `.out.csv.${pid}.tmp`));
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', 'out.csv'], io)).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'out.csv')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toContain('keeper');
  });

  it('creates the temporary file under a name no one can guess, and leaves none behind', () => {
    const dir = tempDir();
    const names = new Set<string>();
    for (let i = 0; i < 3; i++) {
      writeOutput('out.txt', `run ${i}\n`, fakeIo(dir));
      names.add(readFileSync(join(dir, 'out.txt'), 'utf8'));
    }
    expect(readdirSync(dir)).toEqual(['out.txt']);
    expect(names.size).toBe(3);
    expect(liveTemporaries()).toEqual([]);
  });

  it('writes -o /dev/stdout to standard output, as -', async () => {
    const dir = withPod();
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', '/dev/stdout', '--format', 'csv'], io)).toBe(0);
    expect(io.out).toContain('keeper');
  });

  it('discards -o /dev/null, and /dev/null stays the device', async () => {
    const dir = withPod();
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', '/dev/null'], io)).toBe(0);
    expect(io.out).toBe('');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a target that is a directory with exit 2 and one line', async () => {
    const dir = withPod();
    mkdirSync(join(dir, 'out.csv'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', 'out.csv'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toEqual([expect.stringContaining('cannot write out.csv: it is a directory, not a regular file')]);
    expect(readdirSync(join(dir, 'out.csv'))).toEqual([]);
  });

  it('refuses a target that is a device, never replacing it', async () => {
    const dir = withPod();
    // a null device of its own (mknod needs root, as CI runners often have): if the refusal failed,
    // the rename would replace it, not the machine's /dev/null
    const device = join(dir, 'null');
    const made = spawnSync('mknod', [device, 'c', '1', '3']);
    const target = made.status === 0 ? device : '/dev/zero';
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', target, '--format', 'csv'], io)).toBe(2);
    expect(io.err).toContain(`cannot write ${target}: it is a character device, not a regular file`);
    expect(lstatSync(target).isCharacterDevice()).toBe(true);
  });

  it('refuses a target that is a symbolic link, leaving the file it points to alone', async () => {
    const dir = withPod();
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'out.csv'));
    const io = fakeIo(dir);
    expect(await main(['connections', 'pod.yaml', '-o', 'out.csv'], io)).toBe(2);
    expect(io.err).toContain('cannot write out.csv: it is a symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'out.csv')).isSymbolicLink()).toBe(true);
  });

  it('replaces an existing regular file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.txt'), 'old\n');
    writeOutput('out.txt', 'new\n', fakeIo(dir));
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('new\n');
  });

  it('removes live temporary files on a signal, then re-raises it', () => {
    const dir = tempDir();
    const before = process.listenerCount('SIGTERM');
    const temporary = createTemporary(join(dir, 'out.txt'));
    closeSync(temporary.fd);
    expect(liveTemporaries()).toEqual([temporary.path]);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    const raised: string[] = [];
    onSignal('SIGTERM', (s) => raised.push(s));
    expect(raised).toEqual(['SIGTERM']);
    expect(existsSync(temporary.path)).toBe(false);
    expect(liveTemporaries()).toEqual([]);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('leaves no temporary file behind when SIGTERM ends a real process mid-write', () => {
    const dir = tempDir();
    const module = pathToFileURL(join(__dirname, '../../packages/cli/dist/safe-write.js')).href;
    const script = `import { createTemporary } from ${JSON.stringify(module)};
      createTemporary(${JSON.stringify(join(dir, 'out.txt'))});
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => process.exit(0), 2000);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGTERM');
    expect(readdirSync(dir)).toEqual([]);
  });
});
