import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

// Where an output came from: the date it is stamped with, the digest of its inputs, the git commit.

/** The recorded date: `--date`, else SOURCE_DATE_EPOCH (seconds), else null. Never the clock. */
export function evidenceDate(option: string | undefined, epoch: string | undefined): string | null {
  if (option !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/.test(option) || Number.isNaN(Date.parse(option))) {
      throw new UsageError(`--date "${option}" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`);
    }
    return option;
  }
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH "${epoch}" is not a number of seconds`);
    return new Date(Number(epoch) * 1000).toISOString().replace(/\.000Z$/, 'Z');
  }
  return null;
}

/** sha256 over the sources sorted by name: the JSON text of `[[name, text], …]`. */
export function inputDigest(sources: ReadonlyMap<string, string>): string {
  const sorted = [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(JSON.stringify(sorted));
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The commit of the repository holding the first input path, and whether the inputs differ from it. */
export function gitState(inputs: readonly string[], io: Io): { commit: string; dirty: boolean } | null {
  const paths = inputs.filter((i) => i !== '-').map((i) => resolve(io.cwd, i)).filter((p) => existsSync(p));
  if (paths.length === 0) return null;
  const dir = statSync(paths[0]!).isDirectory() ? paths[0]! : dirname(paths[0]!);
  try {
    const run = (args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8').trim();
    const commit = run(['rev-parse', 'HEAD']);
    const dirty = run(['status', '--porcelain', '--', ...paths]) !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

