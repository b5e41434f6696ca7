import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundledFontFiles } from '@netdiagram/render';
import { DATA_ELEMENT_ID, LEVELS_ELEMENT_ID, type ExploreData } from './data.js';
import { PAGE_STYLE } from './style.js';

export interface HtmlOptions {
  /** The static diagram, as `renderSvg` wrote it. */
  readonly svg: string;
  readonly data: ExploreData;
  /** The expanded views (`expandedLevels`): namespace → gzipped, base64 `ExploreLevel`. */
  readonly levels?: Readonly<Record<string, string>>;
}

const PAGE_SCRIPT = new URL('./page.js', import.meta.url);

/**
 * The interactive diagram: one HTML file holding the SVG, the graph data as JSON and the page's
 * script, style and fonts, so it opens offline and loads nothing. Its Content-Security-Policy
 * allows only that one script and that one style (by hash) and fonts from data: URLs; nothing can
 * be fetched, framed or submitted.
 */
export function renderHtml({ svg, data, levels = {} }: HtmlOptions): string {
  const script = pageScript();
  const style = `${fontFaces()}\n${PAGE_STYLE}`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(style)}'`,
    'font-src data:',
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(data.title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<div id="app">',
    '<div id="toolbar"></div>',
    `<main id="canvas">${svgBody(svg)}</main>`,
    '<aside id="panel"></aside>',
    '</div>',
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript(data)}</script>`,
    `<script type="application/json" id="${LEVELS_ELEMENT_ID}">${jsonForScript(levels)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * JSON that cannot end its `<script>` element or open a comment there: every `<` (and the line
 * separators JavaScript once refused) written as a \u escape, which JSON.parse reads back as is.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The SVG without its XML declaration, which has no place inside HTML. */
function svgBody(svg: string): string {
  return svg.replace(/^<\?xml[^>]*\?>\s*/, '').trimEnd();
}

let cachedScript: string | undefined;
function pageScript(): string {
  if (cachedScript !== undefined) return cachedScript;
  let text: string;
  try {
    text = readFileSync(PAGE_SCRIPT, 'utf8');
  } catch {
    throw new Error(`the interactive page's script (${PAGE_SCRIPT.pathname}) is missing: run npm run build`);
  }
  // a script element ends at the first `</script`, whatever JavaScript would make of it
  cachedScript = text.replace(/<\/(script)/gi, '<\\/$1').trimEnd();
  return cachedScript;
}

let cachedFonts: string | undefined;
/** DejaVu Sans, Book and Bold, the fonts the layout measured its text with. */
function fontFaces(): string {
  if (cachedFonts !== undefined) return cachedFonts;
  const [book, bold] = bundledFontFiles();
  const face = (file: string, weight: string) =>
    `@font-face{font-family:'DejaVu Sans';font-weight:${weight};src:url(data:font/ttf;base64,${readFileSync(file).toString('base64')}) format('truetype')}`;
  cachedFonts = `${face(book!, 'normal')}\n${face(bold!, 'bold')}`;
  return cachedFonts;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
