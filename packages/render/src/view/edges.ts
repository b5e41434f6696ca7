import type { ExternalNode, PortSet } from '@netdiagram/core';
import { formatFlowNumbers, formatPortLabel, formatPortTitle, isEveryPort } from '../format.js';
import { compareStrings, type GraphData } from './graph-data.js';
import { NO_MARKS, type FlowMarks } from './marks.js';
import { isOpenSide, rulesOfDirection } from './open-sides.js';
import { portSetKey, hasPort, unionPortSets } from './ports.js';
import { gatherNamespaceSets } from './namespace-sets.js';
import { emptyPair, mergePair, type Pair } from './pairs.js';
import type { Projection } from './projection.js';
import type { AnyShape, DiagramEdge, DiagramNode, ExternalShape, PeerGroupShape, PortBadge } from './types.js';

export const ANY_SOURCE = '@any:source';
export const ANY_DESTINATION = '@any:destination';
/** Namespace-wide aggregation (one edge to or from the namespace box) needs this many workloads. */
export const MIN_NAMESPACE_AGGREGATE = 3;
/** At workload detail, this many sources from one namespace sharing a flow become one peer group. */
export const MIN_PEER_GROUP = 6;
const MAX_TITLE_PAIRS = 12;

/** Drawn edges, the nodes only edges bring in (outside peers, ANY, peer groups), and namespace notes. */
export interface EdgeSet {
  readonly edges: readonly DiagramEdge[];
  readonly nodes: readonly DiagramNode[];
  /** Header notes for namespace boxes (`↔ all workloads here: TCP 8080`). */
  readonly notes: ReadonlyMap<string, string>;
  /** Flows inside each collapsed namespace box. */
  readonly internalFlows: ReadonlyMap<string, number>;
}

/** `added` when every flow of the edge is new, `changed` when some are new or changed. */
function changeOfPair(p: Pair): 'added' | 'changed' | undefined {
  if (p.changes.length === 0) return undefined;
  return p.changes.length === p.flows.length && p.changes.every((c) => c.change === 'added') ? 'added' : 'changed';
}

/** The label of an edge in a diff diagram starts with `+` (added) or `~` (changed), so a greyscale print keeps it. */
export function changePrefix(change: 'added' | 'changed' | undefined): string {
  return change === 'added' ? '+ ' : change === 'changed' ? '~ ' : '';
}

function sortBoundary(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/**
 * Turns the graph's flows and routes into drawn edges between projected nodes. Flows that are
 * allowed only because neither side is isolated are not drawn one by one: an `ANY` peer stands for
 * them (one unrestricted edge per workload, or per namespace when all of its workloads share it).
 * Flows that every workload of a namespace shares become one edge from or to the namespace box.
 * `marks` numbers the edges that draw CDE boundary flows and marks changes in a diff diagram;
 * `zoneOf` keeps peer groups within one PCI DSS zone; `openNumbers` adds boundary numbers to ANY edges.
 */
export function buildEdges(
  data: GraphData, projection: Projection,
  options: {
    peerGroups: boolean; marks?: FlowMarks; zoneOf?: (id: string) => string | undefined; openNumbers?: ReadonlyMap<string, readonly string[]>;
    /** Whose open sides get an ANY edge, in which direction (all when absent): a namespace's page draws its own only. */
    openSidesIn?: (namespace: string, direction: 'ingress' | 'egress') => boolean;
    /** An overview's: one namespace's flows with several others on the same ports drawn as one edge to a box naming them (see `gatherNamespaceSets`). */
    namespaceSets?: boolean;
  },
): EdgeSet {
  const marks = options.marks ?? NO_MARKS;
  const zoneOf = options.zoneOf ?? (() => undefined);
  const extra = new Map<string, DiagramNode>();
  const internalFlows = new Map<string, number>();
  const notes = new Map<string, string>();

  const external = (id: string, side: 'source' | 'destination'): string => {
    const drawn = `${id}@${side === 'source' ? 'in' : 'out'}`;
    if (!extra.has(drawn)) extra.set(drawn, externalShape(drawn, data.externals.get(id)!, side));
    return drawn;
  };
  const endpoint = (id: string, side: 'source' | 'destination'): string | undefined =>
    data.externals.has(id) ? external(id, side) : projection.nodeOf.get(id);

  // --- flows, merged per pair of drawn nodes
  const pairs = new Map<string, Pair>();
  // boundary numbers of flows the ANY edges imply, by the graph workload on the CDE side
  // (and of representative flows a direction no policy isolates stands for: `openNumbers`)
  const openBoundary = new Map<string, string[]>([...(options.openNumbers ?? [])].map(([k, v]) => [k, [...v]]));
  for (const f of data.flows) {
    const source = data.workloads.get(f.source);
    const target = data.workloads.get(f.target);
    // a side open in name only (its policies admit every peer on every port) is drawn as one that no policy isolates
    const sourceOpen = source ? isOpenSide(source, 'egress') : true;
    const targetOpen = target ? isOpenSide(target, 'ingress') : true;
    const boundary = marks.boundaryOf(f.source, f.target);
    if (sourceOpen && targetOpen) {
      // implied by the ANY edges of both sides; the CDE side's ANY edge carries its number
      if (boundary) push(openBoundary, boundary.direction === 'inbound' ? `in\u0000${f.target}` : `out\u0000${f.source}`, boundary.id);
      continue;
    }
    const s = endpoint(f.source, 'source');
    const t = endpoint(f.target, 'destination');
    if (s === undefined || t === undefined) continue;
    if (s === t) {
      internalFlows.set(s, (internalFlows.get(s) ?? 0) + 1);
      continue;
    }
    const key = `${s}\u0000${t}`;
    const pair = pairs.get(key) ?? emptyPair(s, t, f.flow.ports);
    pair.ports = unionPortSets([pair.ports, f.flow.ports]);
    for (const v of f.flow.via) pair.via.add(v);
    if (f.flow.l7) pair.l7 = true;
    pair.flows.push(`${f.source} → ${f.target}`);
    if (boundary) pair.boundary.push(boundary.id);
    const change = marks.changeOf(f.source, f.target);
    if (change) pair.changes.push(change);
    pairs.set(key, pair);
  }

  // --- namespace boxes: which drawn workload nodes each holds
  const inBox = new Map<string, string[]>();
  for (const node of projection.nodes.values()) {
    if (node.kind === 'workload') push(inBox, node.parent!, node.id);
  }
  const boxOf = (id: string): string | undefined => {
    const node = projection.nodes.get(id);
    return node?.kind === 'workload' ? node.parent : undefined;
  };

  // workloads of a namespace that all reach each other on the same ports: one note, no edges
  for (const [box, ids] of inBox) {
    if (ids.length < MIN_NAMESPACE_AGGREGATE) continue;
    const keys = new Set<string>();
    let complete = true;
    for (const a of ids) {
      for (const b of ids) {
        if (a === b) continue;
        const pair = pairs.get(`${a}\u0000${b}`);
        // a boundary flow or a change keeps its own edge
        if (!pair || pair.boundary.length > 0 || pair.changes.length > 0) complete = false;
        else keys.add(portSetKey(pair.ports));
      }
    }
    if (!complete || keys.size !== 1) continue;
    const sample = pairs.get(`${ids[0]}\u0000${ids[1]}`)!;
    for (const a of ids) for (const b of ids) if (a !== b) pairs.delete(`${a}\u0000${b}`);
    notes.set(box, `⇄ all ${ids.length} workloads here reach each other: ${formatPortLabel(sample.ports)}`);
  }

  // fan-in: every workload of a namespace → the same target, same ports ⇒ namespace box → target
  aggregate(pairs, (p) => boxOf(p.source), (p) => p.target, inBox, 'source');
  // fan-out: a source → every workload of a namespace (or box → box)
  aggregate(pairs, (p) => boxOf(p.target), (p) => p.source, inBox, 'target');

  if (options.peerGroups) {
    // many (not all) workloads of one namespace → the same target: one dotted peer group
    const groups = new Map<string, Pair[]>();
    for (const p of pairs.values()) {
      const box = boxOf(p.source);
      // a peer group never mixes zones: its members stand in one place of the CDE picture
      if (box && box !== boxOf(p.target)) push(groups, `${p.target}\u0000${box}\u0000${portSetKey(p.ports)}\u0000${zoneOf(p.source) ?? ''}`, p);
    }
    for (const list of groups.values()) {
      if (list.length < MIN_PEER_GROUP) continue;
      const box = boxOf(list[0]!.source)!;
      const memberIds = list.map((p) => p.source).sort(compareStrings);
      const groupId = `@peers:${memberIds[0]}+${memberIds.length - 1}:${list[0]!.target}`;
      const namespace = box.slice('@ns:'.length);
      extra.set(groupId, peerGroupShape(groupId, box, namespace, memberIds));
      const merged = emptyPair(groupId, list[0]!.target, list[0]!.ports);
      for (const p of list) {
        pairs.delete(`${p.source}\u0000${p.target}`);
        mergePair(merged, p);
      }
      pairs.set(`${groupId}\u0000${merged.target}`, merged);
    }
  }

  if (options.namespaceSets) {
    const namespacesOf = (id: string): readonly string[] | undefined => {
      if (id.startsWith('@ns:')) return [id.slice('@ns:'.length)];
      const node = projection.nodes.get(id);
      return node?.kind === 'namespace-summary' ? node.namespaces : undefined;
    };
    const drawn = new Set<string>();
    for (const node of projection.nodes.values()) if (node.kind === 'namespace-summary') for (const ns of node.namespaces) drawn.add(ns);
    for (const c of projection.containers) if (c.kind === 'namespace') drawn.add(c.id.slice('@ns:'.length));
    const nameOf = (id: string) => (id.startsWith('@ns:') ? `namespace ${id.slice('@ns:'.length)}` : projection.nodes.get(id)!.title.split('\n')[0]!);
    for (const set of gatherNamespaceSets(pairs, namespacesOf, drawn, nameOf)) extra.set(set.id, set);
  }

  const edges: DiagramEdge[] = [];
  const nodeById = (id: string) => projection.nodes.get(id) ?? extra.get(id);
  for (const p of [...pairs.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target))) {
    const source = nodeById(p.source);
    const target = nodeById(p.target);
    const style = source?.kind === 'external' || source?.kind === 'ingress' ? 'from-outside' : target?.kind === 'external' ? 'to-outside' : 'flow';
    const summarised = source?.kind === 'namespace-summary' || target?.kind === 'namespace-summary' || source?.kind === 'namespace-set' || target?.kind === 'namespace-set';
    const ports = formatPortLabel(p.ports);
    const change = changeOfPair(p);
    // an L7-restricted edge says so on its label: only some HTTP requests pass
    const label = changePrefix(change) + (summarised && p.flows.length > 1 ? `${p.flows.length} flows · ${ports}` : ports) + (p.l7 ? ' · L7' : '');
    const ends = portsOf(p.source, p.target, p.ports, nodeById);
    // lines to outside leave from their own point, so they never share a segment with flows inside
    if (style === 'to-outside' && ends.sourcePort !== undefined) ends.sourcePort = 'out:outside';
    const boundary = sortBoundary(p.boundary);
    edges.push({
      id: `${p.source}->${p.target}`, source: p.source, target: p.target,
      ...ends,
      style, label, strong: isEveryPort(p.ports),
      title: markedTitle(flowTitle(p, nodeById), boundary, change, p.changes.flatMap((c) => c.notes)),
      ...(boundary.length > 0 ? { boundary } : {}),
      ...(change ? { change } : {}),
    });
  }

  // --- unrestricted: ANY → workloads no policy isolates for ingress, and workloads → ANY for egress
  // (and ANY ↔ workloads whose policies admit every peer on every port: the side, said once)
  const openIn = new Map<string, string[]>();
  const openOut = new Map<string, string[]>();
  for (const [id, w] of data.workloads) {
    const drawn = projection.nodeOf.get(id);
    if (drawn === undefined) continue;
    const shown = (direction: 'ingress' | 'egress') => !options.openSidesIn || options.openSidesIn(w.namespace, direction);
    if (isOpenSide(w, 'ingress') && shown('ingress')) push(openIn, drawn, id);
    if (isOpenSide(w, 'egress') && shown('egress')) push(openOut, drawn, id);
  }
  const openingRules = openSideRules(data);
  for (const [side, open] of [['source', openIn], ['destination', openOut]] as const) {
    const anyId = side === 'source' ? ANY_SOURCE : ANY_DESTINATION;
    const drawnTargets = new Map<string, string[]>();
    // a namespace box whose every workload is open stands for them all
    const covered = new Set<string>();
    for (const [box, ids] of inBox) {
      if (ids.length >= 2 && ids.every((id) => open.has(id))) {
        drawnTargets.set(box, ids.flatMap((id) => open.get(id)!));
        for (const id of ids) covered.add(id);
      }
    }
    for (const [drawn, ids] of open) if (!covered.has(drawn)) drawnTargets.set(drawn, ids);
    if (drawnTargets.size === 0) continue;
    extra.set(anyId, anyShape(anyId, side));
    for (const [drawn, ids] of [...drawnTargets].sort(([a], [b]) => compareStrings(a, b))) {
      const node = nodeById(drawn);
      const summary = node?.kind === 'namespace-summary' ? node : undefined;
      const direction = side === 'source' ? 'ingress' : 'egress';
      // in a diff diagram: workloads that were isolated in this direction before (or did not exist)
      const before = ids.map((id) => marks.wasOpen(id, direction));
      const change: 'added' | 'changed' | undefined = before.every((b) => b === undefined || b) ? undefined : before.every((b) => b === false) ? 'added' : 'changed';
      // a side open in name only may still name its ports (a rule with ports but no peers): the label says which
      const named = ids.map((id) => openingRules.get(`${direction}\u0000${id}`)?.ports).filter((p): p is PortSet => p !== undefined);
      const ports = named.length === ids.length && named.length > 0 ? unionPortSets(named) : undefined;
      const portsText = ports === undefined || isEveryPort(ports) ? 'ALL' : formatPortLabel(ports);
      const label = changePrefix(change) + (summary ? `${portsText} · ${ids.length} of ${summary.workloads} workloads` : portsText);
      const plain = openTitle(ids, direction, (id) => openingRules.get(`${direction}\u0000${id}`)?.rules);
      const newlyOpen = ids.filter((_id, i) => before[i] === false);
      const notes = newlyOpen.length > 0 ? [`newly unrestricted for ${direction}: ${newlyOpen.slice(0, MAX_TITLE_PAIRS).join(', ')}${newlyOpen.length > MAX_TITLE_PAIRS ? ` … and ${newlyOpen.length - MAX_TITLE_PAIRS} more` : ''}`] : [];
      const boundary = sortBoundary(ids.flatMap((id) => openBoundary.get(`${side === 'source' ? 'in' : 'out'}\u0000${id}`) ?? []));
      const title = markedTitle(plain, boundary, change, notes);
      const marked = { ...(boundary.length > 0 ? { boundary } : {}), ...(change ? { change } : {}) };
      const isBox = drawn.startsWith('@ns:');
      edges.push(side === 'source'
        ? { id: `${anyId}->${drawn}`, source: anyId, sourcePort: 'out', target: drawn, ...(isBox ? {} : { targetPort: 'in:any' }), style: 'unrestricted', label, strong: true, title, ...marked }
        : { id: `${drawn}->${anyId}`, source: drawn, ...(isBox ? {} : { sourcePort: 'out:any' }), target: anyId, targetPort: 'in', style: 'unrestricted', label, strong: true, title, ...marked });
    }
  }

  // --- routes: structure (Ingress → Service → workload, outside → exposed Service)
  const routeEdges = new Map<string, DiagramEdge>();
  const routePorts = new Map<string, PortSet>();
  const drawnPairs = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
  const servicesDrawn = (id: string) => projection.nodes.has(id);
  const brokenRoutes = new Map<string, boolean>();
  const addRoute = (source: string, target: string, ports: PortSet, what: string, service?: string, broken = false) => {
    if (source === target) return;
    const into = service !== undefined ? projection.attached.get(service) : undefined;
    // with Services folded, a route that a drawn flow already covers adds nothing
    if (!into && drawnPairs.has(`${source}\u0000${target}`)) return;
    const id = `${source}->${target}${into ? `#${into.prefix}` : ''}#route`;
    const existing = routePorts.get(id);
    const merged = existing ? unionPortSets([existing, ports]) : ports;
    const ends = portsOf(source, target, merged, nodeById);
    if (into) ends.targetPort = `${into.prefix}${landingPort(into.ports, merged)}`;
    // a drawn route is broken only when every route it stands for forwards nothing
    const isBroken = (brokenRoutes.get(id) ?? true) && broken;
    brokenRoutes.set(id, isBroken);
    routeEdges.set(id, {
      id, source, target, ...ends, style: isBroken ? 'broken-route' : 'route', label: '', strong: false,
      title: isBroken
        ? `${what}\nbroken: its targetPort names no container port of the backend, so it forwards nothing\nstructure, not permission: the allowed flows are drawn separately`
        : `${what}\n${formatPortTitle(merged)}\nstructure, not permission: the allowed flows are drawn separately`,
    });
    routePorts.set(id, merged);
  };
  const backendRoutes = data.routes.filter((r) => data.services.has(r.source));
  for (const r of data.routes) {
    const summaryEnd = [r.source, r.target].some((id) => projection.nodes.get(projection.nodeOf.get(id) ?? '')?.kind === 'namespace-summary');
    if (summaryEnd) continue;
    if (servicesDrawn(r.target) || data.workloads.has(r.target) || projection.attached.has(r.target)) {
      // Service drawn (full detail), or Service → workload
      if (data.services.has(r.source) && !servicesDrawn(r.source)) continue; // drawn inside its backend, or folded into its annotation
      const s = endpoint(r.source, 'source');
      const t = endpoint(r.target, 'destination');
      if (s !== undefined && t !== undefined) addRoute(s, t, r.route.ports, `${r.source} routes to ${r.target}`, r.target, r.route.unresolved === true);
      continue;
    }
    // the Service is folded: route to its backends instead
    const s = endpoint(r.source, 'source');
    if (s === undefined) continue;
    for (const b of backendRoutes.filter((x) => x.source === r.target)) {
      const t = endpoint(b.target, 'destination');
      if (t !== undefined) addRoute(s, t, b.route.ports, `${r.source} routes through ${r.target} to ${b.target}`);
    }
  }
  for (const item of [...routeEdges.values()].sort((a, b) => compareStrings(a.id, b.id))) edges.push(item);

  return { edges, nodes: [...extra.values()].sort((a, b) => compareStrings(a.id, b.id)), notes, internalFlows };
}

/**
 * The tooltip of an ANY edge: which workloads it stands for and, for a side isolated in name only,
 * the policy rules that open it.
 */
function openTitle(ids: readonly string[], direction: 'ingress' | 'egress', rulesOf: (id: string) => readonly string[] | undefined): string {
  const lines = ids.slice(0, MAX_TITLE_PAIRS).map((id) => {
    const rules = rulesOf(id);
    return rules === undefined ? `${id}: no NetworkPolicy isolates it for ${direction}` : `${id}: isolated for ${direction}, but ${rules.length > 0 ? rules.join(', ') : 'its policies'} admit every ${direction === 'ingress' ? 'source' : 'destination'} on every port`;
  });
  if (ids.length > MAX_TITLE_PAIRS) lines.push(`… and ${ids.length - MAX_TITLE_PAIRS} more`);
  const head = direction === 'ingress'
    ? 'open for ingress: any pod or address may connect to these workloads, on every port'
    : 'open for egress: these workloads may connect to any pod or address, on every port';
  return [head, ...lines].join('\n');
}

/**
 * For every side isolated in name only (`ingress\0id`, `egress\0id`), the rules of that direction
 * behind its flows (the rules that admit every peer) and the ports of those flows. Sides no policy
 * isolates have no entry.
 */
function openSideRules(data: GraphData): Map<string, { rules: string[]; ports?: PortSet }> {
  const rules = new Map<string, Set<string>>();
  const ports = new Map<string, PortSet[]>();
  const add = (key: string, via: readonly string[], flowPorts: PortSet, direction: 'ingress' | 'egress') => {
    const set = rules.get(key)!;
    for (const r of rulesOfDirection(via, direction)) set.add(r);
    push(ports, key, flowPorts);
  };
  for (const [id, w] of data.workloads) {
    if (w.ingressIsolated && w.ingressInNameOnly === true) rules.set(`ingress\u0000${id}`, new Set());
    if (w.egressIsolated && w.egressInNameOnly === true) rules.set(`egress\u0000${id}`, new Set());
  }
  for (const f of data.flows) {
    if (rules.has(`ingress\u0000${f.target}`)) add(`ingress\u0000${f.target}`, f.flow.via, f.flow.ports, 'ingress');
    if (rules.has(`egress\u0000${f.source}`)) add(`egress\u0000${f.source}`, f.flow.via, f.flow.ports, 'egress');
  }
  return new Map([...rules].map(([k, v]) => {
    const seen = ports.get(k);
    return [k, { rules: [...v].sort(compareStrings), ...(seen ? { ports: unionPortSets(seen) } : {}) }];
  }));
}

/**
 * Replaces the pairs that connect one fixed end to every workload of a namespace (same ports) with
 * one pair that ends on the namespace box itself.
 */
function aggregate(
  pairs: Map<string, Pair>,
  boxOfEnd: (p: Pair) => string | undefined,
  fixedEnd: (p: Pair) => string,
  inBox: ReadonlyMap<string, readonly string[]>,
  grouped: 'source' | 'target',
): void {
  const groups = new Map<string, Pair[]>();
  for (const p of pairs.values()) {
    const box = boxOfEnd(p);
    if (box === undefined) continue;
    push(groups, `${fixedEnd(p)}\u0000${box}\u0000${portSetKey(p.ports)}`, p);
  }
  for (const [key, list] of [...groups].sort(([a], [b]) => compareStrings(a, b))) {
    const [fixed, box] = key.split('\u0000') as [string, string];
    const everyone = (inBox.get(box) ?? []).filter((id) => id !== fixed);
    if (everyone.length < MIN_NAMESPACE_AGGREGATE || list.length !== everyone.length) continue;
    // never an edge between a box and a node inside it
    if (everyone.length !== (inBox.get(box) ?? []).length) continue;
    const merged = grouped === 'source' ? emptyPair(box, fixed, list[0]!.ports) : emptyPair(fixed, box, list[0]!.ports);
    for (const p of list) {
      pairs.delete(`${p.source}\u0000${p.target}`);
      mergePair(merged, p);
    }
    merged.aggregate = `all ${list.length} workloads of namespace ${box.slice('@ns:'.length)}`;
    pairs.set(`${merged.source}\u0000${merged.target}`, merged);
  }
}

function portsOf(
  source: string, target: string, ports: PortSet, nodeById: (id: string) => DiagramNode | undefined,
): { sourcePort?: string; targetPort?: string } {
  const s = nodeById(source);
  const t = nodeById(target);
  const out: { sourcePort?: string; targetPort?: string } = {};
  if (s) out.sourcePort = 'out';
  if (t) out.targetPort = t.kind === 'workload' || t.kind === 'service' ? landingPort(t.ports, ports) : 'in';
  return out;
}

/** The port square a flow lands on: the one port it covers, else the body. */
export function landingPort(badges: readonly PortBadge[], ports: PortSet): string {
  if (isEveryPort(ports)) return 'in';
  const covered = badges.filter((b) => hasPort(ports, b.protocol, b.port));
  return covered.length === 1 ? `port:${covered[0]!.key}` : 'in';
}

function flowTitle(p: Pair, nodeById: (id: string) => DiagramNode | undefined): string {
  const name = (id: string) => {
    const node = nodeById(id);
    if (id.startsWith('@ns:')) return `namespace ${id.slice(4)}`;
    if (node?.kind === 'workload') return node.count > 1 ? `${node.count} workloads ${node.namespace}/${node.name}` : id;
    if (node?.kind === 'external') return node.lines.join(' ');
    return node ? node.title.split('\n')[0]! : id;
  };
  const lines = [`${name(p.source)} → ${name(p.target)}`, formatPortTitle(p.ports)];
  if (p.aggregate) lines.push(p.aggregate);
  lines.push(`allowed by: ${[...p.via].sort(compareStrings).join(', ')}`);
  if (p.l7) lines.push('L7-restricted: a rule admits only some HTTP requests (not evaluated)');
  if (p.flows.length > 1) {
    lines.push(`${p.flows.length} flows:`, ...p.flows.slice(0, MAX_TITLE_PAIRS));
    if (p.flows.length > MAX_TITLE_PAIRS) lines.push(`… and ${p.flows.length - MAX_TITLE_PAIRS} more`);
  }
  return lines.join('\n');
}

/** A tooltip with the boundary numbers first and the changes last. */
export function markedTitle(title: string, boundary: readonly string[], change: 'added' | 'changed' | undefined, notes: readonly string[]): string {
  const lines: string[] = [];
  if (boundary.length > 0) lines.push(`crosses the CDE boundary: ${boundary.join(', ')} (see the boundary table)`);
  lines.push(title);
  if (change) {
    lines.push(change === 'added' ? 'added since the previous input' : 'changed since the previous input:');
    lines.push(...notes.slice(0, MAX_TITLE_PAIRS));
    if (notes.length > MAX_TITLE_PAIRS) lines.push(`… and ${notes.length - MAX_TITLE_PAIRS} more`);
  }
  return lines.join('\n');
}

/** The badge text of an edge's boundary numbers: `F1`, `F2–F5 +3`. */
export function boundaryBadgeText(boundary: readonly string[] | undefined): string | undefined {
  return boundary && boundary.length > 0 ? formatFlowNumbers(boundary) : undefined;
}

/** The drawn copy of an outside address set, on the side where it sends or receives traffic. */
export function externalShape(id: string, node: Pick<ExternalNode, 'label' | 'ips' | 'names'>, side: 'source' | 'destination'): ExternalShape {
  const internet = id.startsWith('external@');
  const names = node.names ?? [];
  if (names.length > 0) {
    // a NetworkSet or an entity: its name, then its addresses in short (all of them in the tooltip)
    const shown = names.length > 2 ? [...names.slice(0, 2), `+${names.length - 2} more`] : [...names];
    const cidrs = node.label.split(', ');
    const addresses = cidrs.length > 1 ? `${cidrs[0]} +${cidrs.length - 1} more` : node.label;
    return {
      kind: 'external', id, parent: undefined, side, internet, ...(internet ? {} : { variant: 'named' as const }),
      lines: internet ? ['Internet', ...shown] : [...shown, addresses],
      title: `${names.join(', ')}: ${internet ? 'every address outside the cluster' : `outside addresses ${node.label}`}\n${node.ips.join(', ')}`,
    };
  }
  let lines: string[];
  if (internet) lines = ['Internet', 'all outside addresses'];
  else {
    const except = node.label.indexOf(' except ');
    if (except >= 0) lines = [node.label.slice(0, except), `except ${node.label.slice(except + ' except '.length)}`];
    else {
      const cidrs = node.label.split(', ');
      lines = cidrs.length > 3 ? [...cidrs.slice(0, 2), `+${cidrs.length - 2} more`] : cidrs;
    }
  }
  return {
    kind: 'external', id, parent: undefined, side, internet, lines,
    title: `${internet ? 'Internet: every address outside the cluster' : `outside addresses: ${node.label}`}\n${node.ips.join(', ')}`,
  };
}

/** The ANY peer of unrestricted edges: a source for sides open for ingress, a destination for sides open for egress. */
export function anyShape(id: string, side: 'source' | 'destination'): AnyShape {
  return {
    kind: 'any', id, parent: undefined, side,
    title: side === 'source'
      ? 'ANY source: every pod and every address, on every port (the targets are open for ingress: not isolated, or their policies admit every source)'
      : 'ANY destination: every pod and every address, on every port (the sources are open for egress: not isolated, or their policies admit every destination)',
  };
}

function peerGroupShape(id: string, parent: string, namespace: string, members: readonly string[]): PeerGroupShape {
  return { kind: 'peer-group', id, parent, namespace, members, title: `${members.length} workloads in ${namespace}:\n${members.join('\n')}` };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
