import type { TrafficGraph } from '@netdiagram/core';
import { layoutGraph, memoizedElk, type Layout, type LayoutOptions } from './layout.js';
import type { PageInfo } from './title-block.js';
import type { PageSpec } from './page.js';
import { MIN_TEXT_PT, textSizeOnPage, textSizes } from './print-size.js';
import { renderedSize, renderSvg, type RenderOptions } from './svg.js';
import { compareStrings } from './view/graph-data.js';
import { overviewSubparts, type OverviewPart } from './view/build.js';
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

/**
 * Where the band of title block, legend and boundary table is tried: under the drawing, as wide as
 * it or wider (a multiple of the drawing's width), in a column beside it (a tall drawing), and split:
 * title block and legend beside it, the boundary table under it.
 */
const BANDS: readonly Band[] = [
  ...[1, 1.1, 1.25, 1.5, 1.75, 2, 2.5].map((widen): Band => ({ side: 'below', widen })), { side: 'right', widen: 1 }, { side: 'split', widen: 1 },
];

interface Band {
  readonly side: 'below' | 'right' | 'split';
  readonly widen: number;
}

/** The render options that put the band where `band` says. */
function bandOptions(options: RenderOptions, layout: Layout, band: Band): RenderOptions {
  if (band.side !== 'below') return { ...options, bandSide: band.side };
  return band.widen === 1 ? options : { ...options, bandWidth: layout.width * band.widen };
}

const AGGREGATED = 'an edge all the flows between its two ends (its label counts them)';
const SETS = ', a dotted box the namespaces that share one flow';
/** What each part of an overview draws, as its page line and the other parts' lines name it. */
const PART_FLOWS: Readonly<Record<OverviewPart, string>> = {
  inside: 'the flows inside the cluster',
  outside: 'the flows to and from outside addresses',
  between: 'the flows inside the cluster between two namespaces',
  shared: 'the flows inside the cluster that one namespace has with several at once or with any pod or address',
  'from-outside': 'the flows from outside addresses',
  'to-outside': 'the flows to outside addresses',
};
/**
 * The page line of the overview, or of one of its `parts` (pages 1 to `parts.length`, in that
 * order), naming the page of each other part.
 */
const overviewShows = (cde: 'expanded' | 'collapsed', part: OverviewPart | undefined, parts: readonly (OverviewPart | undefined)[]) => {
  const what = part ? `the overview of ${PART_FLOWS[part]}` : 'the overview';
  const some = part !== undefined && part !== 'inside' && part !== 'between';
  const boxes = some ? 'each namespace with such flows one box' : 'every namespace one box';
  const cdeText = cde === 'expanded' ? ' (the CDE expanded)' : '';
  const sets = part === undefined || part === 'inside' || part === 'shared' ? SETS : '';
  const others = parts.flatMap((p, i) => (p !== undefined && p !== part ? [`${PART_FLOWS[p]}${i === 0 || parts[0] === part && i === 1 ? ' are' : ''} on page ${i + 1}`] : []));
  const rest = others.length > 0 ? `; ${others.join(', ')}` : '';
  return `${what}, aggregated: ${boxes}${cdeText}, ${AGGREGATED}${sets}${rest}; each namespace has a page of its own that draws every flow of it`;
};
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
 * Else an overview at namespace detail, aggregated (one namespace's flows with several others on the
 * same ports drawn once, to a dotted box naming them): with the CDE expanded where that fits, else
 * with the CDE collapsed too (its own page draws it), else in two parts where both print larger
 * (the flows inside the cluster; those to and from outside addresses), and a part still too large
 * in two again where both print larger (inside: the flows between two namespaces, and those one
 * namespace has with several at once or with ANY; outside: the flows from outside addresses, and
 * those to them), each part's page line naming the page of every other. Then one page per namespace
 * with workloads, in name order, each a complete diagram with its own title
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
  // every layout below is asked for at least twice (once to choose, once with the page numbers): ELK runs once per distinct input
  const elk = memoizedElk();

  /**
   * How a layout prints with the band where it prints largest (see BANDS): the band, and the text
   * size. The text is the same wherever the band goes, so one SVG gives the font sizes and the
   * other places only their sizes.
   */
  const measure = (layout: Layout, info?: PageInfo): Fit => {
    const base = info ? { ...renderOptions, page: info } : renderOptions;
    const sizes = textSizes(renderSvg(layout, base));
    let best: Fit | undefined;
    for (const band of BANDS) {
      const textPt = textSizeOnPage(sizes, renderedSize(layout, bandOptions(base, layout, band)), page);
      if (!best || textPt.median > best.textPt.median) best = { band, textPt };
    }
    return best!;
  };
  const draw = (layout: Layout, info: PageInfo | undefined, band: Band) =>
    renderSvg(layout, bandOptions(info ? { ...renderOptions, page: info } : renderOptions, layout, band));
  /** The first detail and direction that fits, else the one whose text prints largest (the earliest of equals). */
  const choose = async (base: LayoutOptions, choices: readonly LayoutOptions['detail'][], info?: PageInfo): Promise<Choice> => {
    let best: Omit<Choice, 'fits'> | undefined;
    for (const detail of choices) {
      for (const direction of directions) {
        const options: LayoutOptions = { ...base, direction, ...(detail !== undefined ? { detail } : {}) };
        const layout = await layoutGraph(graph, options, elk);
        const fit = measure(layout, info);
        if (fit.textPt.median >= MIN_TEXT_PT) return { layout, fit, options, fits: true };
        if (!best || fit.textPt.median > best.fit.textPt.median) best = { layout, fit, options };
      }
    }
    return { ...best!, fits: false };
  };

  const single = await choose(layoutOptions, details);
  const namespaces = namespacesWithWorkloads(graph);
  if (single.fits || namespaces.length < 2 || layoutOptions.focus !== undefined) {
    return [{ svg: draw(single.layout, undefined, single.fit.band), textPt: single.fit.textPt, number: 1, total: 1, shows: 'the whole diagram' }];
  }

  // an overview and a page per namespace. The overview is aggregated (namespace sets), with the CDE
  // expanded if that fits, else collapsed (its page draws it), else in parts (the flows inside
  // the cluster, those with outside addresses; each of them in two again) while they print larger.
  // A namespace too large for one page, and whose two halves (the flows into it, the flows out of
  // it) print larger, takes two. The layouts are chosen with provisional page lines and numbers,
  // then drawn with the real ones (ELK runs again only where a box's text changed its size)
  // the guess: an overview page, then each namespace on one page
  const provisional = (shows: string): PageInfo => ({ number: 1, total: namespaces.length + 1, shows });
  const guessAfter = (overviewPages: number) => new Map(namespaces.map((ns, i) => [ns, [overviewPages + 1 + i]]));
  /** One part of the overview (the whole at `undefined`), laid out with its page line among the overview pages `parts`. */
  const overviewAt = (cde: 'expanded' | 'collapsed', part: OverviewPart | undefined, parts: readonly (OverviewPart | undefined)[]) => {
    const shows = overviewShows(cde, part, parts);
    const options: LayoutOptions = { ...layoutOptions, overview: { cde, ...(part ? { part } : {}) }, pageOf: guessAfter(parts.length) };
    return choose(options, ['namespace'], provisional(shows)).then((c) => ({ ...c, part, cde }));
  };
  type Part = Awaited<ReturnType<typeof overviewAt>>;
  let overview: Part[] = [await overviewAt('expanded', undefined, [undefined])];
  if (!overview[0]!.fits) {
    overview = [await overviewAt('collapsed', undefined, [undefined])];
    // a part that does not fit is drawn in its subparts (see overviewSubparts) where they all print
    // larger; a subpart alone with edges is the part itself, told more exactly, and is split in its turn
    for (let i = 0; i < overview.length;) {
      const whole = overview[i]!;
      const subparts = whole.fits ? [] : overviewSubparts(whole.part);
      if (subparts.length === 0) { i++; continue; }
      const names = (subs: readonly (OverviewPart | undefined)[]) => [...overview.slice(0, i).map((o) => o.part), ...subs, ...overview.slice(i + 1).map((o) => o.part)];
      const drawn: Part[] = [];
      for (const sub of subparts) {
        const candidate = await overviewAt('collapsed', sub, names(subparts));
        if (candidate.layout.edges.length > 0) drawn.push(candidate);
      }
      // (alone, only a part that still draws every namespace: the others leave out those without such flows)
      const alone = drawn.length === 1 && (drawn[0]!.part === 'inside' || drawn[0]!.part === 'between');
      if (alone || (drawn.length > 1 && Math.min(...drawn.map((p) => p.fit.textPt.median)) > whole.fit.textPt.median)) {
        // laid out again below with the final page line; here only chosen
        overview = [...overview.slice(0, i), ...drawn, ...overview.slice(i + 1)];
      } else i++;
    }
  }
  const overviewParts = overview.map((o) => o.part);
  const planned: { options: LayoutOptions; shows: string; namespace?: string }[] = overview.map((o) => ({ options: o.options, shows: overviewShows(o.cde, o.part, overviewParts) }));
  const guessed = guessAfter(overview.length);
  for (const ns of namespaces) {
    const at = { ...layoutOptions, focus: ns, pageOf: guessed };
    const whole = await choose(at, details, provisional(namespacePage(ns)));
    if (!whole.fits) {
      const halves = await Promise.all((['inbound', 'outbound'] as const).map(async (side) => ({
        side, ...(await choose({ ...at, focusSide: side }, details, provisional(namespaceHalf(ns, side)))),
      })));
      const drawnHalves = halves.filter((h) => h.layout.edges.length > 0);
      if (drawnHalves.length === 2 && Math.min(...drawnHalves.map((h) => h.fit.textPt.median)) > whole.fit.textPt.median) {
        for (const h of drawnHalves) planned.push({ options: h.options, shows: namespaceHalf(ns, h.side), namespace: ns });
        continue;
      }
    }
    planned.push({ options: whole.options, shows: namespacePage(ns), namespace: ns });
  }
  // the page numbers, now known, for the boxes that name them
  const total = planned.length;
  const pageOf = new Map<string, number[]>();
  planned.forEach((p, i) => { if (p.namespace !== undefined) pageOf.set(p.namespace, [...(pageOf.get(p.namespace) ?? []), i + 1]); });
  const pages: DiagramPage[] = [];
  for (const [i, p] of planned.entries()) {
    const info = { number: i + 1, total, shows: p.shows };
    const layout = await layoutGraph(graph, { ...p.options, pageOf }, elk);
    const fit = measure(layout, info);
    pages.push({ svg: draw(layout, info, fit.band), textPt: fit.textPt, ...info });
  }
  return pages;
}

/** How a layout fits the page: where its band goes, and the text size that gives. */
interface Fit {
  readonly band: Band;
  readonly textPt: { readonly median: number; readonly min: number };
}

interface Choice {
  readonly layout: Layout;
  readonly fit: Fit;
  readonly options: LayoutOptions;
  readonly fits: boolean;
}

/** The namespaces that hold at least one workload, sorted. */
function namespacesWithWorkloads(graph: TrafficGraph): string[] {
  const namespaces = new Set<string>();
  graph.forEachNode((_id, a) => { if (a.type === 'workload') namespaces.add(a.namespace); });
  return [...namespaces].sort(compareStrings);
}
