import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import type { Diagnostic, Source } from '@netdiagram/core';

/** What the CLI needs from the outside world; tests pass a fake one. */
export interface Io {
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Inputs larger than this are refused rather than risking the memory budget. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface CollectedSources {
  readonly sources: Source[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Reads every input: files as given, directories recursively in sorted order (only .yaml, .yml and
 * .json), and `-` for standard input. Unreadable inputs become diagnostics, never exceptions.
 */
export async function collectSources(paths: readonly string[], io: Io): Promise<CollectedSources> {
  const sources: Source[] = [];
  const diagnostics: Diagnostic[] = [];
  const report = (code: Diagnostic['code'], file: string, message: string, severity: Diagnostic['severity'] = 'error') =>
    diagnostics.push({ severity, code, message, location: { file, line: 1, column: 1, document: 0 } });

  const readFile = (file: string, explicit: boolean) => {
    let bytes: Buffer;
    try {
      const size = statSync(file).size;
      if (size > MAX_INPUT_BYTES) {
        report('input/too-large', file, `file is ${Math.round(size / 1048576)} MiB; the limit is ${MAX_INPUT_BYTES / 1048576} MiB per file`);
        return;
      }
      bytes = readFileSync(file);
    } catch (error) {
      report('input/unreadable', file, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return;
    }
    const text = decodeText(bytes, file, report, explicit);
    if (text !== undefined) sources.push({ name: file, text });
  };

  const walk = (dir: string, seen: Set<string>) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      report('input/unreadable', dir, 'cannot resolve directory');
      return;
    }
    if (seen.has(real)) {
      report('input/unreadable', dir, 'directory symlink loop; skipped', 'warning');
      return;
    }
    const nextSeen = new Set(seen).add(real);
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      report('input/unreadable', dir, `cannot list directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry);
      let stat;
      try {
        stat = statSync(full);
      } catch {
        report('input/unreadable', full, 'broken symlink or unreadable entry; skipped', 'warning');
        continue;
      }
      if (stat.isDirectory()) walk(full, nextSeen);
      else if (stat.isFile() && MANIFEST_EXTENSIONS.some((ext) => entry.toLowerCase().endsWith(ext))) readFile(full, false);
    }
  };

  for (const path of paths) {
    if (path === '-') {
      const text = await io.readStdin();
      if (text.trim() === '') report('input/empty', '<stdin>', 'standard input is empty');
      else sources.push({ name: '<stdin>', text });
      continue;
    }
    let stat;
    try {
      stat = statSync(path);
    } catch {
      report('input/not-found', path, 'no such file or directory');
      continue;
    }
    if (stat.isDirectory()) walk(path, new Set());
    else readFile(path, true);
  }
  return { sources, diagnostics };
}

function decodeText(
  bytes: Buffer,
  file: string,
  report: (code: Diagnostic['code'], file: string, message: string, severity?: Diagnostic['severity']) => void,
  explicit: boolean,
): string | undefined {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    report('input/empty', file, 'file is empty', 'warning');
    return undefined;
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    report('input/binary', file, 'binary file, not YAML or JSON; skipped', explicit ? 'error' : 'warning');
    return undefined;
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset).toString('utf8');
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    report('input/not-utf8', file, `invalid UTF-8 at line ${line}, column ${column} (byte ${offset})`);
    return undefined;
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0;
  let hi = bytes.length;
  const ok = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Writes output atomically: to a temporary file beside the target, then renamed over it, so a failed
 * run never leaves a truncated file or destroys a good one. `-` writes to standard output.
 */
export function writeOutput(path: string, content: string | Uint8Array, io: Io): void {
  if (path === '-') {
    io.stdout(content);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
