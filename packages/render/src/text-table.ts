import { roundedPath } from './shapes/path.js';
import { drawText, FONT, lineHeight, textWidth } from './shapes/text.js';
import { element, textElement } from './svg-writer.js';
import type { Theme } from './theme.js';

// The tables under a drawing (the boundary table, the data-flow table): a heading, a header row
// over a rule, rows whose cells wrap onto lines, and a footer line; one layout for all of them.

const PAD = 12;
export const TABLE_TEXT_SIZE = FONT.small + 1;
const ROW = lineHeight(TABLE_TEXT_SIZE) + 3;
const COLUMN_GAP = 14;

export interface TableRow {
  /** Each cell's lines. */
  readonly cells: readonly (readonly string[])[];
  /** The row's tooltip. */
  readonly title: string;
}

/** How the first column is drawn: bold text (the default), or a shape of its own (a flow badge). */
export interface FirstColumn {
  readonly width: (text: string) => number;
  readonly draw: (text: string, x: number, middle: number, theme: Theme) => readonly string[];
}

export interface Table {
  /** The `<g>` id of the table, and the class of each row's `<g>`. */
  readonly id: string;
  readonly rowClass: string;
  readonly heading: string;
  readonly headers: readonly string[];
  readonly rows: readonly TableRow[];
  /** The last line (what the table leaves out, or that it is empty). */
  readonly footer?: string;
  readonly firstColumn?: FirstColumn;
}

const rowLines = (r: TableRow) => Math.max(...r.cells.map((c) => c.length));

function columnWidths(table: Table): number[] {
  if (table.rows.length === 0) return [];
  const first = table.firstColumn;
  return table.headers.map((h, i) => Math.max(
    textWidth(h, { size: TABLE_TEXT_SIZE, bold: true }),
    ...table.rows.map((r) => (i === 0 && first ? first.width(r.cells[0]![0]!) : Math.max(...r.cells[i]!.map((line) => textWidth(line, { size: TABLE_TEXT_SIZE, bold: i === 0 && !first }))))),
  ));
}

/** The table's size. */
export function tableSize(table: Table): { width: number; height: number } {
  const widths = columnWidths(table);
  const width = Math.max(
    widths.reduce((sum, w) => sum + w + COLUMN_GAP, -COLUMN_GAP),
    textWidth(table.heading, { size: FONT.name, bold: true }),
    table.footer === undefined ? 0 : textWidth(table.footer, { size: TABLE_TEXT_SIZE }),
  ) + 2 * PAD;
  const body = table.rows.reduce((sum, r) => sum + rowLines(r), 0);
  const lines = (body > 0 ? 1 + body : 0) + (table.footer === undefined ? 0 : 1);
  return { width: Math.ceil(width), height: Math.ceil(PAD + lineHeight(FONT.name) + 4 + lines * ROW + PAD - 4) };
}

/** The table at `(x, y)`. */
export function drawTable(table: Table, x: number, y: number, theme: Theme): string {
  const size = tableSize(table);
  const widths = columnWidths(table);
  const parts = [
    element('rect', { x, y, width: size.width, height: size.height, fill: theme.background, stroke: theme.text, 'stroke-width': 1 }),
    drawText(table.heading, x + PAD, y + PAD + FONT.name, { size: FONT.name, bold: true }),
  ];
  let row = y + PAD + lineHeight(FONT.name) + 4;
  const baseline = (top: number) => top + TABLE_TEXT_SIZE + 1;
  let cx = x + PAD;
  if (widths.length > 0) {
    table.headers.forEach((h, i) => {
      parts.push(drawText(h, cx, baseline(row), { size: TABLE_TEXT_SIZE, bold: true, fill: theme.mutedText }));
      cx += widths[i]! + COLUMN_GAP;
    });
    row += ROW;
    const rule = row - 2;
    parts.push(element('path', { d: roundedPath((p) => { p.moveTo(x + PAD, rule); p.lineTo(x + size.width - PAD, rule); }), stroke: theme.mutedText, 'stroke-width': 0.75 }));
  }
  const first = table.firstColumn;
  for (const r of table.rows) {
    const cells: string[] = [textElement('title', {}, r.title)];
    cx = x + PAD;
    r.cells.forEach((lines, i) => {
      if (i === 0 && first) cells.push(...first.draw(lines[0]!, cx, row + ROW / 2 - 1, theme));
      else lines.forEach((text, k) => cells.push(drawText(text, cx, baseline(row + k * ROW), { size: TABLE_TEXT_SIZE, bold: i === 0 && !first })));
      cx += widths[i]! + COLUMN_GAP;
    });
    parts.push(element('g', { class: table.rowClass }, cells));
    row += rowLines(r) * ROW;
  }
  if (table.footer !== undefined) parts.push(drawText(table.footer, x + PAD, baseline(row), { size: TABLE_TEXT_SIZE, fill: theme.mutedText }));
  return element('g', { id: table.id }, parts);
}
