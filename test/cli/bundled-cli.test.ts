import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledCli } from '../../packages/cli/src/bundled-cli.js';

/** A packages/ tree with cli/dist and core/dist, files at the given ages in seconds (undefined: absent). */
function tree(ages: { bundle?: number; cliInfo?: number; coreInfo?: number }): URL {
  const root = mkdtempSync(join(tmpdir(), 'netdiagram-bundle-'));
  const cli = join(root, 'cli', 'dist');
  const core = join(root, 'core', 'dist');
  mkdirSync(cli, { recursive: true });
  mkdirSync(core, { recursive: true });
  const now = Date.now() / 1000;
  const put = (file: string, age: number | undefined) => {
    if (age === undefined) return;
    writeFileSync(file, '');
    utimesSync(file, now - age, now - age);
  };
  put(join(cli, 'netdiagram.js'), ages.bundle);
  put(join(cli, '.tsbuildinfo'), ages.cliInfo);
  put(join(core, '.tsbuildinfo'), ages.coreInfo);
  return pathToFileURL(`${cli}/`);
}

describe('bundledCli', () => {
  it('starts the bundle when it is newer than both compilations', () => {
    const dist = tree({ bundle: 10, cliInfo: 20, coreInfo: 30 });
    expect(bundledCli(dist)).toBe(new URL('netdiagram.js', dist).href);
  });

  it('runs the modules when core or the CLI was compiled after the bundle (tsc -b without the build)', () => {
    expect(bundledCli(tree({ bundle: 10, cliInfo: 5, coreInfo: 30 }))).toBeUndefined();
    expect(bundledCli(tree({ bundle: 10, cliInfo: 20, coreInfo: 5 }))).toBeUndefined();
  });

  it('runs the modules without a bundle, and the bundle of an installed package without build info', () => {
    expect(bundledCli(tree({ cliInfo: 20, coreInfo: 30 }))).toBeUndefined();
    const installed = tree({ bundle: 10 });
    expect(bundledCli(installed)).toBe(new URL('netdiagram.js', installed).href);
  });
});

describe('the bundle npm run build writes', () => {
  const dist = new URL('../../packages/cli/dist/', import.meta.url);
  const fresh = bundledCli(dist) !== undefined;
  // only after `npm run build` (npm test builds first); a bare `tsc -b` leaves no fresh bundle to compare
  it.runIf(fresh)('answers as the modules do, in every format, with the same diagnostics and exit code', () => {
    const demo = fileURLToPath(new URL('../../examples/pci-demo', import.meta.url));
    const run = (entry: string, args: string[]) => spawnSync(process.execPath, [fileURLToPath(new URL(entry, dist)), ...args], { encoding: 'utf8' });
    for (const args of [['connections', demo, '--format', 'json'], ['connections', demo, '--format', 'csv', '--verbose'], ['audit', demo], ['--version']]) {
      const bundled = run('netdiagram.js', args);
      const modules = run('run.js', args);
      expect(bundled.stdout).toBe(modules.stdout);
      expect(bundled.stderr).toBe(modules.stderr);
      expect(bundled.status).toBe(modules.status);
    }
    expect(run('netdiagram.js', ['connections', demo]).stdout).toContain('=>');
  });
});
