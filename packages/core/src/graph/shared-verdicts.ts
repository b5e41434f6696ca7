import { isEmptyPorts, portsKey, type PortSet } from '../model/ports.js';
import { combineContributions, type Contribution } from '../policy/evaluate.js';

/** The verdict of one allowed pair, as the graph stores it. */
export interface FlowVerdict {
  readonly ports: PortSet;
  readonly via: readonly string[];
  readonly partial: boolean;
  /** Some rule admitting the ports also matches on HTTP fields netdiagram does not evaluate (Calico `http`, Cilium L7 rules). Absent: false. */
  readonly l7?: boolean;
}

/**
 * Pair verdicts built from shared parts, so that their cost follows the number of distinct
 * verdicts rather than the number of pairs. A dense cluster has tens of thousands of allowed pairs
 * but a few hundred distinct ways to allow one: the same rules admit the same ports to every class
 * of a namespace. So each contribution (a rule's ports for a peer) is one object per content, each
 * list of contributions one array per content, and the verdict of an egress list AND an ingress
 * list is combined once (`combineContributions`, so `via` and `partial` are exactly its) and then
 * shared by every pair with the same two lists. Equal verdicts are one object, which the graph's
 * edges and the writers of `connections` then share too (their text is rendered once per verdict).
 */
export interface SharedVerdicts {
  /** The one contribution with this rule, ports, match and tier. */
  contribution(contribution: Contribution): Contribution;
  /** The one list with these contributions, in this order (made of `contribution`'s objects). */
  list(contributions: readonly Contribution[]): readonly Contribution[];
  /** The list before any contribution is added (see `extend`). */
  readonly empty: ListNode;
  /** The list `node.list` followed by `contribution` (one of `contribution`'s objects): a step, no copy, no key. */
  extend(node: ListNode, contribution: Contribution): ListNode;
  /** What a pair with these two sides allows; undefined when nothing. Shared lists are combined once. */
  combine(egress: readonly Contribution[], ingress: readonly Contribution[]): FlowVerdict | undefined;
}

/** A list of contributions built one at a time: each list is reached from the empty one by its items, in order. */
export interface ListNode {
  readonly list: readonly Contribution[];
  readonly next: Map<Contribution, ListNode>;
}

export function sharedVerdicts(): SharedVerdicts {
  const contributions = new Map<string, Contribution>();
  const canonicalContributions = new Set<Contribution>();
  const listIds = new Map<readonly Contribution[], number>();
  const combined = new Map<number, Map<number, FlowVerdict | null>>();

  // port sets are mostly shared objects already (resolvePortRules keeps one per rule and port list)
  const keyOfPorts = new Map<PortSet, string>();
  const contribution = (c: Contribution): Contribution => {
    if (canonicalContributions.has(c)) return c;
    let ports = keyOfPorts.get(c.ports);
    if (ports === undefined) keyOfPorts.set(c.ports, (ports = portsKey(c.ports)));
    const key = `${c.ref}\u0000${ports}\u0000${c.partial ? 1 : 0}\u0000${c.tier ?? ''}\u0000${c.l7 ? 1 : 0}`;
    let known = contributions.get(key);
    if (!known) {
      known = c;
      contributions.set(key, c);
      canonicalContributions.add(c);
    }
    return known;
  };
  const empty: ListNode = { list: [], next: new Map() };
  listIds.set(empty.list, listIds.size);
  const extend = (node: ListNode, c: Contribution): ListNode => {
    let found = node.next.get(c);
    if (!found) {
      found = { list: [...node.list, c], next: new Map() };
      node.next.set(c, found);
      listIds.set(found.list, listIds.size);
    }
    return found;
  };
  const list = (items: readonly Contribution[]): readonly Contribution[] => {
    if (listIds.has(items)) return items;
    let node = empty;
    for (const c of items) node = extend(node, contribution(c));
    return node.list;
  };
  const verdictOf = (egress: readonly Contribution[], ingress: readonly Contribution[]): FlowVerdict | null => {
    const v = combineContributions(egress, ingress);
    return isEmptyPorts(v.ports) ? null : { ports: v.ports, via: v.via, partial: v.partial, ...(v.l7 ? { l7: true } : {}) };
  };
  const combine = (egress: readonly Contribution[], ingress: readonly Contribution[]): FlowVerdict | undefined => {
    const e = listIds.get(egress);
    const i = listIds.get(ingress);
    // a list judged once (a tier walk's, pair by pair) is combined without keeping it
    if (e === undefined || i === undefined) return verdictOf(egress, ingress) ?? undefined;
    let byIngress = combined.get(e);
    if (!byIngress) combined.set(e, (byIngress = new Map()));
    let verdict = byIngress.get(i);
    if (verdict === undefined) byIngress.set(i, (verdict = verdictOf(egress, ingress)));
    return verdict ?? undefined;
  };
  return { contribution, list, empty, extend, combine };
}
