import { addLayoutOptions, addRecordCommandOptions, addTitleBlockOptions, type LayoutCliOptions, type TitleBlockCliOptions } from '../command-options.js';
import { extname } from 'node:path';
import type { LayoutOptions, PageSpec, PdfOptions, RenderOptions } from '@netdiagram/render';
import { computeExposure, ZONE_ANNOTATION, type CdeScope, type Cluster, type Exposure, type ExposureRow } from '@netdiagram/core';
import { titleBlockCni } from '../cni-text.js';
import type { InteractiveInput } from '@netdiagram/view';
import { Command, Option } from 'commander';
import { analyse, notEvaluatedNotices, describeSources, drawnBesideFlows, incompleteOf, type AnalysisOptions } from '../analysis.js';
import { writeOutput, type Io } from '../io.js';
import { pngOf } from '../png-output.js';
import { pagePaths, warnSmallText } from '../page-output.js';
import { STANDARD_OUTPUT } from '../safe-write.js';
import { UsageError } from '../usage-error.js';
import { evidenceDate, gitState, inputDigest } from '../provenance.js';
import { toolVersion } from '../version.js';
import { scopeFromOptions, type ScopeCliOptions } from './audit.js';
import { recordInfo, type RecordCliOptions } from '../record-options.js';

type Format = 'svg' | 'png' | 'pdf' | 'html';

interface DiagramOptions extends AnalysisOptions, ScopeCliOptions, RecordCliOptions, TitleBlockCliOptions, LayoutCliOptions {
  readonly output: string;
  readonly format?: Format;
  readonly expand?: string[];
  readonly scale?: string;
  /** `--page`: a paper name (A3, A4-portrait, …) or none; only for PDF output. */
  readonly page?: string;
  /** `--exposure` (true), `--no-exposure` (false), or neither: the CDE boundary's rows when a CDE is marked. */
  readonly exposure?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `netdiagram diagram`: the allowed traffic as a KDL-style network diagram, SVG, PNG or PDF. */
export function diagramCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('diagram')
    .description('draw the allowed traffic as a KDL-style network diagram (SVG, PNG or PDF)')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .option('-o, --output <file>', 'file to write (.svg, .png, .pdf or .html); - for standard output', '-')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else svg)').choices(['svg', 'png', 'pdf', 'html']));
  addLayoutOptions(addTitleBlockOptions(command, 'Allowed network traffic'))
    .option('--expand <namespace>', 'when namespaces are collapsed, keep this one (or ns/name: a workload\'s) at workload level (repeatable)', collect)
    .option('--scale <factor>', 'PNG pixels per SVG unit (default 1.5, lowered to fit); a scale you give is lowered, with a warning, to keep the PNG within 16 megapixels', '1.5')
    .option('--page <size>', 'paper the diagram is printed on, with 10 mm margins: A4, A3, letter or legal, landscape unless followed by -portrait (A4-portrait); none: a page the size of the drawing (default for PDF: A3, landscape; SVG and PNG: no page). Where one page would print text under 7 pt, the diagram is split into pages')
    .option('--exposure', 'draw every representative peer the policies admit, whether or not the input holds its pods (default with a CDE: the ones crossing its boundary)')
    .option('--no-exposure', 'draw no representative peers, not even with a CDE')
    .addHelpText('after', `
Examples:
  $ netdiagram diagram examples/pci-demo -o diagram.svg
  $ netdiagram diagram k8s/ --ingress-controller ingress-nginx -o network.png --title "Shop production"
  $ netdiagram diagram k8s/ --detail namespace --expand payment -o overview.svg --date 2025-07-01
  $ netdiagram diagram examples/pci-demo --cde app=pci -o cde.png
  $ netdiagram diagram examples/pci-demo --cde app=pci -o cde.pdf --page A4-portrait
  $ netdiagram diagram examples/shop --cde pci-dss/scope=cde -o shop.svg --page A3   # shop-1.svg …
  $ netdiagram diagram examples/shop --exposure -o exposure.svg
  $ netdiagram diagram examples/pci-demo --cde app=pci -o diagram.html

With --cde (or the netdiagram.io/zone: cde annotation) the diagram draws the CDE as a hatched,
double-bordered zone, shades out-of-scope areas, outlines connected-to workloads with a dash,
numbers the flows crossing the CDE boundary (F1, F2, …) and lists them in a boundary table.

Exposure: the pods a policy admits by selector, whether or not the input holds them (representative
peers, as connections --exposure lists them), are drawn as dashed, empty pods labelled with the
selector (any pod · app=prometheus) inside a dashed namespace box (any namespace · team=ops), or
inside the box of the namespace they name; "any pod in the cluster" stands beside ANY. --exposure
draws every one; with a CDE (--cde or a zone annotation) the ones whose edges cross the CDE
boundary are drawn by default, with their F-numbers; --no-exposure draws none.

Arrows are the connections NetworkPolicies allow, assuming a CNI that enforces them; not observed
traffic. The date is --date, else SOURCE_DATE_EPOCH, else the commit date of the git HEAD the inputs
are in (with --commit TEXT or --no-commit, none), else "undated": the clock is never read, and the
same inputs and options give byte-identical files, whatever order the inputs are named in. When
the input had errors (exit code 2), the title block starts with "INCOMPLETE:" and names what was
left out.

PDF: A3 landscape unless --page says otherwise, the drawing scaled to fit inside 10 mm margins and
centred. When that would print the text under 7 pt (the median text size), netdiagram first draws
workload detail instead of full detail (--detail auto), and the other direction (unless --direction
is given); when no single page reaches 7 pt, the diagram is split into an overview (namespace
detail, aggregated: an edge counts the flows it stands for, and the flows one namespace shares
with three or more others on the same ports are one edge to a dotted box naming them; the CDE
expanded where that fits, else collapsed, else the overview on two pages: the flows inside the
cluster, and those to and from outside addresses) and one page per namespace with workloads: its
workloads, every flow to or from them, and the other namespaces as boxes that name the page they
are drawn on; a namespace too large for one page takes two (its flows in, its flows out). Every page is a whole diagram with its title block (Page 2 / 8), legend and the whole
input's counts; a namespace's boundary table lists the boundary flows it draws. A page that still
prints under 7 pt (one namespace too large for the paper) is written with a warning on stderr. The
DejaVu Sans the PNG is drawn with is embedded, and text stays text: it can be searched and copied.
Its creation date is the diagram's date; an undated diagram's PDF has none.

SVG and PNG are one drawing for the screen unless --page is given: then they take the same pages
as the PDF, written as diagram-1.svg, diagram-2.svg, … when there are several (standard output
holds one page only).

HTML: one self-contained page (script, style and fonts inlined; a Content-Security-Policy that lets
it load nothing) holding the same SVG and the graph it was drawn from: pan and zoom, search by
workload, namespace, label or port, click a shape or an edge to highlight its flows and list them
with the rules that allow them, filter (CDE only, boundary flows, port, protocol), expand a
collapsed namespace to its workloads (each namespace's view is laid out when the page is written);
the URL fragment is a permalink to the view.`);
  addRecordCommandOptions(command, { accountData: false });
  return command.action(async (inputs: string[], options: DiagramOptions) => {
    const { optionsFile: _named, ...record } = recordInfo(options); // title-block facts (prepared/approved by, review date); refused early when bad
    const format = outputFormat(options.output, options.format);
    // a PDF is always on paper (A3 landscape unless --page says otherwise); SVG and PNG only with --page
    if (options.page !== undefined && format === 'html') throw new UsageError('--page sets the paper of PDF, SVG and PNG output; an HTML page has none');
    const page = format === 'pdf' || options.page !== undefined ? await pageOf(options.page) : null;
    const scale = Number(options.scale);
    if (!Number.isFinite(scale) || scale <= 0 || scale > 8) throw new UsageError(`--scale "${options.scale}" is not a number between 0 and 8`);
    evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH); // a bad --date or SOURCE_DATE_EPOCH is refused before any work
    // default-allow pairs are drawn once per workload (ANY), so the graph need not hold them, unless a
    // CDE scope must find the boundary flows among them
    const analysis = await analyse(inputs, options, io, { openFlows: (cluster) => (scopeRequested(options, cluster) ? 'edges' : 'omit') });
    // loaded here, not at start-up: elkjs is large and only drawing commands need it
    const { boundaryExposureRows, layoutGraph, renderSvg } = await import('@netdiagram/render');
    const exposure = computeExposure(analysis.parsed.cluster, { podCidrs: options.podCidr ?? [] });
    const scope = scopeFromOptions(analysis.parsed.cluster, analysis.graph, options, { io, exposure });
    const exposureRows = rowsToDraw(exposure, scope, options.exposure, boundaryExposureRows);
    const sortedInputs = [...inputs].sort(); // the order inputs are named in changes no byte of the drawing
    // git is asked only when the title block shows its commit: with --commit TEXT or --no-commit, HEAD's date would be another commit's
    const git = options.commit === undefined ? gitState(sortedInputs, io) : null;
    const commit = options.commit === false ? undefined : options.commit ?? (git ? `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` : undefined);
    const date = evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH, git?.date);
    const incomplete = incompleteOf(analysis, options);
    const layoutOptions: LayoutOptions = {
      direction: options.direction, detail: options.detail, scope, exposure: exposureRows, ...(options.expand ? { expand: options.expand } : {}),
      // peers not evaluated, and what staged Calico policies would change: drawn dashed beside the enforced flows, never as them
      ...drawnBesideFlows(analysis),
    };
    const renderOptions: RenderOptions = {
      title: options.title ?? 'Allowed network traffic',
      source: `${sortedInputs.join(' ')} (${describeSources(analysis)})`,
      inputDigest: `sha256:${inputDigest(analysis.sourceTexts)}`,
      toolVersion: toolVersion(),
      clusterPolicies: (analysis.parsed.cluster.clusterPolicies ?? []).length,
      gateways: analysis.parsed.cluster.ingresses.filter((i) => i.kind === 'Gateway').length,
      cni: titleBlockCni(analysis.parsed.cni),
      ...(commit !== undefined ? { commit } : {}),
      date: date ?? 'undated',
      notices: [...(incomplete ? [incomplete] : []), ...notEvaluatedNotices(analysis)],
      ...record,
    };
    const pdfOptions = (on: PageSpec): PdfOptions => ({ page: on, title: options.title ?? 'Allowed network traffic', ...(date ? { creationDate: new Date(date) } : {}) });
    const pngAsked = command.getOptionValueSource('scale') === 'default' ? undefined : '--scale';
    if (page === null) {
      // no page: one drawing at the size it needs, for a screen
      const layout = await layoutGraph(analysis.graph, layoutOptions);
      const svg = renderSvg(layout, renderOptions);
      writeOutput(options.output, format === 'svg' ? svg
        : format === 'html' ? await htmlOf({ svg, layout, layoutOptions, renderOptions, graph: analysis.graph, cluster: analysis.parsed.cluster, scope, title: options.title ?? 'Allowed network traffic' })
        : await pngOf(svg, scale, io, pngAsked), io);
    } else {
      // a page: as many pages of it as keep the text readable on paper
      const { MIN_TEXT_PT, describePage, renderPages } = await import('@netdiagram/render');
      const pages = await renderPages(analysis.graph, layoutOptions, renderOptions, page, { flexibleDirection: command.getOptionValueSource('direction') === 'default' });
      if (pages.length > 1 && format !== 'pdf' && STANDARD_OUTPUT.has(options.output)) {
        throw new UsageError(`the diagram takes ${pages.length} pages of ${describePage(page)}, and standard output holds one file: give -o diagram.${format} (written as diagram-1.${format} … diagram-${pages.length}.${format}), or PDF output`);
      }
      const paths = format === 'pdf' ? [options.output] : pagePaths(options.output, pages.length);
      if (pages.length > 1) {
        io.stderr(`netdiagram: the diagram is split into ${pages.length} pages of ${describePage(page)} (an overview and a page per namespace), as one page would print its text under ${MIN_TEXT_PT} pt` +
          `${format === 'pdf' ? '' : `: ${paths[0]} … ${paths[paths.length - 1]}`}\n`);
      }
      warnSmallText(pages, page, MIN_TEXT_PT, describePage, io);
      if (format === 'pdf') writeOutput(options.output, await pdfOf(pages.map((p) => p.svg), pdfOptions(page)), io);
      else {
        for (const [i, p] of pages.entries()) writeOutput(paths[i]!, format === 'svg' ? p.svg : await pngOf(p.svg, scale, io, pngAsked), io);
      }
    }
    if (analysis.failed) setExit(2);
  });
}

/** `--format`, else the output file's extension, else SVG. */
export function outputFormat(output: string, format: Format | undefined): Format {
  if (format !== undefined) return format;
  const ext = extname(output).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.svg' || ext === '' || output === '-') return 'svg';
  throw new UsageError(`cannot tell the format of "${output}" from its extension; use --format svg, png, pdf or html`);
}

/** The page `--page` names (A3 landscape when not given), refused when it names none. */
async function pageOf(option: string | undefined): Promise<PageSpec> {
  const { DEFAULT_PAGE, PAGE_NAMES, pageNamed } = await import('@netdiagram/render');
  if (option === undefined) return DEFAULT_PAGE;
  const page = pageNamed(option);
  if (page === undefined) throw new UsageError(`--page "${option}" is not a page; give ${PAGE_NAMES}`);
  return page;
}

/** The interactive page, with an expanded view of each collapsed namespace: loaded only for HTML output. */
export async function htmlOf(input: InteractiveInput): Promise<string> {
  const { renderInteractiveHtml } = await import('@netdiagram/view');
  return renderInteractiveHtml(input);
}

async function pdfOf(svg: readonly string[], options: PdfOptions): Promise<Uint8Array> {
  const { renderPdf } = await import('@netdiagram/render');
  return renderPdf(svg, options);
}

/**
 * The exposure rows the diagram draws: every one with `--exposure`, none with `--no-exposure`, and
 * otherwise, when a CDE is marked, the rows that are CDE boundary flows (never silently none: the
 * boundary table numbers them, so the drawing shows them).
 */
export function rowsToDraw(
  exposure: Exposure, scope: CdeScope, option: boolean | undefined,
  boundaryRows: (rows: readonly ExposureRow[], scope: CdeScope) => ExposureRow[],
): readonly ExposureRow[] {
  if (option === true) return exposure.rows;
  if (option === false || !scope.defined) return [];
  return boundaryRows(exposure.rows, scope);
}

/** Whether the diagram will draw a CDE scope: --cde/--out-of-scope, or a zone annotation in the input. */
function scopeRequested(options: ScopeCliOptions, cluster: Cluster): boolean {
  if ((options.cde?.length ?? 0) > 0 || (options.outOfScope?.length ?? 0) > 0) return true;
  return cluster.workloads.some((w) => ZONE_ANNOTATION in w.annotations) || cluster.namespaces.some((n) => ZONE_ANNOTATION in n.annotations);
}

