import { readdirSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic, Source } from '@netdiagram/core';
import { nonFileKind, readBounded } from './bounded-read.js';
import { describeError } from './describe-error.js';

export { readBounded } from './bounded-read.js';
export { describeError } from './describe-error.js';
export { writeOutput, writeOutputChunks } from './safe-write.js';

/** What the CLI needs from the outside world; tests pass a fake one. */
export interface Io {
  stdout(text: string | Uint8Array): void;
  /** Resolves once standard output can take more (its buffer drained); absent: it always can. */
  stdoutDrained?(): Promise<void>;
  stderr(text: string): void;
  /** Whether standard error is a terminal (a progress line is then redrawn in place); absent: it is not. */
  readonly stderrIsTerminal?: boolean;
  /** All of standard input (see readStandardInput); checked like a file: size, binary, UTF-8. */
  readStdin(): Promise<string | Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * All inputs of one run together may hold at most this many bytes. A run needs about 15 bytes of
 * memory per byte of well-formed input (measured: 28 MB of manifests, 418 MB peak), so 128 MiB stays
 * near 2 GB, inside Node's default heap on a CI machine; more is refused up front.
 */
export const MAX_INPUT_BYTES = 128 * 1024 * 1024;
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Only this much of a file is searched for NUL bytes to tell binary files from text. */
const BINARY_SNIFF_BYTES = 8192;

export interface CollectedSources {
  readonly sources: Source[];
  readonly diagnostics: Diagnostic[];
}

export interface CollectOptions {
  /** Byte budget for all inputs together (default MAX_INPUT_BYTES). */
  readonly maxInputBytes?: number;
}

type Report = (code: Diagnostic['code'], file: string, message: string, options?: { severity?: Diagnostic['severity']; line?: number; column?: number }) => void;

/**
 * Reads every input: files as given, directories recursively in sorted order (only .yaml, .yml and
 * .json), and `-` for standard input. Unreadable inputs become diagnostics, never exceptions. A file
 * named on the command line must hold manifests (empty or binary is an error); a file found in a
 * directory that is empty, binary or not a manifest is skipped with a warning.
 */
export async function collectSources(paths: readonly string[], io: Io, options: CollectOptions = {}): Promise<CollectedSources> {
  const budget = options.maxInputBytes ?? MAX_INPUT_BYTES;
  const sources: Source[] = [];
  const diagnostics: Diagnostic[] = [];
  let used = 0;
  const report: Report = (code, file, message, where = {}) =>
    diagnostics.push({ severity: where.severity ?? 'error', code, message, location: { file, line: where.line ?? 1, column: where.column ?? 1, document: 0 } });
  const tooLarge = (name: string) =>
    report('input/too-large', name, used === 0
      ? `larger than ${formatBytes(budget)}, the most netdiagram reads in one run (MAX_INPUT_BYTES); not read`
      : `would take the inputs past ${formatBytes(budget)}, the most netdiagram reads in one run (MAX_INPUT_BYTES); not read`);

  const accept = (name: string, bytes: Uint8Array | string, explicit: boolean) => {
    const text = decodeText(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, name, report, explicit);
    if (text === undefined) return;
    if (text.trim() === '') {
      report('input/empty', name, name === '<stdin>' ? 'standard input is empty' : 'file is empty', { severity: explicit ? 'error' : 'warning' });
      return;
    }
    sources.push({ name, text, explicit });
  };

  const readFile = (file: string, explicit: boolean) => {
    // a FIFO named on the command line (`<(helm template …)`) is read on purpose, within the budget
    const read = readBounded(resolve(io.cwd, file), budget - used, { allowFifo: explicit });
    switch (read.kind) {
      case 'error':
        report('input/unreadable', file, `cannot read: ${describeError(read.error)}`);
        return;
      case 'not-a-file':
        report('input/unreadable', file, `${read.what}, not a file; not read`);
        return;
      case 'too-large':
        tooLarge(file);
        return;
      case 'ok':
        used += read.bytes.length;
        accept(file, read.bytes, explicit);
    }
  };

  // Directories and files are known by device and inode (what stat follows symlinks to), so a tree
  // reached through many links is walked once: 13 directories each holding two links to the next
  // read the leaf 4,096 times when paths were followed.
  const walked = new Set<string>();
  const readOnce = new Set<string>();
  const identity = (stat: Stats) => `${stat.dev}:${stat.ino}`;

  /** A regular file reached twice (named twice, or through links) is read under the first name only. */
  const readFileOnce = (file: string, stat: Stats, explicit: boolean) => {
    const id = identity(stat);
    if (readOnce.has(id)) return;
    readOnce.add(id);
    readFile(file, explicit);
  };

  const walk = (dir: string, dirStat: Stats, ancestors: ReadonlySet<string>) => {
    const id = identity(dirStat);
    if (ancestors.has(id)) {
      report('input/unreadable', dir, 'directory symlink loop; skipped', { severity: 'warning' });
      return;
    }
    if (walked.has(id)) return; // already walked under another path: its files are read once
    walked.add(id);
    const inside = new Set(ancestors).add(id);
    let entries: string[];
    try {
      entries = readdirSync(resolve(io.cwd, dir)).sort();
    } catch (error) {
      report('input/unreadable', dir, `cannot list directory: ${describeError(error)}`);
      return;
    }
    // a chart's templates and a kustomize tree's bases, patches and `$patch: delete` stubs are not
    // manifests until rendered: read as they are, they would merge into a cluster that never exists
    const source = sourceTreeKind(entries);
    if (source) {
      report(source.code, dir, source.message(dir));
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry);
      let stat;
      try {
        stat = statSync(resolve(io.cwd, full));
      } catch {
        report('input/unreadable', full, 'broken symlink or unreadable entry; skipped', { severity: 'warning' });
        continue;
      }
      if (stat.isDirectory()) walk(full, stat, inside);
      else if (!MANIFEST_EXTENSIONS.some((ext) => entry.toLowerCase().endsWith(ext))) continue;
      else if (stat.isFile()) readFileOnce(full, stat, false);
      // a device, socket or FIFO in a tree (often a committed symlink to /dev/zero) is never opened
      else report('input/unreadable', full, `${nonFileKind(stat, false)}, not a file; skipped`, { severity: 'warning' });
    }
  };

  for (const path of paths) {
    if (path === '-') {
      const input = await io.readStdin();
      const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
      if (used + size > budget) {
        tooLarge('<stdin>');
        continue;
      }
      used += size;
      accept('<stdin>', input, true);
      continue;
    }
    let stat;
    try {
      stat = statSync(resolve(io.cwd, path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') report('input/not-found', path, 'no such file or directory');
      else report('input/unreadable', path, `cannot read: ${describeError(error)}`);
      continue;
    }
    if (stat.isDirectory()) walk(path, stat, new Set());
    else if (stat.isFile()) readFileOnce(path, stat, true);
    else readFile(path, true); // a named FIFO (`<(helm template …)`) is read too, within the budget; a device is refused
  }
  return { sources, diagnostics };
}

/** Files that make a directory a Helm chart or a kustomize tree rather than a folder of manifests. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** What kind of unrendered source tree a directory's entries make it, with the command that renders it. */
function sourceTreeKind(entries: readonly string[]): { code: Diagnostic['code']; message: (dir: string) => string } | undefined {
  const quoted = (dir: string) => (/^[\w./@:+-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, `'\\''`)}'`);
  if (entries.includes('Chart.yaml')) {
    return {
      code: 'input/helm-chart',
      message: (dir) => `this directory is a Helm chart (it holds Chart.yaml), not rendered manifests; not read. Render it first: helm template NAME ${quoted(dir)} | netdiagram … -`,
    };
  }
  const kustomization = KUSTOMIZATION_FILES.find((f) => entries.includes(f));
  if (kustomization) {
    return {
      code: 'input/kustomization',
      message: (dir) => `this directory is a kustomize tree (it holds ${kustomization}), not rendered manifests; not read. Render it first: kubectl kustomize ${quoted(dir)} | netdiagram … -`,
    };
  }
  return undefined;
}

/**
 * Reads a stream (standard input) to its end, but stops once it holds more than `limit` bytes: the
 * caller then refuses it as too large without having buffered all of it.
 */
export async function readStandardInput(stream: AsyncIterable<Uint8Array | string>, limit: number = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(bytes);
    total += bytes.length;
    if (total > limit) break;
  }
  return Buffer.concat(chunks, total);
}

/** UTF-8 text of a file, or undefined (and a diagnostic) for binary files and invalid UTF-8. */
// one decoder for every file: decode without `stream` keeps no state between calls
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array, file: string, report: Report, explicit: boolean): string | undefined {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    report('input/binary', file, `binary file, not YAML or JSON${explicit ? '' : '; skipped'}`, { severity: explicit ? 'error' : 'warning' });
    return undefined;
  }
  try {
    const text = UTF8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8');
    const line = before.split('\n').length;
    const column = before.length - (before.lastIndexOf('\n') + 1) + 1;
    report('input/not-utf8', file, `invalid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset}); save the file as UTF-8`,
      { line, column });
    return undefined;
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629: no overlongs, surrogates or values past U+10FFFF). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // sequence length, and the allowed range of the second byte (which rules out overlongs, surrogates, > U+10FFFF)
    const [length, low, high] =
      b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
      : b === 0xe0 ? [3, 0xa0, 0xbf]
      : b === 0xed ? [3, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
      : b === 0xf0 ? [4, 0x90, 0xbf]
      : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf]
      : b === 0xf4 ? [4, 0x80, 0x8f]
      : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    if (bytes[i + 1]! < low || bytes[i + 1]! > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return bytes.length;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
