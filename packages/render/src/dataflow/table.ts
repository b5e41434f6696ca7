import type { AccountDataFlow, AccountDataModel } from '@netdiagram/core';
import { formatPortLabel, formatPortTitle } from '../format.js';
import { drawTable, tableSize, type Table, type TableRow } from '../text-table.js';
import type { Theme } from '../theme.js';
import { wrapText } from '../wrap.js';
import { policiesText } from './view.js';

/** The drawing lists at most this many flows; `netdiagram dataflow --format csv` (and the evidence bundle) lists every one. */
export const MAX_DATA_FLOW_ROWS = 40;

const END_CHARS = 40;
const HEADERS = ['Flow', 'CDE flow', 'Kind', 'From', 'To', 'Ports', 'Policies', 'Data flows'] as const;

type Row = TableRow;

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

function tableOf(model: AccountDataModel): Table {
  const tail = footer(model);
  return { id: 'data-flow-table', rowClass: 'data-flow', heading: heading(model), headers: HEADERS, rows: rowsOf(model), ...(tail !== undefined ? { footer: tail } : {}) };
}

/** Size of the data-flow table. */
export function dataFlowTableSize(model: AccountDataModel): { width: number; height: number } {
  return tableSize(tableOf(model));
}

/** The table of account-data flows at `(x, y)`: number, CDE boundary number, kind, ends, ports, policies and the data flows that explain it. */
export function drawDataFlowTable(model: AccountDataModel, x: number, y: number, theme: Theme): string {
  return drawTable(tableOf(model), x, y, theme);
}
