import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';

export interface Zoom {
  fit(): void;
  /** Centre the element in the view, zoomed in to at least the drawing's natural size (one unit a pixel). */
  focus(element: Element): void;
  set(t: { k: number; x: number; y: number }): void;
  by(factor: number): void;
  pan(dx: number, dy: number): void;
}

const STEP = 80;

/**
 * Pan and zoom with d3-zoom: wheel and drag on the drawing (the keyboard: `bindZoomKeys`). The SVG
 * keeps its viewBox, so the identity transform is the whole drawing fitted to the window;
 * everything drawn moves inside one wrapping group.
 */
export function mountZoom(svg: SVGSVGElement, changed: (t: ZoomTransform) => void): Zoom {
  const viewport = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  viewport.setAttribute('id', 'nd-viewport');
  for (const child of [...svg.childNodes]) {
    if (child instanceof Element && (child.localName === 'title' || child.localName === 'desc' || child.localName === 'defs')) continue;
    viewport.append(child);
  }
  svg.append(viewport);
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  const behaviour: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.05, 40])
    .on('zoom', (event: { transform: ZoomTransform }) => {
      viewport.setAttribute('transform', event.transform.toString());
      changed(event.transform);
    });
  const selection = select(svg);
  selection.call(behaviour).on('dblclick.zoom', null);
  const box = svg.viewBox.baseVal;
  const api: Zoom = {
    fit: () => selection.call(behaviour.transform, zoomIdentity),
    focus(element) {
      const b = (element as SVGGraphicsElement).getBBox();
      const current = (svg as unknown as { __zoom?: ZoomTransform }).__zoom ?? zoomIdentity;
      // the viewBox is fitted into the window (xMidYMid meet): 1/fitted is the scale of one unit a pixel
      const fitted = Math.min(svg.clientWidth / box.width, svg.clientHeight / box.height);
      const k = Math.max(current.k, fitted > 0 ? 1 / fitted : 1);
      const cx = b.x + b.width / 2;
      const cy = b.y + b.height / 2;
      selection.call(behaviour.transform, zoomIdentity.translate(box.x + box.width / 2 - k * cx, box.y + box.height / 2 - k * cy).scale(k));
    },
    set: (t) => selection.call(behaviour.transform, zoomIdentity.translate(t.x, t.y).scale(t.k)),
    by: (factor) => selection.call(behaviour.scaleBy, factor),
    pan: (dx, dy) => selection.call(behaviour.translateBy, dx, dy),
  };
  return api;
}

/** The keyboard on the focused canvas moves the drawing shown now: arrows pan, + and - zoom, 0 fits. */
export function bindZoomKeys(canvas: HTMLElement, current: () => Zoom): void {
  canvas.addEventListener('keydown', (event) => {
    const api = current();
    const keys: Record<string, () => void> = {
      ArrowLeft: () => api.pan(STEP, 0), ArrowRight: () => api.pan(-STEP, 0),
      ArrowUp: () => api.pan(0, STEP), ArrowDown: () => api.pan(0, -STEP),
      '+': () => api.by(1.25), '=': () => api.by(1.25), '-': () => api.by(0.8), '0': () => api.fit(),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
