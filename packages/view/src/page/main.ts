import { DATA_ELEMENT_ID, type ExploreData } from '../data.js';
import { el } from './dom.js';
import { applyHighlight, findDrawing, type Drawing } from './highlight.js';
import { readLevels, unpackLevel } from './levels.js';
import { buildModel, expandableOf, type Model } from './model.js';
import { renderPanel } from './panel.js';
import { mountSearch } from './search.js';
import { fromFragment, INITIAL_STATE, toFragment, type ViewState } from './state.js';
import { bindZoomKeys, mountZoom, type Zoom } from './zoom.js';

/** One drawing the page can show: the overview, or a namespace expanded. */
interface Shown {
  readonly model: Model;
  readonly svg: SVGSVGElement;
  readonly drawing: Drawing;
  readonly zoom: Zoom;
}

/** Starts the page: reads the embedded data, wires zoom, search, selection, filters, expansion and the permalink. */
function start(): void {
  const overview = JSON.parse(document.getElementById(DATA_ELEMENT_ID)!.textContent ?? '') as ExploreData;
  const levels = readLevels();
  const canvas = document.getElementById('canvas')!;
  const toolbar = document.getElementById('toolbar')!;
  const panel = document.getElementById('panel')!;
  canvas.setAttribute('tabindex', '0');
  canvas.setAttribute('aria-label', 'Diagram: arrows pan, + and - zoom, 0 fits, e expands the selected namespace box, c collapses');
  let state: ViewState = fromFragment(location.hash);

  let zoomTimer: number | undefined;
  const onZoom = (t: { k: number; x: number; y: number }) => {
    // the permalink follows the view, written once the movement settles
    window.clearTimeout(zoomTimer);
    zoomTimer = window.setTimeout(() => {
      const identity = t.k === 1 && t.x === 0 && t.y === 0;
      const { zoom: _previous, ...rest } = state;
      update(identity ? rest : { ...rest, zoom: { k: t.k, x: t.x, y: t.y } });
    }, 150);
  };
  /** Wires a drawing placed in the canvas: zoom, and clicks on its shapes. */
  const prepare = (data: ExploreData, svg: SVGSVGElement): Shown => {
    const model = buildModel(data);
    const shown: Shown = { model, svg, drawing: findDrawing(svg, model), zoom: mountZoom(svg, onZoom) };
    svg.addEventListener('click', (event) => {
      const selection = selectionAt(shown, event.target);
      const { selected: _previous, ...rest } = state;
      update(selection ? { ...rest, selected: selection } : rest);
    });
    svg.addEventListener('dblclick', (event) => {
      const selection = selectionAt(shown, event.target);
      const namespace = selection?.type === 'node' ? expandableOf(model, selection.id)[0] : undefined;
      if (namespace !== undefined) void expand(namespace);
    });
    return shown;
  };
  const views = new Map<string, Shown>();
  let shown = prepare(overview, canvas.querySelector('svg')!);
  views.set('', shown);

  const update = (next: ViewState, options: { focus?: boolean } = {}) => {
    state = next;
    applyHighlight(shown.model, shown.drawing, state);
    renderPanel(panel, shown.model, state, { expand: (ns) => void expand(ns), collapse: () => void expand(undefined) });
    syncControls();
    const fragment = toFragment(state);
    if (fragment !== location.hash) history.replaceState(null, '', fragment === '' ? location.pathname + location.search : fragment);
    if (document.body.dataset['ready'] !== 'true') performance.mark('netdiagram-interactive'); // read by bench/view.mjs
    document.body.dataset['ready'] = 'true';
    if (options.focus && state.selected) {
      const { drawing } = shown;
      const element = state.selected.type === 'node' ? drawing.nodes.get(state.selected.id)
        : state.selected.type === 'edge' ? drawing.edges.get(state.selected.id) : drawing.namespaces.get(state.selected.id);
      if (element) shown.zoom.focus(element);
    }
  };

  /**
   * Shows the view of `next.open` (the overview when undefined), unpacking it the first time; the
   * selection is kept when the view draws it. Views are switched one at a time, in the order asked.
   */
  let switching: Promise<void> = Promise.resolve();
  const show = (next: ViewState, options: { focus?: boolean } = {}): Promise<void> => {
    switching = switching.then(async () => {
      const open = next.open !== undefined && levels.has(next.open) ? next.open : undefined;
      let view = views.get(open ?? '');
      if (!view) {
        const { data, svg } = await unpackLevel(levels.get(open!)!, overview);
        canvas.replaceChildren(svg);
        view = prepare(data, svg);
        views.set(open!, view);
      } else if (view !== shown) {
        canvas.replaceChildren(view.svg);
      }
      const switched = view !== shown;
      shown = view;
      const { open: _open, selected, ...rest } = next;
      const kept: ViewState = {
        ...rest, ...(open !== undefined ? { open } : {}), ...(selected && isDrawn(view.model, selected) ? { selected } : {}),
      };
      if (kept.zoom) view.zoom.set(kept.zoom);
      else if (switched) view.zoom.fit();
      update(kept, { focus: options.focus === true && kept.zoom === undefined });
      document.body.dataset['open'] = open ?? '';
    }).catch((error: unknown) => {
      // a view that cannot be unpacked (a browser without DecompressionStream) leaves the one shown, and says so
      const { open: _open, ...overviewState } = next;
      if (document.body.dataset['ready'] !== 'true') update(overviewState);
      panel.prepend(el('p', { class: 'error', role: 'alert' }, `Cannot show the namespace ${next.open ?? ''} expanded: ${error instanceof Error ? error.message : String(error)}`));
    });
    return switching;
  };
  /** Expands a collapsed namespace (its pre-laid-out view, fitted, nothing selected), or with undefined goes back to the overview. */
  const expand = async (namespace: string | undefined) => {
    performance.mark('netdiagram-expand'); // bench/view.mjs: from here to the view being interactive
    const { selected: _selected, zoom: _zoom, open: _open, ...rest } = state;
    const next: ViewState = namespace !== undefined ? { ...rest, open: namespace } : rest;
    // a history entry per view switched to: the browser's Back (Alt+←) returns to the view before
    const fragment = toFragment(next);
    history.pushState(null, '', fragment === '' ? location.pathname + location.search : fragment);
    await show(next);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))); // the new view drawn once
    performance.measure('netdiagram-expanded', 'netdiagram-expand');
    document.body.dataset['switches'] = String(performance.getEntriesByName('netdiagram-expanded').length);
  };

  mountSearch(toolbar, () => shown.model, (result) => {
    if (result.open === undefined) return update({ ...state, selected: result.selection }, { focus: true });
    // a workload inside a collapsed namespace: expand it, then select the shape that draws the workload
    const graphId = result.selection.id;
    void expand(result.open).then(() => {
      const drawn = shown.model.data.nodes.find((n) => n.kind !== 'external' && n.members.includes(graphId));
      if (drawn) update({ ...state, selected: { type: 'node', id: drawn.id } }, { focus: true });
    });
  });
  const cde = el('input', { type: 'checkbox', id: 'filter-cde' });
  const boundary = el('input', { type: 'checkbox', id: 'filter-boundary' });
  const port = el('input', { type: 'text', id: 'filter-port', inputmode: 'numeric', size: '6', placeholder: 'port', 'aria-label': 'Port' });
  const protocol = el('select', { id: 'filter-protocol', 'aria-label': 'Protocol' },
    el('option', { value: '' }, 'any protocol'), el('option', { value: 'TCP' }, 'TCP'), el('option', { value: 'UDP' }, 'UDP'), el('option', { value: 'SCTP' }, 'SCTP'));
  const fit = el('button', { type: 'button', id: 'fit' }, 'Fit');
  const reset = el('button', { type: 'button', id: 'clear' }, 'Clear');
  const collapse = el('button', { type: 'button', id: 'collapse', hidden: '' }, 'Back to the overview');
  const opened = el('span', { id: 'open-namespace' });
  toolbar.append(
    el('label', {}, cde, ' CDE only'), el('label', {}, boundary, ' boundary flows only'), port, protocol, fit, reset, collapse, opened,
  );
  const syncControls = () => {
    cde.checked = state.cde;
    boundary.checked = state.boundary;
    if (document.activeElement !== port) port.value = state.port;
    protocol.value = state.protocol;
    collapse.hidden = state.open === undefined;
    opened.textContent = state.open !== undefined ? `namespace ${state.open} expanded` : '';
  };
  cde.addEventListener('change', () => update({ ...state, cde: cde.checked }));
  boundary.addEventListener('change', () => update({ ...state, boundary: boundary.checked }));
  port.addEventListener('input', () => update({ ...state, port: /^\d{1,5}$/.test(port.value.trim()) ? port.value.trim() : '' }));
  protocol.addEventListener('change', () => update({ ...state, protocol: protocol.value }));
  fit.addEventListener('click', () => shown.zoom.fit());
  // Clear drops the selection and the filters; the view shown stays
  reset.addEventListener('click', () => update({ ...INITIAL_STATE, ...(state.open !== undefined ? { open: state.open } : {}) }));
  collapse.addEventListener('click', () => void expand(undefined));
  bindZoomKeys(canvas, () => shown.zoom);

  document.addEventListener('keydown', (event) => {
    const typing = document.activeElement?.tagName === 'INPUT' || document.activeElement?.tagName === 'SELECT';
    if (event.key === '/' && !typing) {
      event.preventDefault();
      document.getElementById('search')?.focus();
    } else if (event.key === 'Escape' && !typing) {
      const { selected: _previous, ...rest } = state;
      update(rest);
    } else if (event.key === 'e' && !typing && state.selected?.type === 'node') {
      // e expands the selected namespace box (its first namespace, for a box of several)
      const namespace = expandableOf(shown.model, state.selected.id)[0];
      if (namespace !== undefined) void expand(namespace);
    } else if (event.key === 'c' && !typing && state.open !== undefined) {
      void expand(undefined);
    }
  });
  window.addEventListener('hashchange', () => {
    const next = fromFragment(location.hash);
    void show(next, { focus: true });
  });
  void show(state, { focus: true });
}

/** The shape, edge or namespace an event in the drawing hit. */
function selectionAt(shown: Shown, target: EventTarget | null): ViewState['selected'] {
  const hit = target instanceof Element ? target.closest('g.node, g.edge, g.namespace, g.edge-label') : null;
  const selection = hit ? shown.model.bySvgId.get(hit.id) : undefined;
  if (selection || !hit?.classList.contains('edge-label')) return selection;
  for (const [id, label] of shown.drawing.edgeLabels) if (label === hit) return { type: 'edge', id };
  return undefined;
}

function isDrawn(model: Model, selected: NonNullable<ViewState['selected']>): boolean {
  return selected.type === 'node' ? model.nodes.has(selected.id)
    : selected.type === 'edge' ? model.edges.has(selected.id) : model.namespaces.has(selected.id);
}

start();
