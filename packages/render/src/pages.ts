import type { TrafficGraph } from '@netdiagram/core';
import { layoutGraph, type Layout, type LayoutOptions } from './layout.js';
import type { PageInfo } from './title-block.js';
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
const BAND_WIDENING = [1, 1.1, 1.25, 1.5, 1.75, 2, 2.5];

const OVERVIEW = 'the overview: every namespace as one box (the CDE and its boundary expanded); each namespace has a page of its own';
const namespacePage = (ns: string) => `namespace ${ns}: its workloads and every flow to or from them; the namespaces at the other end as boxes naming their page`;
const namespaceHalf = (ns: string, side: 'inbound' | 'outbound') => side === 'inbound'
  ? `namespace ${ns}, flows in: its workloads, every flow into them and between them; its flows out are on the next page`
  : `namespace ${ns}, flows out: its workloads and every flow from them to other namespaces and outside; its flows in are on the page before`;

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
  const auto = (layoutOptions.detail ?? 'auto') === 'auto';
  const given = layoutOptions.direction ?? 'right';
  const directions: Direction[] = paging.flexibleDirection ? [given, given === 'right' ? 'down' : 'right'] : [given];
  // auto: the most detail that fits (full, then workload); a detail the user chose stays
  const details: readonly LayoutOptions['detail'][] = auto ? [undefined, 'workload'] : [undefined];

  /** The SVG of a layout with the band as wide as the drawing, or wider in fewer rows where the paper has room beside it. */
  const render = (layout: Layout, info?: PageInfo): Drawn => {
    const base = info ? { ...renderOptions, page: info } : renderOptions;
    let best: Drawn | undefined;
    for (const widen of BAND_WIDENING) {
      const svg = renderSvg(layout, widen === 1 ? base : { ...base, bandWidth: layout.width * widen });
      const textPt = printedTextSize(svg, page);
      if (!best || textPt.median > best.textPt.median) best = { svg, textPt };
    }
    return best!;
  };
  /** The first detail and direction that fits, else the one whose text prints largest (the earliest of equals). */
  const choose = async (base: LayoutOptions, choices: readonly LayoutOptions['detail'][], info?: PageInfo) => {
    let best: { layout: Layout; drawn: Drawn; options: LayoutOptions } | undefined;
    for (const detail of choices) {
      for (const direction of directions) {
        const options: LayoutOptions = { ...base, direction, ...(detail !== undefined ? { detail } : {}) };
        const layout = await layoutGraph(graph, options);
        const drawn = render(layout, info);
        if (drawn.textPt.median >= MIN_TEXT_PT) return { layout, drawn, options, fits: true };
        if (!best || drawn.textPt.median > best.drawn.textPt.median) best = { layout, drawn, options };
      }
    }
    return { ...best!, fits: false };
  };

  const single = await choose(layoutOptions, details);
  const namespaces = namespacesWithWorkloads(graph);
  if (single.fits || namespaces.length < 2 || layoutOptions.focus !== undefined) {
    return [{ ...single.drawn, number: 1, total: 1, shows: 'the whole diagram' }];
  }

  // an overview and a page per namespace; a namespace too large for one page, and whose two halves
  // (the flows into it, the flows out of it) print larger, takes two. The layouts are chosen with
  // provisional page lines, then drawn again with their numbers (the layout does not depend on them)
  const provisional = (shows: string): PageInfo => ({ number: 0, total: 0, shows });
  const overview = await choose({ ...layoutOptions }, ['namespace'], provisional(OVERVIEW));
  const planned: { options: LayoutOptions; shows: string; namespace?: string }[] = [{ options: overview.options, shows: OVERVIEW }];
  for (const ns of namespaces) {
    const whole = await choose({ ...layoutOptions, focus: ns }, details, provisional(namespacePage(ns)));
    if (!whole.fits) {
      const halves = await Promise.all((['inbound', 'outbound'] as const).map(async (side) => ({
        side, ...(await choose({ ...layoutOptions, focus: ns, focusSide: side }, details, provisional(namespaceHalf(ns, side)))),
      })));
      const drawnHalves = halves.filter((h) => h.layout.edges.length > 0);
      if (drawnHalves.length === 2 && Math.min(...drawnHalves.map((h) => h.drawn.textPt.median)) > whole.drawn.textPt.median) {
        for (const h of drawnHalves) planned.push({ options: h.options, shows: namespaceHalf(ns, h.side), namespace: ns });
        continue;
      }
    }
    planned.push({ options: whole.options, shows: namespacePage(ns), namespace: ns });
  }
  // the page numbers, now known, for the boxes that name them: each page is laid out again with them
  const total = planned.length;
  const pageOf = new Map<string, number[]>();
  planned.forEach((p, i) => { if (p.namespace !== undefined) pageOf.set(p.namespace, [...(pageOf.get(p.namespace) ?? []), i + 1]); });
  const pages: DiagramPage[] = [];
  for (const [i, p] of planned.entries()) {
    const info = { number: i + 1, total, shows: p.shows };
    const layout = await layoutGraph(graph, { ...p.options, pageOf });
    pages.push({ ...render(layout, info), ...info });
  }
  return pages;
}

interface Drawn {
  readonly svg: string;
  readonly textPt: { readonly median: number; readonly min: number };
}

/** The namespaces that hold at least one workload, sorted. */
function namespacesWithWorkloads(graph: TrafficGraph): string[] {
  const namespaces = new Set<string>();
  graph.forEachNode((_id, a) => { if (a.type === 'workload') namespaces.add(a.namespace); });
  return [...namespaces].sort(compareStrings);
}
