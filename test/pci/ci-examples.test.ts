import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { demo, fakeIo, tempDir } from './support.js';

const ci = join(import.meta.dirname, '../../examples/ci');

/** Splits a shell command line into words: double and single quotes, `$VAR` and `${VAR}` expanded from `env`. */
function shellWords(line: string, env: Record<string, string>): string[] {
  const expand = (text: string) => text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    if (!(name in env)) throw new Error(`the example uses $${name}, which the test does not know`);
    return env[name]!;
  });
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    words.push(m[1] !== undefined ? expand(m[1]) : m[2] !== undefined ? m[2] : expand(m[3]!));
  }
  return words;
}

/** Every `netdiagram …` line of a workflow's shell scripts, with the env in force for it. */
function netdiagramLines(file: string): { line: string; env: Record<string, string> }[] {
  const doc = parse(readFileSync(join(ci, file), 'utf8')) as Record<string, unknown>;
  const out: { line: string; env: Record<string, string> }[] = [];
  const collect = (script: unknown, env: Record<string, string>) => {
    const lines = Array.isArray(script) ? script.flatMap((s) => String(s).split('\n')) : typeof script === 'string' ? script.split('\n') : [];
    for (const l of lines.map((x) => x.trim())) if (l.startsWith('netdiagram ')) out.push({ line: l, env });
  };
  if (file.startsWith('github')) {
    const jobs = doc.jobs as Record<string, { env?: Record<string, string>; steps: { run?: string; env?: Record<string, string> }[] }>;
    for (const job of Object.values(jobs)) for (const step of job.steps) collect(step.run, { ...(doc.env as object), ...job.env, ...step.env });
  } else {
    for (const [name, job] of Object.entries(doc)) {
      if (name.startsWith('.') || typeof job !== 'object' || job === null || !('script' in job)) continue;
      const j = job as { script: unknown; variables?: Record<string, string> };
      collect(j.script, { ...(doc.variables as object), ...j.variables });
    }
  }
  return out;
}

describe.each(['github-actions.yml', 'gitlab-ci.yml'])('the CI example %s', (file) => {
  it('runs netdiagram commands that exist, with options that exist, and succeed on the seed demo', async () => {
    const lines = netdiagramLines(file);
    expect(lines.map((l) => l.line.split(' ')[1]).sort()).toEqual(['audit', 'audit', 'check', 'diff', 'diff', 'evidence']);
    // a repository like the user's: the demo as k8s/, committed, so `diff --base` has a revision to read
    const repo = tempDir();
    cpSync(demo, join(repo, 'k8s'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'demo');
    for (const { line, env } of lines) {
      const words = shellWords(line, {
        ...env, MANIFESTS: join(repo, 'k8s'), EXPECTATIONS: join(repo, 'k8s', 'expectations.yaml'), BASE: 'HEAD',
      }).slice(1);
      // outputs go to the temporary repository, never into the project
      const args = words.map((w, i) => (i > 0 && (words[i - 1] === '-o' || words[i - 1] === '--output') && !isAbsolute(w) ? join(repo, w) : w));
      const io = fakeIo({ SOURCE_DATE_EPOCH: '1700000000' });
      const code = await main(args, io);
      expect({ line, code, err: io.err.replace(/^evidence: .*\n/, '') }).toEqual({ line, code: 0, err: '' });
    }
    expect(existsSync(join(repo, 'evidence', 'metadata.json'))).toBe(true);
  });
});

describe('the GitHub Actions example', () => {
  it('uploads the SARIF it writes and comments the diff it writes', () => {
    const text = readFileSync(join(ci, 'github-actions.yml'), 'utf8');
    expect(text).toContain('--format sarif -o netdiagram.sarif');
    expect(text).toContain('sarif_file: netdiagram.sarif');
    expect(text).toContain('--format md -o flow-diff.md');
    expect(text).toContain('--body-file flow-diff.md');
    expect(text).toContain('--fail-on-cde-change');
  });
});
