import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { DEFAULT_PAGE, PAGE_MARGIN_MM, pageNamed, placeOnPage, renderPdf } from '@netdiagram/render';
import { afterAll, describe, expect, it } from 'vitest';
import { readObjects, readPages } from '../support/pdf-reader.js';

// Assessors print the diagram: `diagram -o x.pdf` puts the same drawing as the SVG on one page of a
// paper size (A3 landscape unless --page says otherwise), with the bundled font embedded and the
// text still text, so that a reader can search the PDF for a workload's name.

const dir = mkdtempSync(join(tmpdir(), 'netdiagram-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function diagram(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await main(['diagram', 'examples/pci-demo', '--cde', 'app=pci', '--no-commit', ...args], {
    stdout: () => {}, stderr: (text) => { stderr += text; }, readStdin: async () => '', env, cwd: process.cwd(),
  });
  return { code, stderr };
}

async function pdfOf(name: string, args: string[], env: Record<string, string> = {}): Promise<Buffer> {
  const file = join(dir, name);
  const run = await diagram(['-o', file, ...args], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return readFileSync(file);
}

const MARGIN_PT = (PAGE_MARGIN_MM * 72) / 25.4;
const svgSize = (svg: string) => ({ width: Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]), height: Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)?.[1]) });

describe('diagram -o diagram.pdf', () => {
  it('writes one A3 landscape page (1190.55 × 841.89 pt) whose text holds the workload names, in the embedded DejaVu Sans', async () => {
    const pdf = await pdfOf('a3.pdf', []);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = readPages(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.width).toBeCloseTo(1190.55, 2);
    expect(pages[0]!.height).toBeCloseTo(841.89, 2);
    // each SVG <text> is one text block: the workload names are there whole, as a viewer extracts them
    expect(pages[0]!.texts).toEqual(expect.arrayContaining(['pci-backend', 'other-frontend', 'CDE — PCI DSS scope']));
    const dictionaries = [...readObjects(pdf).values()].map((o) => o.dictionary);
    const fonts = dictionaries.filter((d) => /\/Type \/Font\b/.test(d) && /\/Subtype \/Type0/.test(d)).map((d) => /\/BaseFont \/\w{6}\+(\S+)/.exec(d)?.[1]).sort();
    expect(fonts).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    // embedded as TrueType font programs, and no standard PDF font (Helvetica) stood in for one
    expect(dictionaries.filter((d) => /\/FontFile2 \d+ 0 R/.test(d))).toHaveLength(2);
    expect(dictionaries.some((d) => /\/Subtype \/Type1/.test(d))).toBe(false);
  });

  it('puts an A4 portrait page of 595.28 × 841.89 pt with --page A4-portrait, and the same text', async () => {
    const [page] = readPages(await pdfOf('a4.pdf', ['--page', 'A4-portrait']));
    expect(page!.width).toBeCloseTo(595.28, 2);
    expect(page!.height).toBeCloseTo(841.89, 2);
    expect(page!.texts).toContain('pci-frontend');
  });

  it('makes the page the drawing\'s own size with --page none: 3/4 pt per SVG unit, as 96 units make an inch', async () => {
    const svgFile = join(dir, 'own.svg');
    expect((await diagram(['-o', svgFile])).code).toBe(0);
    const { width, height } = svgSize(readFileSync(svgFile, 'utf8'));
    const [page] = readPages(await pdfOf('own.pdf', ['--page', 'none']));
    expect(page!.width).toBeCloseTo(width * 0.75, 2);
    expect(page!.height).toBeCloseTo(height * 0.75, 2);
  });

  it('is byte-identical for the same inputs and dated by the diagram\'s date, with no /CreationDate when undated', async () => {
    const epoch = { SOURCE_DATE_EPOCH: '1700000000' };
    const first = await pdfOf('dated-1.pdf', [], epoch);
    const second = await pdfOf('dated-2.pdf', [], epoch);
    expect(first.equals(second)).toBe(true);
    const objects = readObjects(first);
    const info = [...objects.values()].find((o) => /\/Creator \d+ 0 R/.test(o.dictionary))!.dictionary;
    expect(objects.get(Number(/\/CreationDate (\d+) 0 R/.exec(info)?.[1]))?.dictionary.trim()).toBe('(D:20231114221320Z)');
    const undated = [...readObjects(await pdfOf('undated.pdf', [])).values()].find((o) => /\/Creator \d+ 0 R/.test(o.dictionary))!.dictionary;
    expect(undated).not.toContain('/CreationDate');
  });

  it('takes its format from --format pdf when the file name says none', async () => {
    const pdf = await pdfOf('diagram.out', ['--format', 'pdf', '--page', 'letter-portrait']);
    const [page] = readPages(pdf);
    expect([page!.width, page!.height]).toEqual([612, 792]);
  });
});

describe('a page for the drawing', () => {
  it.each([
    ['A3', 'A3', 'landscape'], ['a4', 'A4', 'landscape'], ['A4-portrait', 'A4', 'portrait'], ['Letter-Landscape', 'letter', 'landscape'], ['legal-portrait', 'legal', 'portrait'],
  ])('is read from --page %s as %s %s', (text, paper, orientation) => {
    expect(pageNamed(text)).toEqual({ kind: 'paper', paper, orientation });
  });

  it.each(['A5', 'A4-sideways', 'A4portrait', '', 'tabloid'])('is refused, not guessed, for --page %j', (text) => {
    expect(pageNamed(text)).toBeUndefined();
  });

  it('fits a wide drawing to the width inside 10 mm margins, centred from top to bottom', () => {
    const placed = placeOnPage({ width: 4000, height: 1000 }, DEFAULT_PAGE);
    expect(placed.x).toBeCloseTo(MARGIN_PT, 1);
    expect(placed.x + 4000 * placed.scale).toBeCloseTo(1190.55 - MARGIN_PT, 1);
    expect(placed.y).toBeGreaterThan(MARGIN_PT);
    expect(placed.y * 2 + 1000 * placed.scale).toBeCloseTo(841.89, 6);
  });

  it('fits a tall drawing to the height, centred from left to right, and scales a small one up', () => {
    const placed = placeOnPage({ width: 300, height: 600 }, { kind: 'paper', paper: 'A4', orientation: 'portrait' });
    expect(placed.scale).toBeGreaterThan(1);
    expect(placed.y).toBeCloseTo(MARGIN_PT, 1);
    expect(placed.y + 600 * placed.scale).toBeCloseTo(841.89 - MARGIN_PT, 1);
    expect(placed.x).toBeGreaterThan(MARGIN_PT);
    expect(placed.x * 2 + 300 * placed.scale).toBeCloseTo(595.28, 6);
  });
});

describe('renderPdf', () => {
  it('refuses SVG it cannot size rather than guess a page', async () => {
    await expect(renderPdf('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>', { page: DEFAULT_PAGE })).rejects.toThrow(/width and height/);
  });

  it('throws when svg-to-pdfkit reports a part of the SVG it cannot draw, rather than write a page without it', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M 0 0 L 5"/></svg>';
    await expect(renderPdf(svg, { page: DEFAULT_PAGE })).rejects.toThrow(/could not draw/);
  });
});
