import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { demo, demoCopy, fakeIo, tempDir, withoutDenyAll } from '../pci/support.js';

describe('the output format follows the name of --output', () => {
  it('writes SARIF to findings.sarif and JSON to flows.json without --format', async () => {
    const dir = tempDir();
    expect(await main(['audit', demo, '--cde', 'app=pci', '-o', join(dir, 'findings.sarif')], fakeIo())).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'findings.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(await main(['connections', demo, '-o', join(dir, 'flows.json')], fakeIo())).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'flows.json'), 'utf8')))).toEqual(['endpoints', 'connections', 'routes']);
  });

  it('draws a PNG for diff -o flow-diff.png', async () => {
    const dir = tempDir();
    const out = join(dir, 'flow-diff.png');
    expect(await main(['diff', demo, demoCopy(withoutDenyAll), '-o', out], fakeIo())).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('refuses an extension that names a format the command cannot write, rather than writing text into it', async () => {
    const io = fakeIo();
    expect(await main(['audit', demo, '-o', join(tempDir(), 'findings.png')], io)).toBe(2);
    expect(io.err).toContain('audit cannot write png');
  });

  it('lets --format win over the extension, and writes text for an extension it does not know', async () => {
    const dir = tempDir();
    expect(await main(['connections', demo, '--format', 'csv', '-o', join(dir, 'flows.json')], fakeIo())).toBe(0);
    expect(readFileSync(join(dir, 'flows.json'), 'utf8').split('\r\n')[0]).toBe('from,to,ports,via');
    expect(await main(['connections', demo, '-o', join(dir, 'flows.log')], fakeIo())).toBe(0);
    expect(readFileSync(join(dir, 'flows.log'), 'utf8')).toContain(' => ');
  });
});
