import { execFileSync } from 'node:child_process';

// The repository netdiagram reads is the pull request's: its configuration, hooks and attributes are
// input, never commands to run. Every git call goes through runGit, which turns off what git would
// otherwise execute on a read: the fsmonitor hook (run by `git status`), hooks, external diff and
// textconv drivers (never requested: no call shows a diff), the pager, the system configuration,
// optional index writes, and prompts.

/** `-c` options that come before every git subcommand. */
export const SAFE_GIT_CONFIG: readonly string[] = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.untrackedCache=false',
  '-c', 'core.pager=cat',
];

/** The environment of every git call: the caller's, without the system configuration or any prompt. */
export function safeGitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const {
    GIT_EXTERNAL_DIFF: _diff, GIT_PAGER: _pager, GIT_ASKPASS: _askpass, SSH_ASKPASS: _sshAskpass, GIT_SSH_COMMAND: _ssh, GIT_CONFIG_PARAMETERS: _parameters,
    ...rest
  } = env;
  return { ...rest, GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_NO_REPLACE_OBJECTS: '1' };
}

export interface GitOptions {
  readonly cwd: string;
  /** Most bytes of standard output taken; git is stopped past it (an error). */
  readonly maxBuffer?: number;
}

/** Runs `git <safe -c options> --no-pager args…` and returns its standard output. Throws when git fails. */
export function runGit(args: readonly string[], options: GitOptions): Buffer {
  return execFileSync('git', [...SAFE_GIT_CONFIG, '--no-pager', ...args], {
    cwd: options.cwd,
    env: safeGitEnv(),
    maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * `-c` options that empty every filter driver the repository configures (`filter.NAME.clean`,
 * `smudge`, `process`) and make none required: `git status` runs a clean filter on a file whose
 * timestamps changed, and `.gitattributes` (committed) picks the driver. Reading the configuration
 * runs nothing.
 */
export function filterOverrides(cwd: string): string[] {
  let keys: string[];
  try {
    keys = runGit(['config', '--null', '--name-only', '--get-regexp', '^filter\\.'], { cwd }).toString('utf8').split('\0');
  } catch {
    return []; // exit 1: no filter configured
  }
  const names = new Set(keys.map((key) => /^filter\.(.+)\.[^.]+$/s.exec(key)?.[1]).filter((name): name is string => name !== undefined));
  return [...names].flatMap((name) => ['clean', 'smudge', 'process'].flatMap((what) => ['-c', `filter.${name}.${what}=`]).concat('-c', `filter.${name}.required=false`));
}
