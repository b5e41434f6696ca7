import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
/** The shell lines of a CI file, without YAML comments. */
const scriptText = (file: string) => JSON.stringify(parse(read(file)));

describe('installing netdiagram before it is published', () => {
  it.each(['examples/ci/github-actions.yml', 'examples/ci/gitlab-ci.yml'])('%s builds it at a pinned commit and installs the three tarballs together, not from the registry', (file) => {
    const script = scriptText(file);
    expect(script).not.toMatch(/npm install[^"]*\\"@netdiagram\//);
    expect(script).toContain('checkout --quiet --detach \\"$NETDIAGRAM_REF\\"');
    expect(script).toContain('npm pack --silent -w packages/core -w packages/render -w packages/cli');
    expect(script).toMatch(/npm install --global .*netdiagram-core-\*\.tgz .*netdiagram-render-\*\.tgz .*netdiagram-cli-\*\.tgz/);
    expect(parse(read(file)).variables?.NETDIAGRAM_REF ?? parse(read(file)).env?.NETDIAGRAM_REF).toMatch(/^[0-9a-f]{40}$/);
  });

  it('is what the README says, with the registry named only as the way once published', () => {
    const install = read('README.md').split('## Install\n')[1]!.split('\n## ')[0]!;
    expect(install).toContain('not published to the npm registry yet');
    expect(install).toContain('npm ci && npm run build');
    expect(install).toContain('npm pack -w packages/core -w packages/render -w packages/cli');
    expect(install.indexOf('Once the packages are published')).toBeLessThan(install.indexOf('npm install --global @netdiagram/cli'));
  });

  it.each(['core', 'render', 'cli'])('packages/%s carries the Apache-2.0 LICENSE of the repository', (name) => {
    expect(read(`packages/${name}/LICENSE`)).toBe(read('LICENSE'));
    expect(JSON.parse(read(`packages/${name}/package.json`)).license).toBe('Apache-2.0');
  });
});
