import { DATA_ELEMENT_ID, type ExploreData } from '../data.js';
import { el } from './dom.js';
import { applyHighlight, findDrawing } from './highlight.js';
import { buildModel } from './model.js';
import { renderPanel } from './panel.js';
import { mountSearch } from './search.js';
import { fromFragment, INITIAL_STATE, toFragment, type ViewState } from './state.js';
import { mountZoom } from './zoom.js';

/** Starts the page: reads the embedded data, wires zoom, search, selection, filters and the permalink. */
function start(): void {
  const data = JSON.parse(document.getElementById(DATA_ELEMENT_ID)!.textContent ?? '') as ExploreData;
  const model = buildModel(data);
  const canvas = document.getElementById('canvas')!;
  const toolbar = document.getElementById('toolbar')!;
  const panel = document.getElementById('panel')!;
  const svg = canvas.querySelector('svg')!;
  canvas.setAttribute('tabindex', '0');
  canvas.setAttribute('aria-label', 'Diagram: arrows pan, + and - zoom, 0 fits');
  const drawing = findDrawing(svg, model);
  let state: ViewState = fromFragment(location.hash);

  const update = (next: ViewState, options: { focus?: boolean } = {}) => {
    state = next;
    applyHighlight(model, drawing, state);
    renderPanel(panel, model, state);
    syncControls();
    const fragment = toFragment(state);
    if (fragment !== location.hash) history.replaceState(null, '', fragment === '' ? location.pathname + location.search : fragment);
    if (document.body.dataset['ready'] !== 'true') performance.mark('netdiagram-interactive'); // read by bench/view.mjs
    document.body.dataset['ready'] = 'true';
    if (options.focus && state.selected) {
      const element = state.selected.type === 'node' ? drawing.nodes.get(state.selected.id)
        : state.selected.type === 'edge' ? drawing.edges.get(state.selected.id) : drawing.namespaces.get(state.selected.id);
      if (element) zoom.focus(element);
    }
  };

  let zoomTimer: number | undefined;
  const zoom = mountZoom(canvas, svg, (t) => {
    // the permalink follows the view, written once the movement settles
    window.clearTimeout(zoomTimer);
    zoomTimer = window.setTimeout(() => {
      const identity = t.k === 1 && t.x === 0 && t.y === 0;
      const { zoom: _previous, ...rest } = state;
      update(identity ? rest : { ...rest, zoom: { k: t.k, x: t.x, y: t.y } });
    }, 150);
  });

  mountSearch(toolbar, model, (result) => update({ ...state, selected: result.selection }, { focus: true }));
  const cde = el('input', { type: 'checkbox', id: 'filter-cde' });
  const boundary = el('input', { type: 'checkbox', id: 'filter-boundary' });
  const port = el('input', { type: 'text', id: 'filter-port', inputmode: 'numeric', size: '6', placeholder: 'port', 'aria-label': 'Port' });
  const protocol = el('select', { id: 'filter-protocol', 'aria-label': 'Protocol' },
    el('option', { value: '' }, 'any protocol'), el('option', { value: 'TCP' }, 'TCP'), el('option', { value: 'UDP' }, 'UDP'), el('option', { value: 'SCTP' }, 'SCTP'));
  const fit = el('button', { type: 'button', id: 'fit' }, 'Fit');
  const reset = el('button', { type: 'button', id: 'clear' }, 'Clear');
  toolbar.append(
    el('label', {}, cde, ' CDE only'), el('label', {}, boundary, ' boundary flows only'), port, protocol, fit, reset,
  );
  const syncControls = () => {
    cde.checked = state.cde;
    boundary.checked = state.boundary;
    if (document.activeElement !== port) port.value = state.port;
    protocol.value = state.protocol;
  };
  cde.addEventListener('change', () => update({ ...state, cde: cde.checked }));
  boundary.addEventListener('change', () => update({ ...state, boundary: boundary.checked }));
  port.addEventListener('input', () => update({ ...state, port: /^\d{1,5}$/.test(port.value.trim()) ? port.value.trim() : '' }));
  protocol.addEventListener('change', () => update({ ...state, protocol: protocol.value }));
  fit.addEventListener('click', () => zoom.fit());
  reset.addEventListener('click', () => update({ ...INITIAL_STATE }));

  svg.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('g.node, g.edge, g.namespace, g.edge-label') : null;
    let selection = target ? model.bySvgId.get(target.id) : undefined;
    if (!selection && target?.classList.contains('edge-label')) {
      for (const [id, label] of drawing.edgeLabels) if (label === target) selection = { type: 'edge', id };
    }
    const { selected: _previous, ...rest } = state;
    update(selection ? { ...rest, selected: selection } : rest);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && document.activeElement?.tagName !== 'INPUT') {
      event.preventDefault();
      document.getElementById('search')?.focus();
    } else if (event.key === 'Escape' && document.activeElement?.tagName !== 'INPUT') {
      const { selected: _previous, ...rest } = state;
      update(rest);
    }
  });
  window.addEventListener('hashchange', () => {
    const next = fromFragment(location.hash);
    if (next.zoom) zoom.set(next.zoom);
    update(next, { focus: !next.zoom });
  });
  if (state.zoom) zoom.set(state.zoom);
  update(state, { focus: state.zoom === undefined });
}

start();
