import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { readBounded } from './bounded-read.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { Io } from './io.js';
import { createTemporaryDirectory, forgetTemporary, removeTemporary } from './safe-write.js';
import { UsageError } from './usage-error.js';

// The evidence directory belongs to `netdiagram evidence`: a marker file lists what the last run
// wrote, and a new run deletes exactly those files before writing its own. So a file of an earlier
// run (an expectations.md saying "pass" from a run that had --expect) can never sit beside a bundle
// it does not describe, and a file the user keeps there is never deleted, nor replaced: a file not
// in the marker that has the name of one this run writes (an expectations.md the user put there)
// refuses the run before anything is written.
//
// The bundle is written whole into a new staging directory beside the target, then swapped in by
// two renames: a run that fails while writing leaves the previous bundle as it was, byte for byte,
// and a run that succeeds leaves exactly its own files (and the user's). Where the staging directory
// cannot sit beside the target (the target is a mount point, or its parent is not writable) it is
// made inside the target, and the finished files are renamed into place one by one.
//
// Links: the directory itself must not be a symbolic link, and nothing is written or deleted through
// one. The staging directory is new (mkdir fails on any existing name), files in it are created
// exclusively (O_EXCL), and renames replace a link rather than write through it.

/** The marker file in every evidence directory. */
export const EVIDENCE_MARKER = '.netdiagram-evidence';

const MARKER_HEADER = [
  '# netdiagram evidence: the files below were written into this directory by the last run of',
  '# `netdiagram evidence`. The next run deletes these files, and only these, before writing its own.',
];

/** An evidence directory checked before anything is written. */
export interface EvidenceDir {
  /** As the user gave it. */
  readonly path: string;
  readonly absolute: string;
  /** Files of the previous run that still exist (empty for a new or empty directory). */
  readonly previous: readonly string[];
  /** Files in the directory that netdiagram did not write: left alone, and a run that would write one of these names is refused. */
  readonly foreign: readonly string[];
}

/** The most a marker file may hold: it lists a few dozen names. */
const MAX_MARKER_BYTES = 64 * 1024;

/**
 * Checks that `path` can be the evidence directory: missing, empty, or written by an earlier run
 * (it holds the marker). Anything else is refused with a one-line usage error (exit code 2) before
 * any file is read or written: a directory holding other files, a symbolic link, a file, a marker
 * that lists a name netdiagram would never write.
 */
export function openEvidenceDir(path: string, io: Io): EvidenceDir {
  const absolute = resolve(io.cwd, path);
  const stat = lstatOrUndefined(absolute, path);
  if (stat === undefined) return { path, absolute, previous: [], foreign: [] };
  if (stat.isSymbolicLink()) throw new UsageError(`evidence: ${path} is a symbolic link; give the directory it points to (netdiagram does not write through links)`);
  if (!stat.isDirectory()) throw new UsageError(`evidence: ${path} exists and is not a directory`);
  const entries = readdirSync(absolute).sort();
  if (entries.length === 0) return { path, absolute, previous: [], foreign: [] };
  if (!entries.includes(EVIDENCE_MARKER)) {
    throw new UsageError(`evidence: ${path} is not empty and was not written by netdiagram evidence (no ${EVIDENCE_MARKER} in it); give a new or empty directory`);
  }
  const marker = join(absolute, EVIDENCE_MARKER);
  if (!lstatSync(marker).isFile()) throw new UsageError(`evidence: ${join(path, EVIDENCE_MARKER)} is not a regular file; refusing to use ${path}`);
  const read = readBounded(marker, MAX_MARKER_BYTES);
  if (read.kind !== 'ok') throw new UsageError(`evidence: ${join(path, EVIDENCE_MARKER)} is ${read.kind === 'too-large' ? `larger than ${MAX_MARKER_BYTES} bytes` : 'not a readable regular file'}; refusing to use ${path}`);
  const listed = parseMarker(Buffer.from(read.bytes).toString('utf8'), join(path, EVIDENCE_MARKER));
  const previous = listed.filter((name) => {
    const entry = lstatOrUndefined(join(absolute, name), join(path, name));
    if (entry?.isDirectory()) throw new UsageError(`evidence: ${join(path, name)} is listed in ${EVIDENCE_MARKER} but is now a directory; refusing to use ${path}`);
    return entry !== undefined;
  });
  const known = new Set([...listed, EVIDENCE_MARKER]);
  return { path, absolute, previous, foreign: entries.filter((e) => !known.has(e)) };
}

/** How a bundle's files are written; tests inject a failure, or pick the staging place, here. */
export interface WriteEvidenceOptions {
  readonly writeFile?: (path: string, content: string | Uint8Array) => void;
  /** Default: beside the target, unless it is a mount point or its parent is read-only (then inside). */
  readonly staging?: 'beside' | 'inside';
}

const writeNewFile = (path: string, content: string | Uint8Array) => writeFileSync(path, content, { flag: 'wx' });

/**
 * Refuses (a usage error, nothing written) when a file netdiagram did not write has the name of one
 * of `files`: replacing it would destroy the user's file. Otherwise writes the whole bundle and its
 * marker into a new staging directory, then swaps it in for the previous bundle: the files the user
 * added are moved across, the previous run's files go with the old directory. A failure before the
 * swap removes the staging directory and leaves the previous bundle as it was.
 */
export function writeEvidenceDir(dir: EvidenceDir, files: ReadonlyMap<string, string | Uint8Array>, options: WriteEvidenceOptions = {}): void {
  const names = [...files.keys()];
  for (const name of names) if (!isPlainName(name)) throw new Error(`bug: evidence file name ${JSON.stringify(name)}`);
  const taken = names.filter((name) => dir.foreign.includes(name)).sort();
  if (taken.length > 0) {
    throw new UsageError(`evidence: ${taken.map((name) => join(dir.path, name)).join(', ')} ${taken.length === 1 ? 'is' : 'are'} not listed in ${join(dir.path, EVIDENCE_MARKER)} (not written by netdiagram) and this run would replace ${taken.length === 1 ? 'it' : 'them'}; move ${taken.length === 1 ? 'it' : 'them'} away or give another directory`);
  }
  const parent = dirname(dir.absolute);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new UsageError(`evidence: cannot create ${dirname(dir.path)}: ${describe(error)}`);
  }
  // the directory may have been swapped for a link since it was checked
  const current = lstatOrUndefined(dir.absolute, dir.path);
  if (current?.isSymbolicLink()) throw new UsageError(`evidence: ${dir.path} is a symbolic link; give the directory it points to`);
  const staging = stagingDirectory(dir, current !== undefined, options.staging);
  const write = options.writeFile ?? writeNewFile;
  try {
    for (const [name, content] of files) write(join(staging.path, name), content);
    write(join(staging.path, EVIDENCE_MARKER), markerText([...names].sort()));
  } catch (error) {
    removeTemporary(staging.path);
    throw new UsageError(`evidence: cannot write the bundle for ${dir.path}: ${describe(error)}; the previous bundle is left as it was`);
  }
  if (staging.inside) moveFilesIn(dir, staging.path, names);
  else swapIn(dir, staging.path, current !== undefined);
}

/** Beside the target when the target can be renamed; inside it when it is a mount point or its parent is read-only. */
function stagingDirectory(dir: EvidenceDir, exists: boolean, place: 'beside' | 'inside' | undefined): { path: string; inside: boolean } {
  const parent = dirname(dir.absolute);
  const mountPoint = exists && statSync(dir.absolute).dev !== statSync(parent).dev;
  if (place === 'inside' && !exists) mkdirSync(dir.absolute);
  if (place !== 'inside' && !mountPoint) {
    try {
      return { path: createTemporaryDirectory(parent, basename(dir.absolute)), inside: false };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!exists || (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS')) throw new UsageError(`evidence: cannot create a directory beside ${dir.path}: ${describe(error)}`);
    }
  }
  try {
    return { path: createTemporaryDirectory(dir.absolute, EVIDENCE_MARKER.slice(1)), inside: true };
  } catch (error) {
    throw new UsageError(`evidence: cannot create a directory in ${dir.path}: ${describe(error)}`);
  }
}

/**
 * The staged bundle takes the target's place: the target is renamed away, the staging directory
 * renamed to it (both synchronous, so no signal handler runs between them), the user's files moved
 * across, and the old directory, now holding only the previous run's files, removed.
 */
function swapIn(dir: EvidenceDir, staging: string, exists: boolean): void {
  const parent = dirname(dir.absolute);
  if (!exists) {
    renameOrFail(staging, dir.absolute, dir);
    forgetTemporary(staging);
    return;
  }
  try {
    chmodSync(staging, statSync(dir.absolute).mode & 0o7777); // the bundle keeps the directory's permissions
  } catch (error) {
    removeTemporary(staging);
    throw new UsageError(`evidence: cannot set the permissions of the new bundle for ${dir.path}: ${describe(error)}; the previous bundle is left as it was`);
  }
  const old = join(parent, `${basename(staging).slice(0, -'.tmp'.length)}.old`);
  renameOrFail(dir.absolute, old, dir, staging);
  try {
    renameSync(staging, dir.absolute);
  } catch (error) {
    renameSync(old, dir.absolute);
    removeTemporary(staging);
    throw new UsageError(`evidence: cannot move the new bundle into ${dir.path}: ${describe(error)}; the previous bundle is left as it was`);
  }
  forgetTemporary(staging);
  // everything but the previous run's files goes back: the user's files, and any added since the check
  const previous = new Set([...dir.previous, EVIDENCE_MARKER]);
  const stranded: string[] = [];
  for (const name of readdirSync(old).sort()) {
    if (previous.has(name)) continue;
    try {
      if (lstatOrUndefined(join(dir.absolute, name), join(dir.path, name)) !== undefined) throw new Error('taken');
      renameSync(join(old, name), join(dir.absolute, name));
    } catch {
      stranded.push(name);
    }
  }
  if (stranded.length > 0) {
    throw new UsageError(`evidence: wrote ${dir.path}, but could not move ${stranded.join(', ')} back into it; ${stranded.length === 1 ? 'it is' : 'they are'} in ${old}`);
  }
  rmSync(old, { recursive: true, force: true });
}

function renameOrFail(from: string, to: string, dir: EvidenceDir, staging: string = from): void {
  try {
    renameSync(from, to);
  } catch (error) {
    removeTemporary(staging);
    throw new UsageError(`evidence: cannot move the new bundle into ${dir.path}: ${describe(error)}; the previous bundle is left as it was`);
  }
}

/**
 * The staged files renamed into the target one by one (a mount point cannot be renamed): first the
 * marker lists the previous run's files and this run's, then the previous files are deleted, the new
 * ones moved in, and the marker lists only them. Only a failure among these renames can leave a mix,
 * and the marker then lists every file of both runs, so the next run deletes them all.
 */
function moveFilesIn(dir: EvidenceDir, staging: string, names: readonly string[]): void {
  const into = (name: string) => renameSync(join(staging, name), join(dir.absolute, name));
  try {
    writeFileSync(join(staging, '.union'), markerText([...new Set([...dir.previous, ...names])].sort()), { flag: 'wx' });
    renameSync(join(staging, '.union'), join(dir.absolute, EVIDENCE_MARKER));
    for (const name of dir.previous) {
      const target = join(dir.absolute, name);
      const stat = lstatOrUndefined(target, join(dir.path, name));
      if (stat?.isFile() || stat?.isSymbolicLink()) unlinkSync(target); // unlink removes a link itself, never its target
    }
    for (const name of names) into(name);
    into(EVIDENCE_MARKER);
  } catch (error) {
    throw new UsageError(`evidence: cannot move the new files into ${dir.path}: ${describe(error)}`);
  } finally {
    removeTemporary(staging);
  }
}

function markerText(names: readonly string[]): string {
  return [...MARKER_HEADER, ...names].map((l) => `${l}\n`).join('');
}

/** The file names a marker lists; a name that is not a plain file name (a path, `..`, a dot file) is refused. */
function parseMarker(text: string, shown: string): string[] {
  const names = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  for (const name of names) {
    if (!isPlainName(name)) throw new UsageError(`evidence: ${shown} lists ${JSON.stringify(name)}, which is not a file netdiagram writes; refusing to delete anything`);
  }
  return names;
}

/** A name in the directory itself: no separators, no dot files (so never `..`, `.git` or the marker), no control characters. */
function isPlainName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name) && name.length <= 255;
}

function lstatOrUndefined(path: string, shown: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`evidence: cannot read ${shown}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
