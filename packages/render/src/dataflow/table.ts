import type { AccountDataFlow, AccountDataModel } from '@netdiagram/core';
import { formatPortLabel, formatPortTitle } from '../format.js';
import { roundedPath } from '../shapes/path.js';
import { drawText, FONT, lineHeight, textWidth } from '../shapes/text.js';
import { element, textElement } from '../svg-writer.js';
import type { Theme } from '../theme.js';
import { wrapText } from '../wrap.js';
import { policiesText } from './view.js';

/** The drawing lists at most this many flows; `netdiagram dataflow --format csv` (and the evidence bundle) lists every one. */
export const MAX_DATA_FLOW_ROWS = 40;

const PAD = 12;
const SIZE = FONT.small + 1;
const ROW = lineHeight(SIZE) + 3;
const COLUMN_GAP = 14;
const END_CHARS = 40;
const HEADERS = ['Flow', 'CDE flow', 'Kind', 'From', 'To', 'Ports', 'Policies', 'Data flows'] as const;

interface Row {
  readonly cells: readonly (readonly string[])[];
  readonly title: string;
}

/** The text of an end: a party's name before its addresses. */
function endText(model: AccountDataModel, id: string): string {
  const o = model.outside.find((x) => x.id === id);
  if (!o) return id;
  return o.parties.length > 0 ? `${o.parties.map((p) => `${p.name} (${p.kind})`).join(', ')}: ${o.label}` : o.ingress ? `untrusted, through ${o.label}` : `untrusted: ${o.label}`;
}

function rowsOf(model: AccountDataModel): Row[] {
  return model.flows.slice(0, MAX_DATA_FLOW_ROWS).map((f: AccountDataFlow) => ({
    cells: [[f.id], [f.boundary ?? '\u2014'], [f.kind], wrapText(endText(model, f.from), END_CHARS), wrapText(endText(model, f.to), END_CHARS),
      wrapText(formatPortLabel(f.ports, Infinity), 32), wrapText(policiesText(f), 48), wrapText(f.explainedBy.length > 0 ? f.explainedBy.join(', ') : 'none declared', 32)],
    title: `${f.id} ${f.kind}: ${f.from} → ${f.to}\n${formatPortTitle(f.ports)}\nallowed by: ${f.via.join(', ')}`,
  }));
}

function heading(model: AccountDataModel): string {
  const n = model.flows.length;
  return `Account data flows (${n === 0 ? 'none' : n === 1 ? 'D1' : `D1\u2013D${n}`})`;
}

function footer(model: AccountDataModel): string | undefined {
  const n = model.flows.length;
  if (n === 0) return 'No allowed flow carries account data, as the annotations state it.';
  if (n <= MAX_DATA_FLOW_ROWS) return undefined;
  return `\u2026 ${n - MAX_DATA_FLOW_ROWS} more (D${MAX_DATA_FLOW_ROWS + 1}\u2013D${n}): netdiagram dataflow --format csv lists every one`;
}

function columnWidths(rows: readonly Row[]): number[] {
  if (rows.length === 0) return [];
  return HEADERS.map((h, i) => Math.max(textWidth(h, { size: SIZE, bold: true }), ...rows.map((r) => Math.max(...r.cells[i]!.map((line) => textWidth(line, { size: SIZE, bold: i === 0 }))))));
}

const rowLines = (r: Row) => Math.max(...r.cells.map((c) => c.length));

/** Size of the data-flow table. */
export function dataFlowTableSize(model: AccountDataModel): { width: number; height: number } {
  const rows = rowsOf(model);
  const widths = columnWidths(rows);
  const tail = footer(model);
  const width = Math.max(
    widths.reduce((sum, w) => sum + w + COLUMN_GAP, -COLUMN_GAP),
    textWidth(heading(model), { size: FONT.name, bold: true }),
    tail === undefined ? 0 : textWidth(tail, { size: SIZE }),
  ) + 2 * PAD;
  const body = rows.reduce((sum, r) => sum + rowLines(r), 0);
  const lines = (body > 0 ? 1 + body : 0) + (tail === undefined ? 0 : 1);
  return { width: Math.ceil(width), height: Math.ceil(PAD + lineHeight(FONT.name) + 4 + lines * ROW + PAD - 4) };
}

/** The table of account-data flows at `(x, y)`: number, CDE boundary number, kind, ends, ports, policies and the data flows that explain it. */
export function drawDataFlowTable(model: AccountDataModel, x: number, y: number, theme: Theme): string {
  const size = dataFlowTableSize(model);
  const rows = rowsOf(model);
  const widths = columnWidths(rows);
  const parts = [
    element('rect', { x, y, width: size.width, height: size.height, fill: theme.background, stroke: theme.text, 'stroke-width': 1 }),
    drawText(heading(model), x + PAD, y + PAD + FONT.name, { size: FONT.name, bold: true }),
  ];
  let row = y + PAD + lineHeight(FONT.name) + 4;
  const baseline = (top: number) => top + SIZE + 1;
  let cx = x + PAD;
  if (widths.length > 0) {
    HEADERS.forEach((h, i) => {
      parts.push(drawText(h, cx, baseline(row), { size: SIZE, bold: true, fill: theme.mutedText }));
      cx += widths[i]! + COLUMN_GAP;
    });
    row += ROW;
    const rule = row - 2;
    parts.push(element('path', { d: roundedPath((p) => { p.moveTo(x + PAD, rule); p.lineTo(x + size.width - PAD, rule); }), stroke: theme.mutedText, 'stroke-width': 0.75 }));
  }
  for (const r of rows) {
    const cells: string[] = [textElement('title', {}, r.title)];
    cx = x + PAD;
    r.cells.forEach((lines, i) => {
      lines.forEach((text, k) => cells.push(drawText(text, cx, baseline(row + k * ROW), { size: SIZE, bold: i === 0 })));
      cx += widths[i]! + COLUMN_GAP;
    });
    parts.push(element('g', { class: 'data-flow' }, cells));
    row += rowLines(r) * ROW;
  }
  const tail = footer(model);
  if (tail !== undefined) parts.push(drawText(tail, x + PAD, baseline(row), { size: SIZE, fill: theme.mutedText }));
  return element('g', { id: 'data-flow-table' }, parts);
}
