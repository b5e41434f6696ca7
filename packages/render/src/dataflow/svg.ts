import type { AccountDataModel } from '@netdiagram/core';
import type { Layout } from '../layout.js';
import { renderSvg, type RenderOptions } from '../svg.js';
import { element, textElement } from '../svg-writer.js';
import { defaultTheme } from '../theme.js';
import { dataFlowTableSize, drawDataFlowTable } from './table.js';

const GAP = 16;
const MARGIN = 16;

/**
 * The data-flow diagram as SVG: the network diagram's own drawing of the data-flow layout (title
 * block, legend and boundary table included), with the table of every account-data flow under it.
 * The drawing is nested whole, so nothing of the network diagram's renderer is re-done here.
 */
export function renderDataFlowSvg(layout: Layout, model: AccountDataModel, options: RenderOptions = {}): string {
  const theme = options.theme ?? defaultTheme;
  const inner = renderSvg(layout, { title: 'Account data flows', ...options });
  const root = /^<\?xml[^>]*\?>\n(<svg [^>]*?width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"[^>]*>)/.exec(inner);
  if (!root) throw new Error('renderSvg wrote no <svg> root with a width and a height');
  const innerWidth = Number(root[2]);
  const innerHeight = Number(root[3]);
  const table = dataFlowTableSize(model);
  const width = Math.ceil(Math.max(innerWidth, table.width + 2 * MARGIN));
  const height = Math.ceil(innerHeight + GAP + table.height + MARGIN);
  const body = inner.slice(inner.indexOf('\n') + 1).trimEnd();
  const svg = element('svg', {
    xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`,
    'font-family': theme.fontFamily, fill: theme.text, role: 'img',
  }, [
    textElement('title', {}, options.title ?? 'Account data flows'),
    element('rect', { x: 0, y: 0, width, height, fill: theme.background }),
    body,
    drawDataFlowTable(model, MARGIN, innerHeight + GAP, theme),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
