import { extname } from 'node:path';
import type { DiagramPage, PageSpec } from '@netdiagram/render';
import type { Io } from './io.js';
import { terminalText } from './escape.js';

/**
 * The file each page of a multi-page SVG or PNG goes to: `diagram.svg` → `diagram-1.svg`,
 * `diagram-2.svg`, …; one page keeps the name it was given.
 */
export function pagePaths(output: string, count: number): string[] {
  if (count === 1) return [output];
  const ext = extname(output);
  const stem = output.slice(0, output.length - ext.length);
  return Array.from({ length: count }, (_, i) => `${stem}-${i + 1}${ext}`);
}

/**
 * A warning for every page whose text prints under `minimum` points: the reader of the paper cannot
 * read it, and the file is still written (a CI job gets its diagram), so the log must say so.
 */
export function warnSmallText(pages: readonly DiagramPage[], page: PageSpec, minimum: number, describe: (page: PageSpec) => string, io: Io): void {
  for (const p of pages) {
    if (p.textPt.median >= minimum) continue;
    const which = p.total > 1 ? `page ${p.number} / ${p.total} (${p.shows.slice(0, p.shows.indexOf(':'))})` : 'the diagram';
    io.stderr(`netdiagram: warning: ${terminalText(which)} prints its text at ${p.textPt.median} pt (median; smallest ${p.textPt.min} pt) on ${describe(page)}, ` +
      `under ${minimum} pt: too small to read on paper. A larger --page, --detail namespace or --direction down may fit it.\n`);
  }
}
