import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { nonFileKind, type FileType } from './bounded-read.js';
import { describeError } from './describe-error.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

// Output is written to a temporary file beside the target and renamed over it, so a failed run never
// leaves a truncated file. The temporary name is unpredictable and created exclusively (O_CREAT |
// O_EXCL, which never follows a symbolic link), so a link planted at a guessable name cannot redirect
// the write; a target that is not a regular file is refused rather than replaced.

/** Paths that mean standard output: written as `-`, never replaced by a regular file. */
export const STANDARD_OUTPUT = new Set(['-', '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/**
 * Writes output atomically. A missing directory is created. `-` (and `/dev/stdout`) writes to
 * standard output, and `/dev/null` discards the output. A target that exists and is not a regular file (a directory, a device, a FIFO, a
 * socket, or a symbolic link, which is not followed) is refused. Failures are one-line usage errors
 * (exit code 2), not stack traces.
 */
export function writeOutput(path: string, content: string | Uint8Array, io: Io): void {
  if (STANDARD_OUTPUT.has(path)) {
    io.stdout(content);
    return;
  }
  // `-o /dev/null` (a benchmark, a check run only for its exit code) discards the output; written
  // through rename, it would replace the device with a regular file for every process on the machine
  if (path === '/dev/null') return;
  const temporary = openTemporary(path, io);
  try {
    writeAll(temporary.fd, content);
  } catch (error) {
    abandon(temporary, path, error);
  }
  commit(temporary, path);
}

/**
 * `writeOutput` for output too large to hold as one string: the chunks are written as they are
 * produced, so memory stays flat however long the output. Standard output is waited on when its
 * buffer is full (`io.stdoutDrained`); a file is written with the same temporary file and rename,
 * a chunk at a time (a blocking write waits for the disk), so a signal still removes the temporary file.
 */
export async function writeOutputChunks(path: string, chunks: Iterable<string | Uint8Array>, io: Io): Promise<void> {
  if (STANDARD_OUTPUT.has(path)) {
    for (const chunk of chunks) {
      io.stdout(chunk);
      await io.stdoutDrained?.();
    }
    return;
  }
  if (path === '/dev/null') {
    for (const _chunk of chunks) continue; // produced, for the same cost and errors, and discarded
    return;
  }
  const temporary = openTemporary(path, io);
  try {
    let sinceTurn = 0;
    for (const chunk of chunks) {
      writeAll(temporary.fd, chunk);
      sinceTurn += chunk.length;
      // a signal is handled between two turns of the event loop: give it one now and then
      if (sinceTurn >= YIELD_EVERY_BYTES) {
        sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } catch (error) {
    abandon(temporary, path, error);
  }
  commit(temporary, path);
}

/** Checks the target and creates the temporary file beside it (and the directories above it). */
function openTemporary(path: string, io: Io): Temporary & { readonly target: string } {
  const target = resolve(io.cwd, path);
  const refusal = refuseTarget(existing(target));
  if (refusal) throw new UsageError(`cannot write ${path}: ${refusal}`);
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the directory for ${path}: ${describeError(error)}`);
  }
  try {
    return { ...createTemporary(target), target };
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${describeError(error)}`);
  }
}

/** Closes the temporary file and renames it over the target. */
function commit(temporary: Temporary & { readonly target: string }, path: string): void {
  try {
    closeSync(temporary.fd);
    renameSync(temporary.path, temporary.target);
    forget(temporary.path);
  } catch (error) {
    abandon(temporary, path, error);
  }
}

/** Removes the temporary file and fails the run with one line. */
function abandon(temporary: Temporary, path: string, error: unknown): never {
  try { closeSync(temporary.fd); } catch { /* already closed */ }
  removeTemporary(temporary.path);
  if (error instanceof UsageError) throw error;
  throw new UsageError(`cannot write ${path}: ${describeError(error)}`);
}

function existing(path: string): FileType | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Why an existing target is not replaced, or undefined for a regular file or none at all. */
export function refuseTarget(stat: FileType | undefined): string | undefined {
  if (!stat || stat.isFile()) return undefined;
  if (stat.isSymbolicLink()) return 'it is a symbolic link, which netdiagram does not write through; name the file it points to, or remove the link';
  return `it is ${nonFileKind(stat, false)}, not a regular file; netdiagram replaces only regular files (use - for standard output)`;
}

interface Temporary {
  readonly path: string;
  readonly fd: number;
}

/** `.NAME.<16 random hex digits>.tmp` beside the target, created exclusively (`wx`: O_CREAT | O_EXCL), removed on a signal until renamed or removed. */
export function createTemporary(target: string): Temporary {
  for (let attempt = 0; ; attempt++) {
    const path = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      const fd = openSync(path, 'wx', 0o666);
      track(path);
      return { path, fd };
    } catch (error) {
      // a name taken (by chance, or by a planted link) is never opened: try another
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

function writeAll(fd: number, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** How much a streamed file write writes between two turns of the event loop (for signals): a few milliseconds of disk. */
const YIELD_EVERY_BYTES = 8 << 20;

// Temporary files (and evidence staging directories) alive right now, removed when SIGINT, SIGTERM or SIGHUP ends the run; the
// handlers are installed only while one exists and re-raise the signal, so the exit is unchanged.
const live = new Set<string>();
/** The signals that end a run and remove its temporary files. */
export type EndingSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: readonly EndingSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const handlers = new Map<EndingSignal, () => void>();

/** Temporary files not yet renamed or removed (for tests). */
export function liveTemporaries(): readonly string[] {
  return [...live];
}

/** Removes every live temporary file, then ends the process by `signal` as if no handler were set. */
export function onSignal(signal: EndingSignal, raise: (signal: EndingSignal) => void = (s) => process.kill(process.pid, s)): void {
  for (const path of [...live]) removeTemporary(path);
  uninstall();
  raise(signal);
}

function track(path: string): void {
  live.add(path);
  if (handlers.size > 0) return;
  for (const signal of SIGNALS) {
    const handler = () => onSignal(signal);
    handlers.set(signal, handler);
    process.once(signal, handler);
  }
}

function forget(path: string): void {
  live.delete(path);
  if (live.size === 0) uninstall();
}

/** Removes a temporary file or directory (with what it holds) and stops tracking it. */
export function removeTemporary(path: string): void {
  rmSync(path, { force: true, recursive: true });
  forget(path);
}

/**
 * A new directory `.NAME.<16 random hex digits>.tmp` in `parent` (mkdir fails on any existing name,
 * a planted link included), removed on a signal until `forgetTemporary` or `removeTemporary`.
 */
export function createTemporaryDirectory(parent: string, name: string): string {
  for (let attempt = 0; ; attempt++) {
    const path = join(parent, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      mkdirSync(path);
      track(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

/** A temporary file or directory that has been renamed into place: no longer removed on a signal. */
export function forgetTemporary(path: string): void {
  forget(path);
}

function uninstall(): void {
  for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  handlers.clear();
}
