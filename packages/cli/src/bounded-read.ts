import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

// Every file netdiagram reads (manifests, expectations) goes through readBounded: a byte budget and
// a check of the file's type before the first byte is read, so `/dev/zero` or a committed symlink to
// it is refused instead of read until memory runs out.

// The exported types name no Node type (Buffer, Stats): io.ts re-exports them, and the package's
// declarations must type-check without @types/node.

/** What a file's stat says about its type (fs.Stats has these). */
export interface FileType {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isSymbolicLink(): boolean;
}

export type BoundedRead =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  | { readonly kind: 'too-large' }
  /** A device, socket or (unless allowed) FIFO: `what` says which, for a one-line error. */
  | { readonly kind: 'not-a-file'; readonly what: string }
  | { readonly kind: 'error'; readonly error: unknown };

export interface BoundedReadOptions {
  /**
   * Whether a FIFO is read (within the budget): a pipe named on the command line, as in
   * `<(helm template …)`, is the caller's choice; a FIFO found in a directory would hang the run.
   */
  readonly allowFifo?: boolean;
}

/** What kind of non-regular file a stat describes, or undefined for a regular file (and a FIFO when allowed). */
export function nonFileKind(stat: FileType, allowFifo: boolean): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isFIFO()) return allowFifo ? undefined : 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Where a regular file's end is confirmed (its content is copied out before the next read). */
const END_PROBE = Buffer.alloc(64 * 1024);

/**
 * Reads a file, but never more than `limit` bytes. Its type is checked before it is opened (opening a
 * FIFO would block, opening a device may have effects) and again on the open descriptor (the path may
 * have been swapped in between); a regular file's size is checked before reading, and a FIFO is read
 * in chunks until the limit.
 */
export function readBounded(path: string, limit: number, options: BoundedReadOptions = {}): BoundedRead {
  const allowFifo = options.allowFifo ?? false;
  try {
    const what = nonFileKind(statSync(path), allowFifo);
    if (what) return { kind: 'not-a-file', what };
  } catch (error) {
    return { kind: 'error', error };
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { kind: 'error', error };
  }
  try {
    const stat = fstatSync(fd);
    const what = nonFileKind(stat, allowFifo);
    if (what) return { kind: 'not-a-file', what };
    if (stat.isFile() && stat.size > limit) return { kind: 'too-large' };
    const chunks: Buffer[] = [];
    let total = 0;
    // a regular file is read into one buffer of its size, and one more byte tells whether it grew; a
    // fresh 1 MiB buffer per file made 2,000 small files 2 GiB of external memory, and a garbage
    // collection for each few of them
    let next = stat.isFile() ? Math.min(stat.size + 1, limit + 1) : Math.min(1024 * 1024, limit + 1);
    for (;;) {
      const chunk = Buffer.allocUnsafe(next);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) return { kind: 'too-large' }; // a file that grew, or a FIFO past the budget
      chunks.push(chunk.subarray(0, n));
      next = Math.min(1024 * 1024, limit - total + 1);
      // a regular file read short of its size + 1 is most likely at its end: that is confirmed into a
      // small buffer shared by every read (a short read before the end, as a network file system may
      // give, goes on as before), not a fresh 1 MiB buffer per file
      if (stat.isFile() && n < chunk.length) {
        const more = readSync(fd, END_PROBE, 0, Math.min(END_PROBE.length, next), null);
        if (more === 0) break;
        total += more;
        if (total > limit) return { kind: 'too-large' };
        chunks.push(Buffer.from(END_PROBE.subarray(0, more)));
      }
    }
    return { kind: 'ok', bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (error) {
    return { kind: 'error', error };
  } finally {
    closeSync(fd);
  }
}
