import { createRequire } from 'node:module';
import { bundledFontFiles } from './bundled-font.js';
import { describePage, placeOnPage, type PageSpec } from './page.js';

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
 * Draws diagram SVG on one PDF page with pdfkit and svg-to-pdfkit, fitted to `page` (see
 * `placeOnPage`). The bundled DejaVu Sans (the font the PNG is drawn with and the layout measured)
 * is embedded, subset, with a ToUnicode map, so text stays text that readers can search and copy.
 * Any feature of the SVG that svg-to-pdfkit reports it cannot draw is a bug here, and throws: a
 * page that silently lacks part of the diagram would be evidence of something else.
 */
export async function renderPdf(svg: string, options: PdfOptions): Promise<Uint8Array> {
  // loaded on first use, not with the package: pdfkit and fontkit take 0.25-0.4 s to load, and only
  // PDF output needs them; require() of pdfkit's CommonJS build is about 0.1 s faster than its ES module
  const require = createRequire(import.meta.url);
  const PDFDocument = require('pdfkit') as typeof import('pdfkit');
  const svgToPdfkit = require('svg-to-pdfkit') as SvgToPdfkit;
  const placement = placeOnPage(svgSize(svg), options.page);
  const doc = new PDFDocument({
    size: [placement.width, placement.height], margin: 0, autoFirstPage: true,
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
  doc.save().translate(placement.x, placement.y).scale(placement.scale);
  svgToPdfkit(doc, svg, 0, 0, {
    // the transform above already turns SVG units into points
    assumePt: true,
    // every face is DejaVu Sans, as in the PNG, whatever family the theme names
    fontCallback: (_family: string, bold: boolean) => (bold ? BOLD : REGULAR),
    warningCallback: (warning: string) => warnings.push(warning),
  });
  doc.restore();
  doc.end();
  await ended;
  if (warnings.length > 0) throw new Error(`svg-to-pdfkit could not draw all of the diagram on ${describePage(options.page)}: ${warnings.join('; ')}`);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The width and height of the root `<svg>` element, as renderSvg writes them (plain numbers, in SVG units). */
function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('renderPdf needs an <svg> root with a width and height in SVG units, as renderSvg writes it');
  return { width, height };
}
