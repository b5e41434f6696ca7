import type { Theme } from '../theme.js';
import type { DiagramNode, Direction } from '../view/types.js';
import { drawAny, drawExternal, drawNamespaceSet, drawPeerGroup, drawSummary, layoutAny, layoutExternal, layoutNamespaceSet, layoutPeerGroup, layoutSummary } from './external.js';
import type { NodeGeometry } from './geometry.js';
import { drawIngress, layoutIngress } from './ingress.js';
import { drawRemoved, layoutRemoved } from './removed.js';
import { drawRepresentative, layoutRepresentative } from './representative.js';
import { drawService, layoutService } from './service.js';
import { drawVolume, layoutVolume } from './volume.js';
import { drawDataStore, layoutDataStore } from './data-store.js';
import { drawWorkload, layoutWorkload } from './workload.js';

function assertNever(value: never): never {
  throw new Error(`unexpected node kind: ${JSON.stringify(value)}`);
}

/** A node's size and port positions. */
export function nodeGeometry(node: DiagramNode, direction: Direction): NodeGeometry {
  switch (node.kind) {
    case 'workload': return layoutWorkload(node, direction).geometry;
    case 'service': return layoutService(node, direction).geometry;
    case 'ingress': return layoutIngress(node, direction);
    case 'external': return layoutExternal(node, direction);
    case 'any': return layoutAny(node, direction);
    case 'representative': return layoutRepresentative(node, direction);
    case 'peer-group': return layoutPeerGroup(node, direction);
    case 'namespace-summary': return layoutSummary(node, direction);
    case 'namespace-set': return layoutNamespaceSet(node, direction);
    case 'removed': return layoutRemoved(node, direction);
    case 'volume': return layoutVolume(node, direction);
    case 'data-store': return layoutDataStore(node, direction);
    default: return assertNever(node);
  }
}

/** A node's SVG, drawn with its top-left corner at `at`. */
export function drawNode(node: DiagramNode, at: { x: number; y: number }, direction: Direction, theme: Theme): string {
  switch (node.kind) {
    case 'workload': return drawWorkload(node, at, direction, theme);
    case 'service': return drawService(node, at, direction, theme);
    case 'ingress': return drawIngress(node, at, direction, theme);
    case 'external': return drawExternal(node, at, direction, theme);
    case 'any': return drawAny(node, at, direction, theme);
    case 'representative': return drawRepresentative(node, at, direction, theme);
    case 'peer-group': return drawPeerGroup(node, at, direction, theme);
    case 'namespace-summary': return drawSummary(node, at, direction, theme);
    case 'namespace-set': return drawNamespaceSet(node, at, direction, theme);
    case 'removed': return drawRemoved(node, at, direction, theme);
    case 'volume': return drawVolume(node, at, direction, theme);
    case 'data-store': return drawDataStore(node, at, direction, theme);
    default: return assertNever(node);
  }
}
