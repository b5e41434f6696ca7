import { boundaryPortsText, formatPorts, type BoundaryFlow } from '@netdiagram/core';
import { formatFlowNumbers, formatPortLabel, formatPortTitle } from './format.js';
import { flowBadgeWidth } from './elk-graph.js';
import { drawFlowBadge } from './shapes/edge.js';
import { drawTable, tableSize, type Table, type TableRow } from './text-table.js';
import { wrapText } from './wrap.js';
import type { Theme } from './theme.js';
import type { DiagramScope } from './view/types.js';

/**
 * The boundary table lists at most this many flows, so that a cluster with hundreds of boundary flows
 * still gets a table one can read beside the drawing; the rest keep their badges on the edges, and
 * the last line names their numbers and the command that lists every one (`diagram` writes no CSV).
 */
export const MAX_BOUNDARY_ROWS = 12;

/**
 * Cells wrap onto more lines past these many characters: nothing in the table is ever shortened
 * (an ipBlock's `except` ranges, a policy name are the evidence). A representative peer's
 * description (`pods k8s-app=kube-dns in namespace kube-system`) gets wider lines than 40.
 */
const END_CHARS = 40;
const REPRESENTATIVE_CHARS = 56;
const PORT_CHARS = 32;
const POLICY_CHARS = 48;
const HEADERS = ['Flow', 'Direction', 'From', 'To', 'Ports', 'Policies'] as const;

type Row = TableRow;

/** The flows the table lists: every boundary flow, or on one namespace's page the ones it draws. */
function listedFlows(scope: DiagramScope): readonly BoundaryFlow[] {
  return scope.listed ?? scope.boundary;
}

function heading(scope: DiagramScope): string {
  const n = scope.boundary.length;
  if (scope.listed !== undefined) {
    const ids = scope.listed.map((f) => f.id);
    return `Flows crossing the CDE boundary on this page (${ids.length === 0 ? 'none' : formatFlowNumbers(ids, Infinity)} of ${n === 1 ? 'F1' : `F1\u2013F${n}`})`;
  }
  return `Flows crossing the CDE boundary (${n === 0 ? 'none' : n === 1 ? 'F1' : `F1\u2013F${n}`})`;
}

function rowsOf(scope: DiagramScope): Row[] {
  return listedFlows(scope).slice(0, MAX_BOUNDARY_ROWS).map((f: BoundaryFlow) => {
    const policies = f.policies.length > 0 ? f.policies.join(', ') : 'none: default-allow';
    // a representative end is a sentence (`pods app=x in namespace y`): room for it; its ports keep their names
    const ends = f.representative ? REPRESENTATIVE_CHARS : END_CHARS;
    // named ports (an egress rule's `http`) only a representative flow has: its text then says more than the numbers
    const named = f.representative !== undefined && boundaryPortsText(f) !== formatPorts(f.ports);
    const ports = named ? boundaryPortsText(f) : formatPortLabel(f.ports, Infinity);
    const portsTitle = named ? boundaryPortsText(f) : formatPortTitle(f.ports);
    const listed = f.representative
      ? `\n${f.representative.text}: pods the policies admit whether or not the input holds them; in the input: ${f.representative.holds.length > 0 ? f.representative.holds.join(', ') : 'none'}`
      : '';
    return {
      cells: [[f.id], [f.direction], wrapText(f.from, ends), wrapText(f.to, ends), wrapText(ports, PORT_CHARS), wrapText(policies, POLICY_CHARS)],
      title: `${f.id} ${f.direction}: ${f.from} → ${f.to}\n${portsTitle}\nallowed by: ${f.via.join(', ')}${listed}`,
    };
  });
}

/** The last line: what the table leaves out, or that nothing crosses the boundary. */
function footer(scope: DiagramScope): string | undefined {
  const listed = listedFlows(scope);
  const n = listed.length;
  if (n === 0) return scope.listed !== undefined ? 'No flow drawn on this page crosses the CDE boundary.' : 'No allowed flow crosses the CDE boundary.';
  if (n <= MAX_BOUNDARY_ROWS) return undefined;
  const hidden = n - MAX_BOUNDARY_ROWS === 1 ? listed[n - 1]!.id : `${listed[MAX_BOUNDARY_ROWS]!.id}\u2013${listed[n - 1]!.id}`;
  return `\u2026 ${n - MAX_BOUNDARY_ROWS} more (${hidden}): netdiagram evidence lists every boundary flow in boundary.csv`;
}

/** The boundary table as a table to lay out: flow badges in the first column. */
function tableOf(scope: DiagramScope): Table {
  const tail = footer(scope);
  return {
    id: 'boundary-table', rowClass: 'boundary-flow', heading: heading(scope), headers: HEADERS, rows: rowsOf(scope),
    ...(tail !== undefined ? { footer: tail } : {}),
    firstColumn: { width: flowBadgeWidth, draw: (text, x, middle, theme) => drawFlowBadge(text, x, middle, theme) },
  };
}

/** Size of the boundary table. */
export function boundaryTableSize(scope: DiagramScope): { width: number; height: number } {
  return tableSize(tableOf(scope));
}

/**
 * The boundary table at `(x, y)`: every flow crossing the CDE boundary with its number, direction,
 * ends, ports and the NetworkPolicies that allow it (PCI DSS 1.2.3: all connections to the CDE),
 * capped at `MAX_BOUNDARY_ROWS` rows.
 */
export function drawBoundaryTable(scope: DiagramScope, x: number, y: number, theme: Theme): string {
  return drawTable(tableOf(scope), x, y, theme);
}
