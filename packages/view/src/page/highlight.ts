import type { Model } from './model.js';
import { passesFilters, selectedEdges, selectedNodes } from './model.js';
import type { ViewState } from './state.js';

export const DIM = 'nd-dim';
export const FOCUS = 'nd-focus';
export const SELECTED = 'nd-selected';

/** The SVG elements the highlighting changes, found once. */
export interface Drawing {
  readonly nodes: ReadonlyMap<string, Element>;
  readonly edges: ReadonlyMap<string, Element>;
  readonly edgeLabels: ReadonlyMap<string, Element>;
  readonly namespaces: ReadonlyMap<string, Element>;
}

export function findDrawing(svg: SVGSVGElement, model: Model): Drawing {
  const byId = (id: string) => svg.getElementById(id);
  const pick = <T extends { id: string; svg: string }>(items: readonly T[]) => {
    const found = new Map<string, Element>();
    for (const item of items) {
      const element = byId(item.svg);
      if (element) found.set(item.id, element);
    }
    return found;
  };
  // the labels are drawn in edge order, one for every labelled edge
  const labels = [...svg.querySelectorAll('#edge-labels > g.edge-label')];
  const edgeLabels = new Map<string, Element>();
  let next = 0;
  for (const e of model.data.edges) if (e.labelled && labels[next]) edgeLabels.set(e.id, labels[next++]!);
  return { nodes: pick(model.data.nodes), edges: pick(model.data.edges), edgeLabels, namespaces: pick(model.data.namespaces) };
}

/**
 * Dims what the selection and the filters leave out: with a selection, only its edges (that pass
 * the filters) and their ends stay bright; without one, the edges that pass the filters and their ends.
 */
export function applyHighlight(model: Model, drawing: Drawing, state: ViewState): { edges: Set<string>; nodes: Set<string> } {
  const filtering = state.cde || state.boundary || state.port !== '' || state.protocol !== '';
  const chosen = state.selected ? selectedEdges(model, state.selected) : undefined;
  const brightEdges = new Set<string>();
  for (const e of model.data.edges) {
    if (chosen && !chosen.has(e.id)) continue;
    if (filtering && !passesFilters(model, e, state)) continue;
    brightEdges.add(e.id);
  }
  const dimming = chosen !== undefined || filtering;
  const brightNodes = new Set<string>(state.selected ? selectedNodes(model, state.selected) : []);
  for (const id of brightEdges) {
    const e = model.edges.get(id)!;
    brightNodes.add(e.source);
    brightNodes.add(e.target);
  }
  for (const [id, element] of drawing.edges) {
    const dim = dimming && !brightEdges.has(id);
    element.classList.toggle(DIM, dim);
    element.classList.toggle(FOCUS, chosen !== undefined && !dim);
    drawing.edgeLabels.get(id)?.classList.toggle(DIM, dim);
  }
  const selected = state.selected?.type === 'node' ? state.selected.id : undefined;
  for (const [id, element] of drawing.nodes) {
    element.classList.toggle(DIM, dimming && !brightNodes.has(id));
    element.classList.toggle(SELECTED, id === selected);
  }
  for (const [id, element] of drawing.namespaces) element.classList.toggle(SELECTED, state.selected?.type === 'namespace' && state.selected.id === id);
  return { edges: brightEdges, nodes: brightNodes };
}
