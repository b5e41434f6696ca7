import { truncateText } from '../measure.js';
import type { Theme } from '../theme.js';
import { element, textElement } from '../svg-writer.js';
import type { AttachedService, Direction } from '../view/types.js';
import { BADGE_HEIGHT, badgeWidth, drawBadge } from './badges.js';
import { flowSides, type Box, type NodeGeometry, type PortGeometry } from './geometry.js';
import { drawPort, portBoxes, portStackEnd } from './port.js';
import { centredBaseline, drawText, FONT, textWidth } from './text.js';

const HEIGHT = 34;
const MAX_RADIUS = 17;
const PORT_START = 8;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  CIP: 'ClusterIP', HS: 'headless ClusterIP', NP: 'NodePort', LB: 'LoadBalancer', EN: 'ExternalName',
};

/** What a stadium needs: a Service node, or a Service drawn as part of its backend. */
export type ServiceLike = AttachedService;

interface ServiceLayout {
  readonly geometry: NodeGeometry;
  readonly body: Box;
  readonly name: string;
  readonly portBoxes: readonly Box[];
}

/**
 * KDL's Service stadium: type badge, name, port squares on the inbound side. Port keys start with
 * `prefix` (empty for a Service node, `svc:<name>:` for one drawn inside its backend's shape).
 */
export function layoutService(node: ServiceLike, direction: Direction, prefix = ''): ServiceLayout {
  const name = truncateText(node.name);
  let width = MAX_RADIUS + badgeWidth(node.code) + 8 + textWidth(name, { size: FONT.name }) + MAX_RADIUS;
  let height = HEIGHT;
  if (direction === 'right') height = Math.max(height, portStackEnd(node.ports, 'right', PORT_START) + (node.ports.length > 0 ? 20 : 0));
  else width = Math.max(width, portStackEnd(node.ports, 'down', MAX_RADIUS) + MAX_RADIUS + 12);
  width = Math.ceil(width);
  height = Math.ceil(height);
  const sides = flowSides(direction);
  const start = direction === 'right' ? PORT_START : MAX_RADIUS;
  const ports = portBoxes(node.ports, direction, start);
  const geometryPorts: PortGeometry[] = node.ports.map((p, i) => ({ key: `${prefix}port:${p.key}`, side: sides.in, box: ports[i]! }));
  const end = portStackEnd(node.ports, direction, start);
  if (direction === 'right') {
    geometryPorts.push({ key: `${prefix}in`, side: sides.in, box: { x: 0, y: node.ports.length > 0 ? end + 10 : height / 2, width: 0, height: 0 } });
    geometryPorts.push({ key: `${prefix}out`, side: sides.out, box: { x: width, y: height / 2, width: 0, height: 0 } });
  } else {
    geometryPorts.push({ key: `${prefix}in`, side: sides.in, box: { x: node.ports.length > 0 ? end + 10 : width / 2, y: 0, width: 0, height: 0 } });
    geometryPorts.push({ key: `${prefix}out`, side: sides.out, box: { x: width / 2, y: height, width: 0, height: 0 } });
  }
  return { geometry: { width, height, ports: geometryPorts }, body: { x: 0, y: 0, width, height }, name, portBoxes: ports };
}

/** Draws a Service stadium at absolute position `at`. */
export function drawService(node: ServiceLike, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  const l = layoutService(node, direction);
  const radius = Math.min(MAX_RADIUS, l.body.height / 2);
  const badgeX = at.x + MAX_RADIUS * 0.6;
  const cy = at.y + Math.min(l.body.height / 2, HEIGHT / 2);
  const parts = [
    textElement('title', {}, node.title),
    element('rect', { x: at.x, y: at.y, width: l.body.width, height: l.body.height, rx: radius, ry: radius, fill: theme.networking.fill, stroke: theme.networking.stroke, 'stroke-width': 1.25 }),
    drawBadge(node.code, badgeX, cy - BADGE_HEIGHT / 2, theme.networking.badge, theme.text, theme.networking.stroke, `Service type ${TYPE_NAMES[node.code] ?? node.serviceType}`),
    drawText(l.name, badgeX + badgeWidth(node.code) + 6, centredBaseline(cy, FONT.name), { size: FONT.name }),
  ];
  node.ports.forEach((p, i) => {
    const b = l.portBoxes[i]!;
    parts.push(drawPort(p, { x: at.x + b.x, y: at.y + b.y, width: b.width, height: b.height }, theme));
  });
  return element('g', {}, parts);
}
