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

/** The in and out attachment points of a shape that has no port squares: middle of either side. */
export function plainPorts(width: number, height: number, direction: Direction, inset = 0): PortGeometry[] {
  const sides = flowSides(direction);
  return direction === 'right'
    ? [
        { key: 'in', side: sides.in, box: { x: inset, y: height / 2, width: 0, height: 0 } },
        { key: 'out', side: sides.out, box: { x: width - inset, y: height / 2, width: 0, height: 0 } },
      ]
    : [
        { key: 'in', side: sides.in, box: { x: width / 2, y: inset, width: 0, height: 0 } },
        { key: 'out', side: sides.out, box: { x: width / 2, y: height - inset, width: 0, height: 0 } },
      ];
}
