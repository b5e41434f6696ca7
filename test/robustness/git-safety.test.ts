import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { diagnosticLines, fakeIo, KEEPER, tempDir } from './support.js';

// The repository is the pull request's: its configuration names commands that git runs on a read
// (`git status` ran core.fsmonitor for every `diagram` and `evidence`). None of them may run.

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd, encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

/** A repository holding k8s/pod.yaml, whose .git/config runs a script that leaves `marker` behind. */
function hostileRepo(): { repo: string; marker: string } {
  const repo = tempDir();
  git(repo, 'init', '-q');
  mkdirSync(join(repo, 'k8s'));
  writeFileSync(join(repo, 'k8s', 'pod.yaml'), KEEPER);
  writeFileSync(join(repo, '.gitattributes'), '*.yaml filter=evil\n'); // committed: picks the driver below
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'pod');
  const marker = join(repo, 'marker');
  const script = join(repo, '.git', 'run-me.sh');
  writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\n`);
  chmodSync(script, 0o755);
  for (const key of ['core.fsmonitor', 'core.pager', 'diff.external', 'gpg.program']) git(repo, 'config', key, script);
  git(repo, 'config', 'log.showSignature', 'true');
  git(repo, 'config', 'filter.evil.clean', `${script}; cat`);
  git(repo, 'config', 'filter.evil.smudge', `${script}; cat`);
  for (const hook of ['post-checkout', 'post-index-change', 'reference-transaction']) {
    writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\necho hook >> '${marker}'\n`);
    chmodSync(join(repo, '.git', 'hooks', hook), 0o755);
  }
  // the script does run when git is called plainly: the test can fail
  git(repo, 'status', '--porcelain');
  expect(existsSync(marker)).toBe(true);
  execFileSync('rm', [marker]);
  // new timestamps, same bytes: git status rehashes the file through the clean filter
  utimesSync(join(repo, 'k8s', 'pod.yaml'), new Date(2001, 0, 1), new Date(2001, 0, 1));
  git(repo, 'status', '--porcelain');
  expect(readFileSync(marker, 'utf8')).toContain('run-me.sh');
  execFileSync('rm', [marker]);
  utimesSync(join(repo, 'k8s', 'pod.yaml'), new Date(2002, 0, 1), new Date(2002, 0, 1));
  return { repo, marker };
}

describe('git calls run nothing the repository configures', () => {
  it('diagram records the commit without running core.fsmonitor or a clean filter', async () => {
    const { repo, marker } = hostileRepo();
    const io = fakeIo(repo);
    expect(await main(['diagram', 'k8s', '-o', join(tempDir(), 'd.svg')], io)).toBe(0);
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : '').toBe('');
  });

  it('evidence records the commit without running core.fsmonitor or a clean filter', async () => {
    const { repo, marker } = hostileRepo();
    const out = join(tempDir(), 'evidence');
    const io = fakeIo(repo);
    expect(await main(['evidence', 'k8s', '-o', out], io)).toBe(0);
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : '').toBe('');
    expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8')).git).toMatchObject({ commit: git(repo, 'rev-parse', 'HEAD').trim(), dirty: false });
  });

  it('diff --base reads history without running anything', async () => {
    const { repo, marker } = hostileRepo();
    writeFileSync(join(repo, 'k8s', 'other.yaml'), KEEPER.replace(/keeper/g, 'other'));
    const io = fakeIo(repo);
    expect(await main(['diff', '--base', 'HEAD', 'k8s'], io)).toBe(0);
    expect(io.out).toContain('added');
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : '').toBe('');
  });

  it('diff --base skips a submodule entry named like a manifest with a warning', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'k8s'));
    writeFileSync(join(repo, 'k8s', 'pod.yaml'), KEEPER);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'pod');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'update-index', '--add', '--cacheinfo', `160000,${head},k8s/x.yaml`);
    git(repo, 'commit', '-q', '-m', 'gitlink');
    const io = fakeIo(repo);
    expect(await main(['diff', '--base', 'HEAD', 'k8s', '--verbose'], io)).toBe(0);
    expect(diagnosticLines(io.err)).toEqual(['HEAD:k8s/x.yaml:1:1: warning input/unreadable: a git submodule (gitlink), not a file; skipped']);
    expect(io.out).toContain('no change in allowed flows');
  });
});
