import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { Direction, WorkloadShape } from '../view/types.js';
import { claimPortKey } from '../view/volumes.js';
import { BADGE_HEIGHT, badgeWidth, drawBadge, drawLock, drawWarning, ICON_SIZE } from './badges.js';
import { configBoxes, configWidth, drawConfig } from './config.js';
import { ATTACH_GAP, attachPorts, flowSides, type Box, type NodeGeometry, type Point, type PortGeometry } from './geometry.js';
import { drawPort, portBoxes, portStackEnd } from './port.js';
import { drawService, layoutService } from './service.js';
import { centredBaseline, drawText, FONT, lineHeight, textWidth } from './text.js';

const PAD = 8;
const MIN_WIDTH = 150;
const CONTAINER_ROW = 18;
const CONTAINER_GAP = 4;
const PORT_START = 6;
const MAX_CONFIG_ROW = 280;
/** Space between an attached Service and the next Service or the pod. */
const SERVICE_GAP = 12;

interface WorkloadLayout {
  readonly geometry: NodeGeometry;
  /** The pod rectangle, relative to the node. */
  readonly body: Box;
  /** Top-left corners of the attached Services' stadiums, relative to the node. */
  readonly services: readonly Point[];
  readonly name: string;
  readonly badges: readonly string[];
  readonly annotations: readonly string[];
  readonly portBoxes: readonly Box[];
  readonly configBoxes: readonly Box[];
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  D: 'Deployment', SS: 'StatefulSet', DS: 'DaemonSet', J: 'Job', CJ: 'CronJob', RS: 'ReplicaSet', RC: 'ReplicationController', P: 'bare Pod',
};

function badgesOf(node: WorkloadShape): string[] {
  const badges: string[] = [node.controller];
  if (node.count > 1) badges.push(`×${node.count}`);
  else if (node.replicas !== undefined) badges.push(String(node.replicas));
  return badges;
}

/** The port a `stores` workload's link to its data-store cylinder leaves from. */
export const STORE_PORT = 'store';

/** `account data: stores, processes` and `flows: authorization, capture`, for a data-flow diagram. */
function accountDataLines(node: WorkloadShape): string[] {
  if (!node.accountData) return [];
  const lines = [truncateText(`account data: ${node.accountData.roles.join(', ')}`, 40)];
  if (node.accountData.flows.length > 0) lines.push(truncateText(`flows: ${node.accountData.flows.join(', ')}`, 40));
  return lines;
}

/** The key prefix of an attached Service's ports. */
export function attachedPrefix(serviceName: string): string {
  return `svc:${serviceName}:`;
}

/**
 * Where everything inside a workload shape goes: KDL's pod rectangle with controller and replica
 * badges, port squares on the inbound side, config boxes beside it, and the Services that select
 * only this workload as stadiums before it (above for direction right, to the left for down).
 */
export function layoutWorkload(node: WorkloadShape, direction: Direction): WorkloadLayout {
  const name = truncateText(node.name);
  const badges = badgesOf(node);
  const badgesWidth = badges.reduce((sum, b) => sum + badgeWidth(b) + 3, 0);
  const annotations = node.services.slice(0, 3).map((s) => truncateText(s, 36));
  if (node.services.length > 3) annotations[2] = `+${node.services.length - 2} more services`;
  annotations.unshift(...accountDataLines(node));
  const headerWidth = PAD + badgesWidth + 4 + textWidth(name, { size: FONT.name }) + 8 + ICON_SIZE + PAD;
  const annotationsWidth = Math.max(0, ...annotations.map((s) => textWidth(s, { size: FONT.small }) + 2 * PAD));
  const containersWidth = Math.max(0, ...node.containers.map((c) => textWidth(truncateText(c), { size: FONT.small }) + 2 * PAD + 12));
  const configRow = node.configs.reduce((sum, c) => sum + configWidth(c) + 6, PAD);
  let width = Math.max(MIN_WIDTH, headerWidth, annotationsWidth, containersWidth, direction === 'right' ? Math.min(configRow + PAD, MAX_CONFIG_ROW) : 0);
  if (direction === 'down') width = Math.max(width, portStackEnd(node.ports, 'down', PORT_START) + 28);
  let height = PAD + BADGE_HEIGHT + 6 + annotations.length * lineHeight(FONT.small);
  if (node.containers.length > 0) height += 2 + node.containers.length * (CONTAINER_ROW + CONTAINER_GAP);
  height += PAD - 2;
  if (direction === 'right') height = Math.max(height, portStackEnd(node.ports, 'right', PORT_START) + (node.ports.length > 0 ? 26 : 0), 2 * PAD + 3 * ATTACH_GAP);
  width = Math.ceil(width);
  height = Math.ceil(height);

  // attached Services come first along the cross axis; the pod follows
  const sides = flowSides(direction);
  const ports: PortGeometry[] = [];
  const services: Point[] = [];
  let offset = 0;
  for (const s of node.attached) {
    const l = layoutService(s, direction, attachedPrefix(s.name));
    const origin = direction === 'right' ? { x: 0, y: offset } : { x: offset, y: 0 };
    services.push(origin);
    for (const p of l.geometry.ports) ports.push({ ...p, box: { ...p.box, x: p.box.x + origin.x, y: p.box.y + origin.y } });
    offset += (direction === 'right' ? l.geometry.height : l.geometry.width) + SERVICE_GAP;
  }
  const body: Box = direction === 'right' ? { x: 0, y: offset, width, height } : { x: offset, y: 0, width, height };
  const squares = portBoxes(node.ports, direction, PORT_START).map((b) => ({ ...b, x: b.x + body.x, y: b.y + body.y }));
  node.ports.forEach((p, i) => ports.push({ key: `port:${p.key}`, side: sides.in, box: squares[i]! }));
  const stackEnd = portStackEnd(node.ports, direction, PORT_START);
  const configs = configBoxes(node.configs, direction, body, PAD).map((b) => ({ ...b, x: b.x + body.x, y: b.y + body.y }));
  const totalWidth = Math.max(body.x + width, ...configs.map((c) => c.x + c.width), ...node.attached.map((s, i) => services[i]!.x + layoutService(s, direction).geometry.width));
  const totalHeight = Math.max(body.y + height, ...configs.map((c) => c.y + c.height), ...node.attached.map((s, i) => services[i]!.y + layoutService(s, direction).geometry.height));
  // flows land below the port squares (or mid-side without squares) and leave mid-side
  const inAt = node.ports.length > 0 ? stackEnd + 10 : (direction === 'right' ? height : width) / 2 - ATTACH_GAP / 2;
  ports.push(...(direction === 'right'
    ? attachPorts(direction, sides, body.x, body.y + inAt, totalWidth, body.y + height / 2)
    : attachPorts(direction, sides, body.y, body.x + inAt, totalHeight, body.x + width / 2)));
  // a PVC box's line to its PersistentVolume leaves from the shape's border beside it (below for right, to the right for down)
  node.configs.forEach((c, i) => {
    if (c.kind !== 'PersistentVolumeClaim') return;
    const b = configs[i]!;
    ports.push(direction === 'right'
      ? { key: claimPortKey(c.name), side: 'SOUTH', box: { x: b.x + b.width / 2, y: totalHeight, width: 0, height: 0 } }
      : { key: claimPortKey(c.name), side: 'EAST', box: { x: totalWidth, y: b.y + b.height / 2, width: 0, height: 0 } });
  });
  // a data-flow diagram's link to the workload's data store leaves from the middle of the far side
  if (node.accountData?.roles.includes('stores')) {
    ports.push(direction === 'right'
      ? { key: STORE_PORT, side: 'SOUTH', box: { x: body.x + width / 2, y: totalHeight, width: 0, height: 0 } }
      : { key: STORE_PORT, side: 'EAST', box: { x: totalWidth, y: body.y + height / 2, width: 0, height: 0 } });
  }
  return {
    geometry: { width: totalWidth, height: totalHeight, ports }, body, services, name, badges, annotations,
    portBoxes: squares, configBoxes: configs,
  };
}

/** Whether a workload earns the padlock: isolated in both directions, and in neither in name only. */
export function isRestricted(node: Pick<WorkloadShape, 'ingressIsolated' | 'egressIsolated' | 'ingressInNameOnly' | 'egressInNameOnly'>): boolean {
  return node.ingressIsolated && node.egressIsolated && !node.ingressInNameOnly && !node.egressInNameOnly;
}

/** `not isolated for egress: default-allow; isolated for ingress in name only: its policies admit every source on every port` */
function unrestrictedText(node: WorkloadShape): string {
  const open = [!node.ingressIsolated ? 'ingress' : '', !node.egressIsolated ? 'egress' : ''].filter((s) => s !== '');
  const nominal = [node.ingressInNameOnly ? 'ingress' : '', node.egressInNameOnly ? 'egress' : ''].filter((s) => s !== '');
  return [
    ...(open.length > 0 ? [`not isolated for ${open.join(' and ')}: default-allow`] : []),
    ...(nominal.length > 0 ? [`isolated for ${nominal.join(' and ')} in name only: its policies admit every peer on every port`] : []),
  ].join('; ');
}

/** Draws a workload at absolute position `at`. */
export function drawWorkload(node: WorkloadShape, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const l = layoutWorkload(node, direction);
  const x = at.x + l.body.x;
  const y = at.y + l.body.y;
  const parts: string[] = [];
  node.attached.forEach((s, i) => {
    const origin = { x: at.x + l.services[i]!.x, y: at.y + l.services[i]!.y };
    const size = layoutService(s, direction).geometry;
    // the selector link, KDL's line from the Service to its pod
    const link = direction === 'right'
      ? { x1: origin.x + size.width / 2, y1: origin.y + size.height, x2: origin.x + size.width / 2, y2: y }
      : { x1: origin.x + size.width, y1: origin.y + size.height / 2, x2: x, y2: origin.y + size.height / 2 };
    parts.push(element('line', { ...link, stroke: theme.edges.route.stroke, 'stroke-width': 1.25, 'stroke-dasharray': theme.edges.route.dash }));
    parts.push(drawService(s, origin, direction, theme));
  });
  const pod: string[] = [textElement('title', {}, node.title)];
  // a group of identical workloads is drawn as a small stack of pods
  if (node.count > 1) {
    pod.push(element('rect', { x: x + 4, y: y - 4, width: l.body.width, height: l.body.height, fill: theme.pod.fill, stroke: theme.pod.stroke, 'stroke-width': 1 }));
  }
  pod.push(element('rect', { x, y, width: l.body.width, height: l.body.height, fill: theme.pod.fill, stroke: theme.pod.stroke, 'stroke-width': 1.25 }));
  let bx = x + PAD;
  l.badges.forEach((b, i) => {
    const title = i === 0 ? KIND_NAMES[b] ?? node.workloadKind : node.count > 1 ? `${node.count} workloads with identical connectivity` : `${b} replica${b === '1' ? '' : 's'}`;
    pod.push(drawBadge(b, bx, y + PAD, theme.pod.badge, '#ffffff', theme.pod.stroke, title));
    bx += badgeWidth(b) + 3;
  });
  pod.push(drawText(l.name, bx + 4, centredBaseline(y + PAD + BADGE_HEIGHT / 2, FONT.name), { size: FONT.name }));
  const iconX = x + l.body.width - PAD - ICON_SIZE;
  const iconY = y + PAD + 1;
  // the padlock only where isolation restricts something in both directions
  if (isRestricted(node)) pod.push(drawLock(iconX, iconY, theme, node.tiers ? 'restricted by NetworkPolicy or cluster-wide policies for ingress and egress' : 'isolated by NetworkPolicy for ingress and egress'));
  else pod.push(drawWarning(iconX, iconY, theme, unrestrictedText(node)));
  let cy = y + PAD + BADGE_HEIGHT + 6;
  for (const s of l.annotations) {
    pod.push(drawText(s, x + PAD, cy + FONT.small, { size: FONT.small, fill: theme.mutedText }));
    cy += lineHeight(FONT.small);
  }
  if (node.containers.length > 0) cy += 2;
  for (const c of node.containers) {
    pod.push(element('rect', { x: x + PAD, y: cy, width: l.body.width - 2 * PAD, height: CONTAINER_ROW, fill: theme.pod.container, stroke: theme.pod.stroke, 'stroke-width': 0.75 }));
    pod.push(drawText(truncateText(c), x + l.body.width / 2, centredBaseline(cy + CONTAINER_ROW / 2, FONT.small), { size: FONT.small, anchor: 'middle' }));
    cy += CONTAINER_ROW + CONTAINER_GAP;
  }
  node.ports.forEach((p, i) => {
    const b = l.portBoxes[i]!;
    pod.push(drawPort(p, { x: at.x + b.x, y: at.y + b.y, width: b.width, height: b.height }, theme));
  });
  node.configs.forEach((c, i) => {
    const b = l.configBoxes[i]!;
    pod.push(drawConfig(c, { x: at.x + b.x, y: at.y + b.y, width: b.width, height: b.height }, theme));
    // a PVC box in a row above the last: its volume line starts at the shape's border, so join them
    const end = l.geometry.height;
    if (c.kind === 'PersistentVolumeClaim' && direction === 'right' && b.y + b.height < end) {
      pod.push(element('line', { x1: at.x + b.x + b.width / 2, y1: at.y + b.y + b.height, x2: at.x + b.x + b.width / 2, y2: at.y + end, stroke: theme.edges.route.stroke, 'stroke-width': theme.edges.route.width, 'stroke-dasharray': theme.edges.route.dash }));
    }
  });
  parts.push(element('g', { class: 'pod' }, pod));
  return element('g', {}, parts);
}
