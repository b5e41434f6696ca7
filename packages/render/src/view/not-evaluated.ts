import type { NotEvaluatedPeer } from '@netdiagram/core';
import { compareStrings } from './graph-data.js';
import type { Projection } from './projection.js';
import type { DiagramEdge, DiagramNode, ExternalShape } from './types.js';

const MAX_TITLE_LINES = 12;

interface PeerPair {
  readonly source: string;
  readonly target: string;
  readonly ports: Set<string>;
  readonly rules: Set<string>;
  readonly actions: Set<string>;
  readonly workloads: Set<string>;
}

/**
 * The peers the policies name that netdiagram does not evaluate (core's `listNotEvaluatedPeers`),
 * drawn as dashed outside shapes named as the rule names them, with a dashed edge from each drawn
 * workload the rule's policy selects (egress) or to it (ingress). Nothing here is an allowed flow:
 * the evaluator matched these peers to nothing, and the edges say so.
 */
export function notEvaluatedShapes(peers: readonly NotEvaluatedPeer[], projection: Projection): { nodes: DiagramNode[]; edges: DiagramEdge[] } {
  const nodes = new Map<string, ExternalShape>();
  const pairs = new Map<string, PeerPair>();
  for (const p of peers) {
    const side = p.direction === 'egress' ? 'destination' : 'source';
    const id = `@not-evaluated:${p.direction === 'egress' ? 'out' : 'in'}:${p.peer}`;
    if (!nodes.has(id)) {
      nodes.set(id, {
        kind: 'external', id, parent: undefined, side, internet: false, variant: 'not-evaluated',
        lines: ['not evaluated', p.peer],
        title: `${p.peer}\nnot evaluated: netdiagram cannot tell from the manifests which addresses or pods this is, so the rule is matched to nothing; review it by hand`,
      });
    }
    for (const w of p.workloads) {
      const drawn = projection.nodeOf.get(w);
      if (drawn === undefined) continue;
      const [source, target] = p.direction === 'egress' ? [drawn, id] : [id, drawn];
      const key = `${source}\u0000${target}`;
      const pair = pairs.get(key) ?? { source, target, ports: new Set(), rules: new Set(), actions: new Set(), workloads: new Set() };
      pair.ports.add(p.ports);
      pair.rules.add(p.rule);
      pair.actions.add(p.action);
      pair.workloads.add(w);
      pairs.set(key, pair);
    }
  }
  const edges: DiagramEdge[] = [];
  const used = new Set<string>();
  for (const p of [...pairs.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target))) {
    used.add(p.source.startsWith('@not-evaluated:') ? p.source : p.target);
    const ports = [...p.ports].sort(compareStrings);
    // a rule other than Allow says so on the label: what it blocks or passes on is not drawn either
    const actions = [...p.actions].sort(compareStrings);
    const deny = actions.length === 1 && actions[0] === 'allow' ? '' : `${actions.join('/')} `;
    const workloads = [...p.workloads].sort(compareStrings);
    edges.push({
      id: `${p.source}->${p.target}#not-evaluated`, source: p.source, target: p.target,
      ...(p.source.startsWith('@') ? {} : { sourcePort: 'out' }), ...(p.target.startsWith('@') ? {} : { targetPort: 'in' }),
      style: 'not-evaluated', label: `${deny}${ports.join(',') === 'all' ? 'ALL' : ports.join(',')} · not evaluated`, strong: false,
      title: [
        `not evaluated: the rule names a peer netdiagram cannot resolve; it is matched to nothing${p.actions.has('deny') ? ' (a deny rule: what it blocks is not drawn)' : ''}${p.actions.has('pass') ? ' (a pass rule: what it hands to the next tier is not judged there)' : ''}${p.actions.has('allow') ? ' (what it allows is not drawn as a flow)' : ''}`,
        `rules: ${[...p.rules].sort(compareStrings).join(', ')}`,
        ...workloads.slice(0, MAX_TITLE_LINES).map((w) => `for ${w}`),
        ...(workloads.length > MAX_TITLE_LINES ? [`… and ${workloads.length - MAX_TITLE_LINES} more`] : []),
      ].join('\n'),
    });
  }
  return { nodes: [...nodes.values()].filter((n) => used.has(n.id)).sort((a, b) => compareStrings(a.id, b.id)), edges };
}
