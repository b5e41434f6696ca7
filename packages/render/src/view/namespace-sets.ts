import { formatPortTitle } from '../format.js';
import { compareStrings } from './graph-data.js';
import { emptyPair, mergePair, type Pair } from './pairs.js';
import { portSetKey } from './ports.js';
import { CLUSTER_ID } from './projection.js';
import type { NamespaceSetShape } from './types.js';

/** An overview draws this many namespaces sharing a flow with one namespace as one box naming them; fewer keep their own edges. */
export const MIN_NAMESPACE_SET = 3;

/** Which side of the hub the namespaces of a set stand on. */
type SetSide = 'sources' | 'destinations';

interface Candidate {
  readonly hub: string;
  readonly side: SetSide;
  readonly pairs: Pair[];
}

/**
 * On an overview: where one namespace (the hub) has flows with several other namespaces on the same
 * ports, in the same direction (every namespace → kube-system on TCP and UDP 53, monitoring →
 * every namespace on its metrics port), those edges become one, between the hub and a box that
 * names the other namespaces. What a hub shares with everyone is then drawn once, and it no longer
 * drags the hub to one end of the drawing. The namespaces keep their own boxes (and pages), where
 * their other flows land. Replaces the pairs in `pairs` and returns the boxes; a pair joins at most
 * one set (the larger first), and pairs of a diff diagram's changes keep their own edges.
 * `namespacesOf` gives the namespaces a drawn end stands for (a collapsed namespace, a namespace
 * box), and nothing for any other end; `drawn` is every namespace the overview draws.
 */
export function gatherNamespaceSets(
  pairs: Map<string, Pair>,
  namespacesOf: (drawnId: string) => readonly string[] | undefined,
  drawn: ReadonlySet<string>,
  nameOf: (drawnId: string) => string,
): NamespaceSetShape[] {
  const groups = new Map<string, Candidate>();
  const add = (hub: string, side: SetSide, p: Pair) => {
    const key = `${hub}\u0000${side}\u0000${portSetKey(p.ports)}\u0000${p.l7 === true}`;
    const group = groups.get(key) ?? { hub, side, pairs: [] };
    group.pairs.push(p);
    groups.set(key, group);
  };
  for (const p of pairs.values()) {
    if (p.changes.length > 0 || namespacesOf(p.source) === undefined || namespacesOf(p.target) === undefined) continue;
    add(p.source, 'destinations', p);
    add(p.target, 'sources', p);
  }
  const ranked = [...groups].sort(([a, x], [b, y]) => y.pairs.length - x.pairs.length || compareStrings(a, b));
  const used = new Set<Pair>();
  const sets: NamespaceSetShape[] = [];
  for (const [, group] of ranked) {
    const members = group.pairs.filter((p) => !used.has(p));
    if (members.length < MIN_NAMESPACE_SET) continue;
    const others = (p: Pair) => (group.side === 'destinations' ? p.target : p.source);
    const namespaces = [...new Set(members.flatMap((p) => namespacesOf(others(p))!))].sort(compareStrings);
    const hubNamespaces = new Set(namespacesOf(group.hub));
    const everyOther = [...drawn].every((ns) => hubNamespaces.has(ns) || namespaces.includes(ns));
    const id = `@namespaces:${group.side === 'sources' ? 'to' : 'from'}:${group.hub}:${portSetKey(members[0]!.ports)}`;
    const hub = nameOf(group.hub);
    const ports = formatPortTitle(members[0]!.ports);
    sets.push({
      kind: 'namespace-set', id, parent: CLUSTER_ID, namespaces, everyOther,
      title: `${everyOther ? 'every other namespace' : `${namespaces.length} namespaces`}, each with flows ${group.side === 'sources' ? 'to' : 'from'} ${hub} on ${ports}:\n` +
        `${namespaces.join(', ')}\nOne edge draws them all; each namespace also has its own box, and its page draws every flow of it.`,
    });
    const merged = group.side === 'sources' ? emptyPair(id, group.hub, members[0]!.ports) : emptyPair(group.hub, id, members[0]!.ports);
    for (const p of [...members].sort((a, b) => compareStrings(others(a), others(b)))) {
      used.add(p);
      pairs.delete(`${p.source}\u0000${p.target}`);
      mergePair(merged, p);
    }
    merged.aggregate = `the flows of ${namespaces.length} namespaces, drawn as one edge: ${namespaces.join(', ')}`;
    pairs.set(`${merged.source}\u0000${merged.target}`, merged);
  }
  return sets.sort((a, b) => compareStrings(a.id, b.id));
}
