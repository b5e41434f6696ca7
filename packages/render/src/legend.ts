import { EDGE_STYLES, type EdgeLook, type EdgeStyle, type Theme } from './theme.js';
import type { Layout } from './layout.js';
import { element } from './svg-writer.js';
import { badgeWidth, drawBadge, drawLock, drawWarning } from './shapes/badges.js';
import { drawArrowhead, drawChangeHalo, drawFlowBadge, routePath } from './shapes/edge.js';
import { drawCdeBox } from './shapes/zone.js';
import { CDE_LABEL } from './view/scope.js';
import { cloudPath, NAMESPACE_SET_DASH, NOT_EVALUATED_DASH } from './shapes/external.js';
import { REPRESENTATIVE_DASH } from './shapes/representative.js';
import { ENTIRE_CLUSTER_LABEL } from './view/exposure.js';
import { polygonPath, roundedPath } from './shapes/path.js';
import { cylinderPaths } from './shapes/volume.js';
import { isRestricted } from './shapes/workload.js';
import { drawText, FONT, lineHeight, textWidth } from './shapes/text.js';

/** One legend row: a small sample drawing (in a 44×18 cell) and its meaning. */
interface LegendItem {
  readonly key: string;
  readonly text: string;
  readonly sample: (x: number, y: number, theme: Theme) => string;
}

const SAMPLE_WIDTH = 48;
const ROW = 22;
const PAD = 12;
const TEXT_SIZE = FONT.small + 1;

const CONTROLLERS: readonly [string, string][] = [
  ['D', 'Deployment'], ['SS', 'StatefulSet'], ['DS', 'DaemonSet'], ['RS', 'ReplicaSet'], ['RC', 'ReplicationController'],
  ['J', 'Job'], ['CJ', 'CronJob'], ['P', 'bare Pod'], ['?', 'other controller'],
];
const SERVICE_TYPES: readonly [string, string][] = [
  ['CIP', 'ClusterIP Service'], ['HS', 'headless Service'], ['NP', 'NodePort Service'], ['LB', 'LoadBalancer Service'], ['EN', 'ExternalName Service'],
];
const EDGE_TEXT: Readonly<Record<EdgeStyle, string>> = {
  'from-outside': 'allowed from outside the cluster or via an Ingress or Gateway',
  flow: 'allowed flow: protocol and ports',
  'to-outside': 'allowed to outside the cluster',
  unrestricted: 'unrestricted: that side admits every peer',
  route: 'route: structure, not permission',
  'broken-route': 'broken route: its targetPort names no port of the pod',
  removed: 'removed: allowed before, no longer allowed',
  'staged-add': 'staged +: a staged policy (not enforced) would allow it',
  'staged-remove': 'staged −: allowed today, a staged policy (not enforced) would stop it',
  'not-evaluated': 'rule to or from a peer not evaluated (matched to nothing)',
};

/** A short edge sample in a legend cell. */
function edgeSample(x: number, y: number, look: EdgeLook): string[] {
  const points = [{ x: x + 2, y: y + 9 }, { x: x + 44, y: y + 9 }];
  return [
    element('path', { d: routePath([points[0]!, { x: x + 44 - (look.arrow === 'filled' ? 5 : look.width), y: y + 9 }]), fill: 'none', stroke: look.stroke, 'stroke-width': look.width, 'stroke-dasharray': look.dash === '' ? undefined : look.dash }),
    drawArrowhead(points, look),
  ];
}

/** The rows for the PCI DSS zones and boundary numbers the layout draws. */
function scopeItems(layout: Layout): LegendItem[] {
  const items: LegendItem[] = [];
  const nodes = layout.nodes.map((n) => n.node);
  const containers = layout.containers.map((c) => c.container);
  if (containers.some((c) => c.kind === 'cde' || c.zone === 'cde') || nodes.some((n) => n.zone === 'cde')) {
    items.push({ key: 'zone-cde', text: `${CDE_LABEL}: cardholder data environment`, sample: (x, y, t) => element('g', {}, drawCdeBox({ x: x + 4, y: y + 1, width: 40, height: 16 }, t, 3)) });
  }
  if (nodes.some((n) => n.zone === 'connected')) {
    items.push({ key: 'zone-connected', text: 'connected-to the CDE: in scope', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, rx: 3, fill: 'none', stroke: t.zones.connected.stroke, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' }) });
  }
  if (containers.some((c) => c.zone === 'out-of-scope') || nodes.some((n) => n.zone === 'out-of-scope')) {
    items.push({ key: 'zone-out-of-scope', text: 'out of PCI DSS scope (shaded)', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, rx: 3, fill: t.zones.outOfScope.fill, stroke: t.zones.outOfScope.stroke, 'stroke-width': 1 }) });
  }
  if (layout.edges.some((e) => (e.edge.boundary ?? []).length > 0)) {
    items.push({ key: 'boundary', text: 'flow crossing the CDE boundary: see the table', sample: (x, y, t) => element('g', {}, drawFlowBadge('F1', x + 14, y + 9, t)) });
  }
  return items;
}

/** The rows of a diff diagram: added and changed flows, and removed shapes. */
function changeItems(layout: Layout): LegendItem[] {
  const items: LegendItem[] = [];
  for (const change of ['added', 'changed'] as const) {
    if (!layout.edges.some((e) => e.edge.change === change)) continue;
    items.push({
      key: `change-${change}`,
      text: change === 'added' ? '+ added since the previous input' : '~ ports or addresses changed since then',
      sample: (x, y, t) => element('g', {}, [
        drawChangeHalo(routePath([{ x: x + 2, y: y + 9 }, { x: x + 44, y: y + 9 }]), t.edges.flow, change, t),
        ...edgeSample(x, y, t.edges.flow),
      ]),
    });
  }
  if (layout.nodes.some((n) => n.node.kind === 'removed')) {
    items.push({ key: 'removed-node', text: 'workload or Ingress removed since then', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.background, stroke: t.edges.removed.stroke, 'stroke-width': 1.5, 'stroke-dasharray': t.edges.removed.dash }) });
  }
  return items;
}

/** The legend rows this layout needs: only shapes, badges and line styles it actually draws. */
export function legendItems(layout: Layout): LegendItem[] {
  const nodes = layout.nodes.map((n) => n.node);
  const items: LegendItem[] = scopeItems(layout);
  const workloads = nodes.filter((n) => n.kind === 'workload');
  if (workloads.length > 0) {
    items.push({ key: 'workload', text: 'workload (pod template)', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.pod.fill, stroke: t.pod.stroke, 'stroke-width': 1.25 }) });
    for (const [code, name] of CONTROLLERS) {
      if (workloads.some((w) => w.controller === code)) items.push({ key: `controller-${code}`, text: name, sample: (x, y, t) => drawBadge(code, x + 4, y + 1, t.pod.badge, '#ffffff', t.pod.stroke) });
    }
    if (workloads.some((w) => w.count === 1 && w.replicas !== undefined)) items.push({ key: 'replicas', text: 'replicas', sample: (x, y, t) => drawBadge('3', x + 4, y + 1, t.pod.badge, '#ffffff', t.pod.stroke) });
    if (workloads.some((w) => w.count > 1)) items.push({ key: 'group', text: 'N workloads, identical connectivity', sample: (x, y, t) => drawBadge('×N', x + 4, y + 1, t.pod.badge, '#ffffff', t.pod.stroke) });
    if (workloads.some(isRestricted)) items.push({ key: 'lock', text: 'isolated for ingress and egress, restricting both', sample: (x, y, t) => drawLock(x + 4, y + 2, t, 'isolated') });
    const defaultAllow = workloads.some((w) => !w.ingressIsolated || !w.egressIsolated);
    const inNameOnly = workloads.some((w) => (w.ingressIsolated && w.ingressInNameOnly) || (w.egressIsolated && w.egressInNameOnly));
    if (defaultAllow || inNameOnly) {
      const text = [defaultAllow ? 'not isolated in a direction (default-allow)' : '', inNameOnly ? 'isolated in name only in a direction: its policies admit everything' : ''].filter((s) => s !== '').join(', or ');
      items.push({ key: 'warning', text, sample: (x, y, t) => drawWarning(x + 4, y + 2, t, 'not restricted') });
    }
    if (workloads.some((w) => w.containers.length > 0)) items.push({ key: 'container', text: 'container', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 2, width: 40, height: 14, fill: t.pod.container, stroke: t.pod.stroke, 'stroke-width': 0.75 }) });
    if (workloads.some((w) => w.configs.length > 0)) items.push({ key: 'config', text: 'ConfigMap, Secret, PVC used (name only)', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.storage.fill, stroke: t.storage.stroke, 'stroke-width': 1 }) });
  }
  if (nodes.some((n) => n.kind === 'volume')) {
    items.push({ key: 'volume', text: 'PersistentVolume: name, provider', sample: (x, y, t) => {
      const c = cylinderPaths(x + 12, y, 24, 18, 3);
      return element('g', {}, [
        element('path', { d: c.body, fill: t.storage.fill, stroke: t.storage.stroke, 'stroke-width': 1.25 }),
        element('path', { d: c.rim, fill: 'none', stroke: t.storage.stroke, 'stroke-width': 1 }),
      ]);
    } });
  }
  if (nodes.some((n) => n.kind === 'data-store')) {
    items.push({ key: 'data-store', text: 'account data at rest (stores), as the team states it', sample: (x, y, t) => {
      const c = cylinderPaths(x + 12, y, 24, 18, 3);
      return element('g', {}, [
        element('path', { d: c.body, fill: t.storage.fill, stroke: t.storage.stroke, 'stroke-width': 2 }),
        element('path', { d: c.rim, fill: 'none', stroke: t.storage.stroke, 'stroke-width': 1.5 }),
      ]);
    } });
  }
  if (nodes.some((n) => n.kind === 'workload' && n.accountData !== undefined)) {
    items.push({ key: 'account-data', text: 'account data: roles the team states (annotation); D1: account-data flow', sample: (x, y, t) => element('g', {}, [
      element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.pod.fill, stroke: t.pod.stroke, 'stroke-width': 1.25 }),
      drawText('roles', x + 24, y + 13, { size: FONT.small, anchor: 'middle', fill: t.mutedText }),
    ]) });
  }
  if (nodes.some((n) => (n.kind === 'workload' || n.kind === 'service') && n.ports.length > 0)) {
    items.push({ key: 'port', text: 'port: flows land on it', sample: (x, y, t) => element('g', {}, [
      element('rect', { x: x + 4, y: y + 1, width: 30, height: 16, fill: t.networking.fill, stroke: t.networking.stroke, 'stroke-width': 1 }),
      drawText('80', x + 19, y + 13, { size: FONT.small, anchor: 'middle' }),
    ]) });
  }
  const serviceCodes = new Set([
    ...nodes.flatMap((n) => (n.kind === 'service' ? [n.code] : [])),
    ...workloads.flatMap((w) => w.attached.map((s) => s.code)),
  ]);
  for (const [code, name] of SERVICE_TYPES) {
    if (serviceCodes.has(code as never)) {
      items.push({ key: `service-${code}`, text: name, sample: (x, y, t) => element('g', {}, [
        element('rect', { x: x + 2, y: y + 1, width: 44, height: 16, rx: 8, fill: t.networking.fill, stroke: t.networking.stroke, 'stroke-width': 1 }),
        drawBadge(code, x + 24 - badgeWidth(code) / 2, y + 1, t.networking.badge, t.text, t.networking.stroke),
      ]) });
    }
  }
  if (workloads.some((w) => w.services.length > 0)) items.push({ key: 'folded-service', text: 'Service folded into its backends: type, name, ports', sample: (x, y, t) => drawText('LB svc', x + 4, y + 13, { size: FONT.small, fill: t.mutedText }) });
  if (workloads.some((w) => w.attached.length > 0)) items.push({ key: 'selects', text: 'Service joined to the only pod it selects', sample: (x, y, t) => element('path', { d: roundedPath((p) => { p.moveTo(x + 24, y + 1); p.lineTo(x + 24, y + 17); }), stroke: t.edges.route.stroke, 'stroke-width': 1.25, 'stroke-dasharray': t.edges.route.dash }) });
  if (nodes.some((n) => n.kind === 'ingress' && n.ingressKind !== 'Gateway')) {
    items.push({ key: 'ingress', text: 'Ingress: host and name', sample: (x, y, t) => element('path', { d: polygonPath([[x + 10, y + 1], [x + 46, y + 1], [x + 38, y + 17], [x + 2, y + 17]]), fill: t.networking.fill, stroke: t.networking.stroke, 'stroke-width': 1 }) });
  }
  if (nodes.some((n) => n.kind === 'ingress' && n.ingressKind === 'Gateway')) {
    // the Ingress parallelogram with a second wall inside: a gate
    items.push({ key: 'gateway', text: 'Gateway: listeners, host and name', sample: (x, y, t) => element('g', {}, [
      element('path', { d: polygonPath([[x + 10, y + 1], [x + 46, y + 1], [x + 38, y + 17], [x + 2, y + 17]]), fill: t.networking.fill, stroke: t.networking.stroke, 'stroke-width': 1 }),
      element('path', { d: polygonPath([[x + 12.25, y + 3.5], [x + 42.25, y + 3.5], [x + 36.75, y + 14.5], [x + 5.75, y + 14.5]]), fill: 'none', stroke: t.networking.stroke, 'stroke-width': 0.75 }),
    ]) });
  }
  if (nodes.some((n) => n.kind === 'external' && n.internet)) {
    items.push({ key: 'internet', text: 'Internet: every outside address', sample: (x, y, t) => element('path', { d: cloudPath(x + 4, y, 40, 18), fill: t.external.fill, stroke: t.external.stroke, 'stroke-width': 1.25 }) });
  }
  const hexagon = (x: number, y: number) => polygonPath([[x + 10, y + 1], [x + 38, y + 1], [x + 46, y + 9], [x + 38, y + 17], [x + 10, y + 17], [x + 2, y + 9]]);
  if (nodes.some((n) => n.kind === 'external' && n.variant === 'not-evaluated')) {
    items.push({ key: 'not-evaluated-peer', text: 'peer not evaluated (FQDN, group, entity, …): as the rule names it', sample: (x, y, t) => element('path', { d: hexagon(x, y), fill: t.external.fill, stroke: t.external.stroke, 'stroke-width': 1.25, 'stroke-dasharray': NOT_EVALUATED_DASH }) });
  }
  if (nodes.some((n) => n.kind === 'external' && n.variant === 'named')) {
    items.push({ key: 'named-peer', text: 'named addresses (NetworkSet, Cilium entity): CIDRs in its tooltip', sample: (x, y, t) => element('g', {}, [
      element('path', { d: hexagon(x, y), fill: t.external.fill, stroke: t.external.stroke, 'stroke-width': 1.25 }),
      element('path', { d: polygonPath([[x + 12, y + 4], [x + 36, y + 4], [x + 42, y + 9], [x + 36, y + 14], [x + 12, y + 14], [x + 6, y + 9]]), fill: 'none', stroke: t.external.stroke, 'stroke-width': 0.75 }),
    ]) });
  }
  if (nodes.some((n) => n.kind === 'external' && !n.internet && n.variant === undefined)) {
    items.push({ key: 'ipblock', text: 'outside addresses (ipBlock, CIDR)', sample: (x, y, t) => element('path', { d: polygonPath([[x + 10, y + 1], [x + 38, y + 1], [x + 46, y + 9], [x + 38, y + 17], [x + 10, y + 17], [x + 2, y + 9]]), fill: t.external.fill, stroke: t.external.stroke, 'stroke-width': 1.25 }) });
  }
  if (nodes.some((n) => n.kind === 'any')) {
    items.push({ key: 'any', text: 'ANY: every pod and address', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.background, stroke: t.warning, 'stroke-width': 2, 'stroke-dasharray': '2 3' }) });
  }
  if (nodes.some((n) => n.kind === 'representative' && !n.entireCluster)) {
    items.push({ key: 'representative', text: 'pods a policy admits by selector, in the input or not', sample: (x, y, t) => element('g', {}, [
      element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.background, stroke: t.pod.stroke, 'stroke-width': 1.25, 'stroke-dasharray': REPRESENTATIVE_DASH }),
      drawText('app=x', x + 24, y + 13, { size: FONT.small - 1, anchor: 'middle' }),
    ]) });
  }
  if (nodes.some((n) => n.kind === 'representative' && n.entireCluster)) {
    items.push({ key: 'representative-cluster', text: `${ENTIRE_CLUSTER_LABEL}, in the input or not`, sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.background, stroke: t.pod.stroke, 'stroke-width': 1.25, 'stroke-dasharray': REPRESENTATIVE_DASH }) });
  }
  if (layout.containers.some((c) => c.container.kind === 'peer-namespace')) {
    items.push({ key: 'peer-namespace', text: 'namespaces a policy admits by name or label, in the input or not', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, rx: 4, fill: 'none', stroke: t.namespace.stroke, 'stroke-width': 1.25, 'stroke-dasharray': REPRESENTATIVE_DASH }) });
  }
  if (nodes.some((n) => n.kind === 'peer-group')) {
    items.push({ key: 'peer-group', text: 'workloads of one namespace sharing a flow', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, fill: t.aggregate.fill, stroke: t.aggregate.stroke, 'stroke-width': 1.25, 'stroke-dasharray': '1.5 2.5' }) });
  }
  if (nodes.some((n) => n.kind === 'namespace-summary')) {
    items.push({ key: 'summary', text: 'collapsed namespace, with counts', sample: (x, y, t) => element('g', {}, [
      element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, rx: 3, fill: t.namespace.fill, stroke: t.namespace.stroke, 'stroke-width': 1 }),
      element('rect', { x: x + 7, y: y + 4, width: 34, height: 10, rx: 2, fill: 'none', stroke: t.namespace.stroke, 'stroke-width': 1 }),
    ]) });
  }
  if (nodes.some((n) => n.kind === 'namespace-set')) {
    items.push({ key: 'namespace-set', text: 'namespaces with the same flow, one edge for all (each has its own box too)', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, rx: 4, fill: t.namespace.fill, stroke: t.namespace.stroke, 'stroke-width': 1.25, 'stroke-dasharray': NAMESPACE_SET_DASH }) });
  }
  if (layout.containers.some((c) => c.container.kind === 'namespace')) {
    items.push({ key: 'namespace', text: 'namespace', sample: (x, y, t) => element('rect', { x: x + 4, y: y + 1, width: 40, height: 16, rx: 4, fill: t.namespace.fill, stroke: t.namespace.stroke, 'stroke-width': 1 }) });
  }
  for (const style of EDGE_STYLES) {
    if (layout.edges.some((e) => e.edge.style === style)) {
      items.push({ key: `edge-${style}`, text: EDGE_TEXT[style], sample: (x, y, t) => element('g', {}, edgeSample(x, y, t.edges[style])) });
    }
  }
  if (layout.edges.some((e) => e.edge.label.endsWith(' · L7'))) {
    items.push({ key: 'l7', text: 'L7: a rule admits only some HTTP requests (not evaluated)', sample: (x, y) => drawText('· L7', x + 4, y + 13, { size: FONT.small }) });
  }
  if (layout.edges.some((e) => e.junctions.length > 0)) {
    items.push({ key: 'junction', text: 'lines that share a segment branch here', sample: (x, y, t) => element('g', {}, [
      element('path', { d: roundedPath((p) => { p.moveTo(x + 2, y + 9); p.lineTo(x + 44, y + 9); p.moveTo(x + 24, y + 9); p.lineTo(x + 24, y + 17); }), fill: 'none', stroke: t.edges.flow.stroke, 'stroke-width': 1.25 }),
      element('circle', { cx: x + 24, cy: y + 9, r: 2.5, fill: t.edges.flow.stroke }),
    ]) });
  }
  items.push(...changeItems(layout));
  return items;
}

/** Legend columns that fit in `maxHeight`. */
function columnsOf(items: readonly LegendItem[], maxRows: number): LegendItem[][] {
  const columns: LegendItem[][] = [];
  for (let i = 0; i < items.length; i += maxRows) columns.push(items.slice(i, i + maxRows));
  return columns;
}

function columnWidth(column: readonly LegendItem[]): number {
  return SAMPLE_WIDTH + 6 + Math.max(...column.map((i) => textWidth(i.text, { size: TEXT_SIZE }))) + 16;
}

/** Size of the legend with at most `maxRows` rows per column. */
export function legendSize(items: readonly LegendItem[], maxRows: number): { width: number; height: number } {
  if (items.length === 0) return { width: 0, height: 0 };
  const columns = columnsOf(items, maxRows);
  const rows = Math.min(items.length, maxRows);
  return {
    width: Math.ceil(2 * PAD + columns.reduce((sum, c) => sum + columnWidth(c), 0)),
    height: PAD + lineHeight(FONT.name) + 4 + rows * ROW + PAD - 4,
  };
}

export function drawLegend(items: readonly LegendItem[], maxRows: number, x: number, y: number, theme: Theme): string {
  const size = legendSize(items, maxRows);
  const parts = [
    element('rect', { x, y, width: size.width, height: size.height, fill: theme.background, stroke: theme.text, 'stroke-width': 1 }),
    drawText('Legend', x + PAD, y + PAD + FONT.name, { size: FONT.name, bold: true }),
  ];
  let cx = x + PAD;
  for (const column of columnsOf(items, maxRows)) {
    let cy = y + PAD + lineHeight(FONT.name) + 4;
    for (const item of column) {
      parts.push(element('g', { class: `legend-${item.key}` }, [
        item.sample(cx, cy, theme),
        drawText(item.text, cx + SAMPLE_WIDTH + 6, cy + 13, { size: TEXT_SIZE }),
      ]));
      cy += ROW;
    }
    cx += columnWidth(column);
  }
  return element('g', { id: 'legend' }, parts);
}
