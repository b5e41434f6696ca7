import type { ExploreData, ExploreEdge, ExploreFlow, ExploreNamespace, ExploreNode } from '../data.js';
import type { ViewState } from './state.js';

/** The data with the look-ups the page needs: by id, by SVG id, edges by end. */
export interface Model {
  readonly data: ExploreData;
  readonly nodes: ReadonlyMap<string, ExploreNode>;
  readonly edges: ReadonlyMap<string, ExploreEdge>;
  readonly namespaces: ReadonlyMap<string, ExploreNamespace>;
  readonly bySvgId: ReadonlyMap<string, { readonly type: 'node' | 'edge' | 'namespace'; readonly id: string }>;
  readonly edgesOf: ReadonlyMap<string, readonly ExploreEdge[]>;
}

export function buildModel(data: ExploreData): Model {
  const bySvgId = new Map<string, { type: 'node' | 'edge' | 'namespace'; id: string }>();
  for (const n of data.nodes) bySvgId.set(n.svg, { type: 'node', id: n.id });
  for (const e of data.edges) bySvgId.set(e.svg, { type: 'edge', id: e.id });
  for (const ns of data.namespaces) bySvgId.set(ns.svg, { type: 'namespace', id: ns.id });
  const edgesOf = new Map<string, ExploreEdge[]>();
  const add = (id: string, e: ExploreEdge) => edgesOf.set(id, [...(edgesOf.get(id) ?? []), e]);
  for (const e of data.edges) {
    add(e.source, e);
    if (e.target !== e.source) add(e.target, e);
  }
  return {
    data, bySvgId, edgesOf,
    nodes: new Map(data.nodes.map((n) => [n.id, n])),
    edges: new Map(data.edges.map((e) => [e.id, e])),
    namespaces: new Map(data.namespaces.map((n) => [n.id, n])),
  };
}

/** The drawn nodes a selection is about: the node, the namespace's nodes, or the edge's ends. */
export function selectedNodes(model: Model, selected: NonNullable<ViewState['selected']>): Set<string> {
  if (selected.type === 'node') return new Set(model.nodes.has(selected.id) ? [selected.id] : []);
  if (selected.type === 'edge') {
    const e = model.edges.get(selected.id);
    return new Set(e ? [e.source, e.target] : []);
  }
  const name = model.namespaces.get(selected.id)?.name;
  return new Set(model.data.nodes.filter((n) => n.namespace === name && n.namespace !== undefined).map((n) => n.id));
}

/** The edges a selection highlights: every edge into or out of its nodes, or the edge itself. */
export function selectedEdges(model: Model, selected: NonNullable<ViewState['selected']>): Set<string> {
  if (selected.type === 'edge') return new Set(model.edges.has(selected.id) ? [selected.id] : []);
  const ids = new Set<string>();
  for (const n of selectedNodes(model, selected)) for (const e of model.edgesOf.get(n) ?? []) ids.add(e.id);
  return ids;
}

/** Whether an edge passes the filters (CDE only, boundary flows only, a port, a protocol). */
export function passesFilters(model: Model, edge: ExploreEdge, state: ViewState): boolean {
  if (state.cde && !isCde(model, edge.source) && !isCde(model, edge.target)) return false;
  if (state.boundary && edge.boundary.length === 0) return false;
  if (state.port === '' && state.protocol === '') return true;
  const flows = edge.flows.map((i) => model.data.flows[i]!);
  return flows.some((f) => flowMatches(f, state.port, state.protocol));
}

function isCde(model: Model, id: string): boolean {
  return model.nodes.get(id)?.zone === 'cde';
}

/** Whether a flow carries the port (of the protocol, when one is given). */
export function flowMatches(flow: ExploreFlow, port: string, protocol: string): boolean {
  if (protocol !== '' && !flow.protocols.includes(protocol)) return false;
  if (port === '') return true;
  const n = Number(port);
  return flow.portRanges.some((range) => {
    const [proto, span] = range.split('/') as [string, string];
    if (protocol !== '' && proto !== protocol) return false;
    const [lo, hi] = span.split('-').map(Number) as [number, number | undefined];
    return n >= lo && n <= (hi ?? lo);
  });
}

/** The allowed flows into or out of the graph nodes a selection stands for. */
export function flowsOfSelection(model: Model, selected: NonNullable<ViewState['selected']>): { flow: ExploreFlow; direction: 'inbound' | 'outbound' | 'inside' }[] {
  if (selected.type === 'edge') {
    return (model.edges.get(selected.id)?.flows ?? []).map((i) => ({ flow: model.data.flows[i]!, direction: 'outbound' as const }));
  }
  const drawn = selectedNodes(model, selected);
  const members = new Set<string>();
  for (const id of drawn) for (const m of model.nodes.get(id)?.members ?? []) members.add(m);
  const found: { flow: ExploreFlow; direction: 'inbound' | 'outbound' | 'inside' }[] = [];
  for (const flow of model.data.flows) {
    // an outside address is drawn twice (sending, receiving): the drawn end decides, the graph id only when undrawn
    const out = flow.fromNode !== undefined ? drawn.has(flow.fromNode) : members.has(flow.from);
    const into = flow.toNode !== undefined ? drawn.has(flow.toNode) : members.has(flow.to);
    if (out && into) found.push({ flow, direction: 'inside' });
    else if (out) found.push({ flow, direction: 'outbound' });
    else if (into) found.push({ flow, direction: 'inbound' });
  }
  return found;
}

/** The namespaces a drawn namespace box stands for that the page can expand (none for other shapes). */
export function expandableOf(model: Model, nodeId: string): string[] {
  const expandable = new Set(model.data.expandable);
  return (model.nodes.get(nodeId)?.collapsed ?? []).filter((ns) => expandable.has(ns) && ns !== model.data.open);
}
