import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { filterOverrides, runGit } from './git.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

// Where an output came from: the date it is stamped with, the digest of its inputs, the git commit.

/** Where a recorded date came from; explicit options come first, then what is derived from the inputs. */
export type DateOrigin = '--date' | 'SOURCE_DATE_EPOCH' | 'git commit';

/**
 * The recorded date and where it came from: `--date`, else SOURCE_DATE_EPOCH (seconds), else the
 * commit date of the inputs' git HEAD, else none (the output says "undated"). Never the clock, so
 * the same inputs give the same bytes.
 */
export function recordedDate(option: string | undefined, epoch: string | undefined, commitDate?: string): { date: string | null; origin: DateOrigin | null } {
  if (option !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/.test(option) || Number.isNaN(Date.parse(option))) {
      throw new UsageError(`--date "${option}" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`);
    }
    return { date: option, origin: '--date' };
  }
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH "${epoch}" is not a number of seconds`);
    return { date: isoSeconds(Number(epoch)), origin: 'SOURCE_DATE_EPOCH' };
  }
  if (commitDate !== undefined) return { date: commitDate, origin: 'git commit' };
  return { date: null, origin: null };
}

/** The recorded date: `--date`, else SOURCE_DATE_EPOCH, else the commit date if given, else null. */
export function evidenceDate(option: string | undefined, epoch: string | undefined, commitDate?: string): string | null {
  return recordedDate(option, epoch, commitDate).date;
}

/** `2023-11-14T22:13:20Z`: UTC, to the second, as SOURCE_DATE_EPOCH and git commit dates are written. */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** sha256 over the sources sorted by name: the JSON text of `[[name, text], …]`. */
export function inputDigest(sources: ReadonlyMap<string, string>): string {
  const sorted = [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(JSON.stringify(sorted));
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Where the inputs stand in git: HEAD's commit and commit date, and whether the inputs differ from it. */
export interface GitState {
  readonly commit: string;
  /** HEAD's committer date, UTC (`git log -1 --format=%ct`): the same for every run on that commit. */
  readonly date: string;
  /** Whether an input is modified, added or untracked relative to HEAD. */
  readonly dirty: boolean;
}

/**
 * The commit of the repository holding the first input path (in sorted order, so the order the
 * inputs are named in does not matter), and whether the inputs differ from it. Null outside a
 * repository, for standard input only, or when an input lies outside that repository.
 */
export function gitState(inputs: readonly string[], io: Io): GitState | null {
  const paths = [...inputs].sort().filter((i) => i !== '-').map((i) => resolve(io.cwd, i)).filter((p) => existsSync(p));
  if (paths.length === 0) return null;
  const dir = statSync(paths[0]!).isDirectory() ? paths[0]! : dirname(paths[0]!);
  try {
    // runGit: no fsmonitor hook, hooks or pager (`git status` ran the repository's core.fsmonitor),
    // no index write (GIT_OPTIONAL_LOCKS=0), so status only reads; and no filter driver
    const run = (args: string[]) => runGit(args, { cwd: dir }).toString('utf8').trim();
    const [commit, seconds] = run(['log', '-1', '--no-show-signature', '--format=%H%n%ct', 'HEAD']).split('\n');
    if (!commit || !seconds || !/^\d+$/.test(seconds)) return null;
    const dirty = run([...filterOverrides(dir), 'status', '--porcelain', '--no-renames', '--', ...paths]) !== '';
    return { commit, date: isoSeconds(Number(seconds)), dirty };
  } catch {
    return null;
  }
}
