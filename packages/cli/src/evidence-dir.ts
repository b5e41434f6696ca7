import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { readBounded } from './bounded-read.js';
import { join, resolve } from 'node:path';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

// The evidence directory belongs to `netdiagram evidence`: a marker file lists what the last run
// wrote, and a new run deletes exactly those files before writing its own. So a file of an earlier
// run (an expectations.md saying "pass" from a run that had --expect) can never sit beside a bundle
// it does not describe, and a file the user keeps there is never deleted, nor replaced: a file not
// in the marker that has the name of one this run writes (an expectations.md the user put there)
// refuses the run before anything is written.
//
// Links: the directory itself must not be a symbolic link, and nothing is written or deleted through
// one. A listed file that has become a symlink is unlinked (the link, never what it points to);
// files are written to a new temporary name (O_EXCL: an existing name, a planted symlink included,
// fails the run) and renamed into place, which replaces a link rather than writing through it.

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

/**
 * Refuses (a usage error, nothing written) when a file netdiagram did not write has the name of one
 * of `files`: replacing it would destroy the user's file. Otherwise writes the bundle: first the marker, listing the previous run's files and this run's, then the
 * previous files are deleted, then this run's files are written, then the marker lists only them.
 * A run that fails part way leaves only files of this run (and still lists them), never a mix.
 * Files are written in the map's order; the caller puts README.md and metadata.json last, so a
 * bundle without them is visibly unfinished.
 */
export function writeEvidenceDir(dir: EvidenceDir, files: ReadonlyMap<string, string | Uint8Array>): void {
  const names = [...files.keys()];
  for (const name of names) if (!isPlainName(name)) throw new Error(`bug: evidence file name ${JSON.stringify(name)}`);
  const taken = names.filter((name) => dir.foreign.includes(name)).sort();
  if (taken.length > 0) {
    throw new UsageError(`evidence: ${taken.map((name) => join(dir.path, name)).join(', ')} ${taken.length === 1 ? 'is' : 'are'} not listed in ${join(dir.path, EVIDENCE_MARKER)} (not written by netdiagram) and this run would replace ${taken.length === 1 ? 'it' : 'them'}; move ${taken.length === 1 ? 'it' : 'them'} away or give another directory`);
  }
  try {
    mkdirSync(dir.absolute, { recursive: true });
  } catch (error) {
    throw new UsageError(`evidence: cannot create ${dir.path}: ${describe(error)}`);
  }
  // the directory may have been swapped for a link since it was checked
  if (lstatSync(dir.absolute).isSymbolicLink()) throw new UsageError(`evidence: ${dir.path} is a symbolic link; give the directory it points to`);
  writeMarker(dir, [...new Set([...dir.previous, ...names])].sort());
  for (const name of dir.previous) {
    const target = join(dir.absolute, name);
    try {
      const stat = lstatSync(target);
      if (stat.isFile() || stat.isSymbolicLink()) unlinkSync(target); // unlink removes a link itself, never its target
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`evidence: cannot delete ${join(dir.path, name)}: ${describe(error)}`);
    }
  }
  for (const [name, content] of files) writeFileAtomically(dir, name, content);
  writeMarker(dir, [...names].sort());
}

function writeMarker(dir: EvidenceDir, names: readonly string[]): void {
  writeFileAtomically(dir, EVIDENCE_MARKER, [...MARKER_HEADER, ...names].map((l) => `${l}\n`).join(''));
}

/** Into a fresh temporary name (fails if anything, a link included, is there), then renamed over the target. */
function writeFileAtomically(dir: EvidenceDir, name: string, content: string | Uint8Array): void {
  const target = join(dir.absolute, name);
  const temporary = join(dir.absolute, `.${name}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content, { flag: 'wx' });
    renameSync(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(temporary, { force: true });
    throw new UsageError(`evidence: cannot write ${join(dir.path, name)}: ${describe(error)}`);
  }
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
