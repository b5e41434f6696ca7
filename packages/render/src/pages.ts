import type { TrafficGraph } from '@netdiagram/core';
import { layoutGraph, type LayoutOptions } from './layout.js';
import type { PageSpec } from './page.js';
import { MIN_TEXT_PT, printedTextSize } from './print-size.js';
import { renderSvg, type RenderOptions } from './svg.js';
import { compareStrings } from './view/graph-data.js';
import type { Direction } from './view/types.js';

/** One page of a diagram fitted to paper: its SVG, where it stands, and how large its text prints. */
export interface DiagramPage {
  readonly svg: string;
  /** 1-based; `total` pages in all. */
  readonly number: number;
  readonly total: number;
  /** What the page draws (the title block says it too on a page of several). */
  readonly shows: string;
  /** Median and smallest text size in points, the drawing fitted to the page. */
  readonly textPt: { readonly median: number; readonly min: number };
}

/** The widths the band under the drawing is tried at, as multiples of the drawing's width. */
const BAND_WIDENING = [1, 1.25, 1.5, 2];

const OVERVIEW = 'the overview: every namespace as one box (the CDE and its boundary expanded); each namespace has a page of its own';
const namespacePage = (ns: string) => `namespace ${ns}: its workloads and every flow to or from them; the namespaces at the other end as boxes naming their page`;

/** How `renderPages` may change the drawing to fit a page. */
export interface PagingOptions {
  /**
   * Whether the layout direction may change (`right` to `down`) where the given one does not fit
   * the page: false when the user chose it. The detail may change only when it is `auto`.
   */
  readonly flexibleDirection?: boolean;
}

/**
 * The diagram on as many pages of `page` as keep its median text at MIN_TEXT_PT or more. One page
 * when the drawing fits: at `detail: 'auto'` full detail, else workload detail (which still draws
 * every workload), each in the given direction first and then, if `flexibleDirection`, the other.
 * Else an overview at namespace detail (the CDE expanded, as namespace detail always keeps it) and
 * one page per namespace with workloads, in name order, each a complete diagram with its own title
 * block, legend and `Page 2 / 5` line, its collapsed namespace boxes naming the page that draws
 * them; each page takes the first of the same choices that fits. The counts in every title block
 * are the whole input's. A page may still print smaller (one namespace too large for the paper, a
 * single-namespace input that cannot be split): its `textPt` says so, and the caller warns.
 */
export async function renderPages(
  graph: TrafficGraph, layoutOptions: LayoutOptions, renderOptions: RenderOptions, page: PageSpec, paging: PagingOptions = {},
): Promise<DiagramPage[]> {
  const draw = async (options: LayoutOptions, info?: { number: number; total: number; shows: string }) => {
    const layout = await layoutGraph(graph, options);
    const base = info ? { ...renderOptions, page: info } : renderOptions;
    // the band as wide as the drawing, or wider in fewer rows where the paper has room beside it
    let best: { svg: string; textPt: { median: number; min: number } } | undefined;
    for (const widen of BAND_WIDENING) {
      const svg = renderSvg(layout, widen === 1 ? base : { ...base, bandWidth: layout.width * widen });
      const textPt = printedTextSize(svg, page);
      if (!best || textPt.median > best.textPt.median) best = { svg, textPt };
    }
    return best!;
  };
  const auto = (layoutOptions.detail ?? 'auto') === 'auto';
  const given = layoutOptions.direction ?? 'right';
  const directions: Direction[] = paging.flexibleDirection ? [given, given === 'right' ? 'down' : 'right'] : [given];
  /** The first choice that fits, else the one whose text prints largest (the earliest of equals). */
  const bestOf = async (base: LayoutOptions, details: readonly (LayoutOptions['detail'])[], info?: { number: number; total: number; shows: string }) => {
    let best: { svg: string; textPt: { median: number; min: number } } | undefined;
    for (const detail of details) {
      for (const direction of directions) {
        const drawn = await draw({ ...base, direction, ...(detail !== undefined ? { detail } : {}) }, info);
        if (drawn.textPt.median >= MIN_TEXT_PT) return { drawn, fits: true };
        if (!best || drawn.textPt.median > best.textPt.median) best = drawn;
      }
    }
    return { drawn: best!, fits: false };
  };
  // auto: the most detail that fits (full, then workload); a detail the user chose stays
  const details = auto ? [undefined, 'workload' as const] : [undefined];

  const single = await bestOf(layoutOptions, details);
  const namespaces = namespacesWithWorkloads(graph);
  if (single.fits || namespaces.length < 2 || layoutOptions.focus !== undefined) {
    return [{ ...single.drawn, number: 1, total: 1, shows: 'the whole diagram' }];
  }

  // an overview and a page per namespace
  const total = namespaces.length + 1;
  const pageOf = new Map(namespaces.map((ns, i) => [ns, i + 2]));
  const pages: DiagramPage[] = [];
  const overview = { number: 1, total, shows: OVERVIEW };
  pages.push({ ...(await bestOf({ ...layoutOptions, pageOf }, ['namespace'], overview)).drawn, ...overview });
  for (const ns of namespaces) {
    const info = { number: pageOf.get(ns)!, total, shows: namespacePage(ns) };
    pages.push({ ...(await bestOf({ ...layoutOptions, focus: ns, pageOf }, details, info)).drawn, ...info });
  }
  return pages;
}
/** The namespaces that hold at least one workload, sorted. */
function namespacesWithWorkloads(graph: TrafficGraph): string[] {
  const namespaces = new Set<string>();
  graph.forEachNode((_id, a) => { if (a.type === 'workload') namespaces.add(a.namespace); });
  return [...namespaces].sort(compareStrings);
}
