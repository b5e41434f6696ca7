import type { Node } from 'yaml';
import { yamlPackage } from './yaml-package.js';

/**
 * A document may expand, once every alias is replaced by a copy of what it refers to, to at most
 * this many times its own text. Reaching it takes a block reused hundreds of times, each use far
 * shorter than the block: a docker-compose-style `<<: *defaults` or a Helm values anchor reuses a
 * block a few dozen times at most and stays under 5. An Ingress whose 999 rules alias one list of
 * 1,000 paths (145 KB of text) expands about 600 times, to a million backends.
 */
export const MAX_ALIAS_EXPANSION = 100;

export interface Expansion {
  /** Characters of the document once its aliases are expanded, counted until the limit is passed. */
  readonly length: number;
  /** The alias that took the document past the limit, if one did. */
  readonly offset?: number;
}

/**
 * Measures a document as if every alias were a copy of its anchor's text (nested aliases
 * included), without building it: each alias adds the expanded length of its target minus its own.
 * One pass in document order, without recursion; an anchored node's expanded length is known when
 * the walk leaves it, before any alias can refer to it (an alias inside its own anchor is a cycle,
 * refused before this runs). Stops at the first alias past `limit` characters.
 */
export function measureExpansion(root: unknown, textLength: number, limit: number): Expansion {
  const { isAlias, isMap, isPair, isSeq, isNode } = yamlPackage();
  const expanded = new Map<string, number>();
  let length = textLength;
  const stack: { node: unknown; exit?: { anchor: string; before: number; own: number } }[] = [{ node: root }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop()!;
    if (exit) {
      expanded.set(exit.anchor, exit.own + (length - exit.before));
      continue;
    }
    if (isAlias(node)) {
      const target = expanded.get(node.source);
      const own = spanOf(node);
      if (target !== undefined && target > own) {
        length += target - own;
        if (length > limit) return { length, offset: node.range?.[0] };
      }
      continue;
    }
    if (isNode(node) && node.anchor) {
      if (!isMap(node) && !isSeq(node)) {
        expanded.set(node.anchor, spanOf(node));
        continue;
      }
      stack.push({ node, exit: { anchor: node.anchor, before: length, own: spanOf(node) } });
    }
    if (!isMap(node) && !isSeq(node)) continue;
    for (let i = node.items.length - 1; i >= 0; i--) {
      const item: unknown = node.items[i];
      if (isPair(item)) {
        stack.push({ node: item.value });
        stack.push({ node: item.key });
      } else {
        stack.push({ node: item });
      }
    }
  }
  return { length };
}

function spanOf(node: Node): number {
  return node.range ? Math.max(1, node.range[1] - node.range[0]) : 1;
}
