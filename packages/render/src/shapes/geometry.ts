import type { Direction } from '../view/types.js';

/** A rectangle relative to its node's top-left corner (or absolute, for layout boxes). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Which side of its node a port sits on, in ELK's words. */
export type Side = 'WEST' | 'EAST' | 'NORTH' | 'SOUTH';

/** A point where edges attach: a port square (`port:TCP/80`), the body (`in`) or the outbound side (`out`). */
export interface PortGeometry {
  readonly key: string;
  readonly side: Side;
  /** Where the edge ends: on the square's outer side, or on the body's border. */
  readonly box: Box;
}

/**
 * A shape's size for the layout and where its ports are, computed from the node alone so that the
 * layout and the drawing agree.
 */
export interface NodeGeometry {
  readonly width: number;
  readonly height: number;
  readonly ports: readonly PortGeometry[];
}

/** The side flows come in on and go out from, for a layout direction. */
export function flowSides(direction: Direction): { in: Side; out: Side } {
  return direction === 'right' ? { in: 'WEST', out: 'EAST' } : { in: 'NORTH', out: 'SOUTH' };
}

/** Distance between the attachment points on one side (flows, to-outside, unrestricted). */
export const ATTACH_GAP = 8;

/**
 * The attachment points on a shape's inbound and outbound sides, around `inAt` and `outAt` (offsets
 * along the side): `in` for flows and `in:any` for unrestricted ones; `out` for flows, `out:outside`
 * for flows leaving the cluster and `out:any` for unrestricted ones, so lines of different styles
 * never share a segment.
 */
export function attachPorts(
  direction: Direction, sides: { in: Side; out: Side },
  inLine: number, inAt: number, outLine: number, outAt: number,
): PortGeometry[] {
  const at = (key: string, side: Side, line: number, offset: number): PortGeometry => ({
    key, side, box: direction === 'right' ? { x: line, y: offset, width: 0, height: 0 } : { x: offset, y: line, width: 0, height: 0 },
  });
  return [
    at('in', sides.in, inLine, inAt),
    at('in:any', sides.in, inLine, inAt + ATTACH_GAP),
    at('out', sides.out, outLine, outAt - ATTACH_GAP),
    at('out:outside', sides.out, outLine, outAt),
    at('out:any', sides.out, outLine, outAt + ATTACH_GAP),
  ];
}

/** The attachment points of a shape without port squares: around the middle of either side. */
export function plainPorts(width: number, height: number, direction: Direction, inset = 0): PortGeometry[] {
  const sides = flowSides(direction);
  return direction === 'right'
    ? attachPorts(direction, sides, inset, height / 2 - ATTACH_GAP / 2, width - inset, height / 2)
    : attachPorts(direction, sides, inset, width / 2 - ATTACH_GAP / 2, height - inset, width / 2);
}
