import { truncateText } from '../measure.js';
import { wrapText } from '../wrap.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { AnyShape, Direction, ExternalShape, NamespaceSetShape, NamespaceSummaryShape, PeerGroupShape } from '../view/types.js';
import { plainPorts, type NodeGeometry } from './geometry.js';
import { polygonPath, roundedPath } from './path.js';
import { drawText, FONT, lineHeight, textWidth } from './text.js';

interface Line {
  readonly text: string;
  readonly bold: boolean;
  readonly size: number;
}

const INSET = 12;
const PAD = 8;

/** An outside address set's lines, wrapped, never cut: its CIDR and `except` ranges are what the diagram is evidence of. */
function externalLines(node: ExternalShape): Line[] {
  return node.lines.flatMap((text, i) => wrapText(text, 40).map((line) => ({ text: line, bold: i === 0, size: i === 0 ? FONT.small + 1 : FONT.small })));
}

function textBlock(lines: readonly Line[]): { width: number; height: number } {
  return {
    width: Math.max(...lines.map((l) => textWidth(l.text, { size: l.size, bold: l.bold }))),
    height: lines.reduce((sum, l) => sum + lineHeight(l.size), 0),
  };
}

function drawLines(lines: readonly Line[], cx: number, top: number, fill?: string): string[] {
  let y = top;
  return lines.map((l) => {
    y += lineHeight(l.size);
    return drawText(l.text, cx, y - (lineHeight(l.size) - l.size) - 1, { size: l.size, bold: l.bold, anchor: 'middle', ...(fill ? { fill } : {}) });
  });
}

/** A cloud outline filling the box: rounded bumps over a flat base. */
export function cloudPath(x: number, y: number, w: number, h: number): string {
  return roundedPath((p) => {
    p.moveTo(x + w * 0.2, y + h * 0.85);
    p.arcTo(x, y + h * 0.85, x, y + h * 0.6, h * 0.22);
    p.arcTo(x, y + h * 0.35, x + w * 0.15, y + h * 0.35, h * 0.22);
    p.arcTo(x + w * 0.2, y, x + w * 0.5, y + h * 0.05, h * 0.3);
    p.arcTo(x + w * 0.8, y, x + w * 0.85, y + h * 0.35, h * 0.3);
    p.arcTo(x + w, y + h * 0.35, x + w, y + h * 0.6, h * 0.22);
    p.arcTo(x + w, y + h * 0.85, x + w * 0.8, y + h * 0.85, h * 0.22);
    p.closePath();
  });
}

/** Outside addresses: a hexagon for an ipBlock, a cloud for the whole Internet. */
/** The outline of a peer that is not evaluated. */
export const NOT_EVALUATED_DASH = '5 3';

export function layoutExternal(node: ExternalShape, direction: Direction): NodeGeometry {
  const block = textBlock(externalLines(node));
  const width = Math.ceil(block.width + 2 * INSET + (node.internet ? 36 : 2 * PAD));
  const height = Math.ceil(block.height + (node.internet ? 30 : 2 * PAD));
  return { width, height, ports: plainPorts(width, height, direction) };
}

export function drawExternal(node: ExternalShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutExternal(node, direction);
  const { x, y } = at;
  const { width: w, height: h } = g;
  const outline = node.internet
    ? cloudPath(x, y, w, h)
    : polygonPath([[x + INSET, y], [x + w - INSET, y], [x + w, y + h / 2], [x + w - INSET, y + h], [x + INSET, y + h], [x, y + h / 2]]);
  const lines = externalLines(node);
  const block = textBlock(lines);
  const top = node.internet ? y + h * 0.55 - block.height / 2 : y + (h - block.height) / 2;
  return element('g', {}, [
    textElement('title', {}, node.title),
    element('path', { d: outline, fill: theme.external.fill, stroke: theme.external.stroke, 'stroke-width': 1.5, 'stroke-dasharray': node.variant === 'not-evaluated' ? NOT_EVALUATED_DASH : undefined }),
    ...(node.variant === 'named' ? [element('path', { d: polygonPath([[x + INSET + 3, y + 3], [x + w - INSET - 3, y + 3], [x + w - 4, y + h / 2], [x + w - INSET - 3, y + h - 3], [x + INSET + 3, y + h - 3], [x + 4, y + h / 2]]), fill: 'none', stroke: theme.external.stroke, 'stroke-width': 0.75 })] : []),
    ...drawLines(lines, x + w / 2, top),
  ]);
}

function anyLines(node: AnyShape): Line[] {
  return [
    { text: 'ANY', bold: true, size: FONT.name },
    { text: node.side === 'source' ? 'any pod or address' : 'any pod or address', bold: false, size: FONT.small },
    { text: node.side === 'source' ? '(where ingress is open)' : '(where egress is open)', bold: false, size: FONT.small },
  ];
}

/** A dotted box sized to its lines of text: the ANY peer and the aggregate peer group. */
function layoutTextBox(lines: Line[], direction: Direction): NodeGeometry {
  const block = textBlock(lines);
  const width = Math.ceil(block.width + 2 * PAD + 8);
  const height = Math.ceil(block.height + 2 * PAD);
  return { width, height, ports: plainPorts(width, height, direction) };
}

/** The unrestricted peer: a dotted box standing for every pod and every address. */
export function layoutAny(node: AnyShape, direction: Direction): NodeGeometry {
  return layoutTextBox(anyLines(node), direction);
}

export function drawAny(node: AnyShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutAny(node, direction);
  const lines = anyLines(node);
  return element('g', {}, [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: g.width, height: g.height, fill: theme.background, stroke: theme.warning, 'stroke-width': 2, 'stroke-dasharray': '2 3' }),
    ...drawLines(lines, at.x + g.width / 2, at.y + PAD),
  ]);
}

function peerLines(node: PeerGroupShape): Line[] {
  return [
    { text: `${node.members.length} workloads`, bold: true, size: FONT.small + 1 },
    { text: truncateText(`in ${node.namespace}`), bold: false, size: FONT.small },
  ];
}

/** Several workloads of one namespace that share a flow: a dotted aggregate peer. */
export function layoutPeerGroup(node: PeerGroupShape, direction: Direction): NodeGeometry {
  return layoutTextBox(peerLines(node), direction);
}

export function drawPeerGroup(node: PeerGroupShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutPeerGroup(node, direction);
  return element('g', {}, [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: g.width, height: g.height, fill: theme.aggregate.fill, stroke: theme.aggregate.stroke, 'stroke-width': 1.25, 'stroke-dasharray': '1.5 2.5' }),
    ...drawLines(peerLines(node), at.x + g.width / 2, at.y + PAD),
  ]);
}

/** The dots of a namespace set's outline, in the drawing and the legend. */
export const NAMESPACE_SET_DASH = '1.5 2.5';

/** A namespace set's lines: how many, then every name, wrapped, never cut (the edge stands for each of them). */
function namespaceSetLines(node: NamespaceSetShape): Line[] {
  const head = node.everyOther ? `every other namespace (${node.namespaces.length})` : `${node.namespaces.length} namespaces`;
  return [
    { text: head, bold: true, size: FONT.small + 1 },
    ...wrapText(node.namespaces.join(', '), 32).map((text) => ({ text, bold: false, size: FONT.small })),
  ];
}

/** On an overview, the namespaces sharing one flow with a namespace: a dotted double box naming them. */
export function layoutNamespaceSet(node: NamespaceSetShape, direction: Direction): NodeGeometry {
  return layoutTextBox(namespaceSetLines(node), direction);
}

export function drawNamespaceSet(node: NamespaceSetShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutNamespaceSet(node, direction);
  return element('g', {}, [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: g.width, height: g.height, rx: 4, fill: theme.namespace.fill, stroke: theme.namespace.stroke, 'stroke-width': 1.25, 'stroke-dasharray': NAMESPACE_SET_DASH }),
    ...drawLines(namespaceSetLines(node), at.x + g.width / 2, at.y + PAD),
  ]);
}

function summaryLines(node: NamespaceSummaryShape): Line[] {
  const head = node.namespaces.length === 1 ? `ns ${truncateText(node.namespaces[0]!)}` : `${node.namespaces.length} other namespaces`;
  const lines: Line[] = [
    { text: head, bold: true, size: FONT.name },
    { text: [`${node.workloads} workload${node.workloads === 1 ? '' : 's'}`, `${node.services} service${node.services === 1 ? '' : 's'}`, ...(node.ingresses > 0 ? [`${node.ingresses} ingress${node.ingresses === 1 ? '' : 'es'}`] : [])].join(' · '), bold: false, size: FONT.small },
    { text: `isolated: ${node.ingressIsolated} in · ${node.egressIsolated} out`, bold: false, size: FONT.small },
  ];
  if (node.internalFlows > 0) lines.push({ text: `${node.internalFlows} flow${node.internalFlows === 1 ? '' : 's'} inside`, bold: false, size: FONT.small });
  if (node.pageRef !== undefined) lines.push({ text: `drawn on ${node.pageRef}`, bold: true, size: FONT.small });
  return lines;
}

/** A collapsed namespace: a double-bordered box with counts. */
export function layoutSummary(node: NamespaceSummaryShape, direction: Direction): NodeGeometry {
  const block = textBlock(summaryLines(node));
  const width = Math.ceil(block.width + 2 * PAD + 8);
  const height = Math.ceil(block.height + 2 * PAD + 2);
  return { width, height, ports: plainPorts(width, height, direction) };
}

export function drawSummary(node: NamespaceSummaryShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const g = layoutSummary(node, direction);
  return element('g', {}, [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: g.width, height: g.height, rx: 4, fill: theme.namespace.fill, stroke: theme.namespace.stroke, 'stroke-width': 1 }),
    element('rect', { x: at.x + 3, y: at.y + 3, width: g.width - 6, height: g.height - 6, rx: 2, fill: 'none', stroke: theme.namespace.stroke, 'stroke-width': 1 }),
    ...drawLines(summaryLines(node), at.x + g.width / 2, at.y + PAD + 1),
  ]);
}
