import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { renderPng } from '@netdiagram/render';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { dataflowArgs, dataflowExampleNames, exampleArgs, exampleNames, recordArgs, ROOT } from '../../scripts/render-examples.mjs';

const names: string[] = exampleNames();
const STALE = 'is out of date: run `npm run examples` and review the diff';

/** Runs `netdiagram` as scripts/render-examples.mjs does, but with the output on a captured stdout. */
async function renderExample(name: string, argsOf: (name: string, format: string) => string[] = exampleArgs, format = 'svg', allowed?: RegExp): Promise<string> {
  const args: string[] = argsOf(name, format);
  const output = args.indexOf('-o');
  args.splice(output, 2, '-o', '-', ...(format === 'svg' ? [] : ['--format', format]));
  const chunks: string[] = [];
  const errors: string[] = [];
  const code = await main(args, {
    stdout: (text) => chunks.push(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')),
    stderr: (text) => errors.push(text),
    readStdin: async () => '',
    env: {},
    cwd: ROOT,
  });
  // a data-flow render prints its findings (and nothing else) on standard error
  expect(allowed ? errors.join('').split('\n').filter((l) => l !== '' && !allowed.test(l)) : errors.join('')).toEqual(allowed ? [] : '');
  expect(code).toBe(0);
  return chunks.join('');
}

describe('committed example renders', () => {
  it('covers the seed demo and a multi-namespace example', () => {
    expect(names).toEqual(expect.arrayContaining(['pci-demo', 'shop']));
  });

  it.each(names)('examples/%s/diagram.svg and diagram.png match what the code produces', async (name) => {
    const svg = await renderExample(name);
    const committedSvg = readFileSync(join(ROOT, 'examples', name, 'diagram.svg'), 'utf8');
    expect(svg === committedSvg, `examples/${name}/diagram.svg ${STALE}`).toBe(true);
    const png = Buffer.from(renderPng(svg, { scale: 1.5 }));
    const committedPng = readFileSync(join(ROOT, 'examples', name, 'diagram.png'));
    expect(png.equals(committedPng), `examples/${name}/diagram.png ${STALE}`).toBe(true);
  });

  it('draws the data flows of the seed demo and the shop', () => {
    expect(dataflowExampleNames()).toEqual(['pci-demo', 'shop']);
  });

  it.each(dataflowExampleNames())('examples/%s/dataflow.svg, dataflow.png and dataflow.md match what the code produces', async (name) => {
    const finding = /^examples\/[^ ]+:\d+:\d+: (warning|error) data\//;
    const svg = await renderExample(name, dataflowArgs, 'svg', finding);
    expect(svg === readFileSync(join(ROOT, 'examples', name, 'dataflow.svg'), 'utf8'), `examples/${name}/dataflow.svg ${STALE}`).toBe(true);
    const png = Buffer.from(renderPng(svg, { scale: 1.5 }));
    expect(png.equals(readFileSync(join(ROOT, 'examples', name, 'dataflow.png'))), `examples/${name}/dataflow.png ${STALE}`).toBe(true);
    const md = await renderExample(name, dataflowArgs, 'md', finding);
    expect(md === readFileSync(join(ROOT, 'examples', name, 'dataflow.md'), 'utf8'), `examples/${name}/dataflow.md ${STALE}`).toBe(true);
  });

  it.each(dataflowExampleNames())('examples/%s/scope.md and segmentation-plan.csv match what the code produces', async (name) => {
    const scope = await renderExample(name, (n) => recordArgs(n, 'scope'), 'md');
    expect(scope === readFileSync(join(ROOT, 'examples', name, 'scope.md'), 'utf8'), `examples/${name}/scope.md ${STALE}`).toBe(true);
    // the plan's notes name what it leaves to the tester, on standard error
    const plan = await renderExample(name, (n) => recordArgs(n, 'segmentation-plan'), 'csv', /^segmentation-plan: /);
    expect(plan === readFileSync(join(ROOT, 'examples', name, 'segmentation-plan.csv'), 'utf8'), `examples/${name}/segmentation-plan.csv ${STALE}`).toBe(true);
    expect(plan).toContain(',isolation,deny,');
    expect(plan).toContain(',control,allow,');
  });
});
