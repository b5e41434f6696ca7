import { createRequire } from 'node:module';
import { bundledFontFiles } from './bundled-font.js';
import { describePage, placeOnPage, type PageSpec } from './page.js';
import { svgSize } from './print-size.js';

/** Options for `renderPdf`. */
export interface PdfOptions {
  /** The page the drawing is fitted on (A3 landscape, or the drawing's own size, …). */
  readonly page: PageSpec;
  /** The document title PDF readers show (the diagram's title). */
  readonly title?: string;
  /**
   * The PDF's creation date: the date the diagram records (--date, SOURCE_DATE_EPOCH or the commit
   * date). Absent: the PDF has none. No clock time reaches the file, so the same inputs give the same bytes.
   */
  readonly creationDate?: Date;
}

/** `svgToPdfkit(doc, svg, x, y, options)`, from svg-to-pdfkit (no types of its own: see svg-to-pdfkit.d.ts). */
type SvgToPdfkit = typeof import('svg-to-pdfkit');

/** The names the two bundled faces are registered under in each document. */
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

/**
 * Draws diagram SVG on PDF pages with pdfkit and svg-to-pdfkit, one page per SVG (a multi-page
 * diagram from `renderPages`), each fitted to `page` (see `placeOnPage`). The bundled DejaVu Sans
 * (the font the PNG is drawn with and the layout measured) is embedded, subset, with a ToUnicode
 * map, so text stays text that readers can search and copy. Any feature of the SVG that
 * svg-to-pdfkit reports it cannot draw is a bug here, and throws: a page that silently lacks part
 * of the diagram would be evidence of something else.
 */
export async function renderPdf(svg: string | readonly string[], options: PdfOptions): Promise<Uint8Array> {
  const pages = typeof svg === 'string' ? [svg] : [...svg];
  if (pages.length === 0) throw new Error('renderPdf needs at least one page of SVG');
  // loaded on first use, not with the package: pdfkit and fontkit take 0.25-0.4 s to load, and only
  // PDF output needs them; require() of pdfkit's CommonJS build is about 0.1 s faster than its ES module
  const require = createRequire(import.meta.url);
  const PDFDocument = require('pdfkit') as typeof import('pdfkit');
  const svgToPdfkit = require('svg-to-pdfkit') as SvgToPdfkit;
  const placements = pages.map((p) => placeOnPage(svgSize(p), options.page));
  const first = placements[0]!;
  const doc = new PDFDocument({
    size: [first.width, first.height], margin: 0, autoFirstPage: true,
    // pdfkit derives the file /ID from this info; a fixed stand-in date keeps it the same run after run
    info: { Title: options.title ?? '', Creator: 'netdiagram', CreationDate: options.creationDate ?? new Date(0) },
  });
  // an undated diagram gets no /CreationDate: hidden from the loop that writes the Info dictionary, the
  // stand-in stays readable for pdfkit's XMP code, which reads it (and writes XMP only for PDF/A)
  if (options.creationDate === undefined) Object.defineProperty(doc.info, 'CreationDate', { enumerable: false });
  const [regular, bold] = bundledFontFiles();
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });
  const warnings: string[] = [];
  pages.forEach((pageSvg, i) => {
    const placement = placements[i]!;
    if (i > 0) doc.addPage({ size: [placement.width, placement.height], margin: 0 });
    doc.save().translate(placement.x, placement.y).scale(placement.scale);
    svgToPdfkit(doc, pageSvg, 0, 0, {
      // the transform above already turns SVG units into points
      assumePt: true,
      // every face is DejaVu Sans, as in the PNG, whatever family the theme names
      fontCallback: (_family: string, bold: boolean) => (bold ? BOLD : REGULAR),
      warningCallback: (warning: string) => warnings.push(pages.length > 1 ? `page ${i + 1}: ${warning}` : warning),
    });
    doc.restore();
  });
  doc.end();
  await ended;
  if (warnings.length > 0) throw new Error(`svg-to-pdfkit could not draw all of the diagram on ${describePage(options.page)}: ${warnings.join('; ')}`);
  return new Uint8Array(Buffer.concat(chunks));
}
