import type { TrafficGraph } from '@netdiagram/core';
import type { LayoutOptions, RenderOptions } from '@netdiagram/render';
import type { Io } from './io.js';
import { warnSmallText } from './page-output.js';

/**
 * The evidence diagram for print: A3 landscape pages (an overview and a page per namespace where one
 * page would print its text under 7 pt), as `diagram -o diagram.pdf` writes them, with the same
 * warning for a page that still prints under 7 pt.
 */
export async function evidencePdf(graph: TrafficGraph, layout: LayoutOptions, info: RenderOptions, date: string | undefined, io: Io): Promise<Uint8Array> {
  const { DEFAULT_PAGE, MIN_TEXT_PT, describePage, renderPages, renderPdf } = await import('@netdiagram/render');
  const pages = await renderPages(graph, layout, info, DEFAULT_PAGE, { flexibleDirection: true });
  warnSmallText(pages, DEFAULT_PAGE, MIN_TEXT_PT, describePage, io);
  return renderPdf(pages.map((p) => p.svg), { page: DEFAULT_PAGE, ...(info.title !== undefined ? { title: info.title } : {}), ...(date ? { creationDate: new Date(date) } : {}) });
}
