import type { Theme } from './theme.js';
import { element } from './svg-writer.js';
import { drawText, FONT, lineHeight, textWidth } from './shapes/text.js';
import { wrapText } from './wrap.js';
import type { DiagramChanges, DiagramScope, DiagramStats, Detail } from './view/types.js';

/** What the title block reports about the drawing itself. */
export interface DrawingFacts {
  readonly stats: DiagramStats;
  readonly detail: Detail;
  readonly scope?: DiagramScope;
  readonly changes?: DiagramChanges;
  readonly staged?: DiagramChanges;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** The sentence every diagram states: what the arrows mean and what they assume. */
export const ASSUMPTION = 'allowed by NetworkPolicy, assuming a CNI that enforces it; not observed traffic';
/** The same, for an input with cluster-wide policies: they decide before and after NetworkPolicies. */
export const TIERED_ASSUMPTION = 'allowed by NetworkPolicy and the cluster-wide Admin and Baseline tiers, assuming a CNI that enforces them; not observed traffic';

/** The same, judged for Calico: its policy tiers, with NetworkPolicies in tier `default` at order 1000. */
export const CALICO_ASSUMPTION = 'allowed by Calico\u2019s policy tiers and the NetworkPolicies it places in them, as Calico evaluates them; not observed traffic';

/** The same, judged for Cilium: its deny rules before every allow, NetworkPolicies among the allows. */
export const CILIUM_ASSUMPTION = 'allowed by Cilium\u2019s policies and the NetworkPolicies beside them (deny before allow), as Cilium evaluates them; not observed traffic';

/** What the arrows mean for this drawing. */
export function assumptionOf(info: Pick<TitleBlockInfo, 'clusterPolicies' | 'cni'>): string {
  if (info.cni?.name === 'calico') return CALICO_ASSUMPTION;
  if (info.cni?.name === 'cilium') return CILIUM_ASSUMPTION;
  return (info.clusterPolicies ?? 0) > 0 ? TIERED_ASSUMPTION : ASSUMPTION;
}

/** What the title block says about where the diagram came from. */
export interface TitleBlockInfo {
  readonly title?: string;
  /** The inputs, as the user named them. */
  readonly source?: string;
  /** `sha256:…` of the canonical inputs. */
  readonly inputDigest?: string;
  readonly commit?: string;
  readonly toolVersion?: string;
  /** How many cluster-wide policies (ClusterNetworkPolicy, AdminNetworkPolicy…) the input has: they change what the arrows mean. */
  readonly clusterPolicies?: number;
  /**
   * The network plugin the input was judged for. Shown unless it is the generic profile by default
   * (then the assumption sentence says it all).
   */
  readonly cni?: { readonly name: string; readonly description: string; readonly shown: boolean };
  /**
   * How many Gateways (Gateway API) the input has: each is taken as programmed and accepted by its
   * controller (its GatewayClass and status are not read), which the title block says once.
   */
  readonly gateways?: number;
  /** The generation date as text (`2025-07-01`); never taken from the clock. */
  readonly date?: string;
  /**
   * What the reader must know before trusting the drawing ("INCOMPLETE: 2 objects left out…",
   * "3 CiliumNetworkPolicies are not evaluated…"): drawn first, bold, in the CDE colour.
   */
  readonly notices?: readonly string[];
  /** Who made the diagram and who approved it (PCI DSS 1.2.3 good practice), and when it is next reviewed: user input, drawn as given. */
  readonly preparedBy?: string;
  readonly approvedBy?: string;
  readonly reviewDate?: string;
  /** In a multi-page diagram: this page's number, the page count, and what the page draws. */
  readonly page?: PageInfo;
}

/** Where a page stands in a multi-page diagram (see `renderPages`). */
export interface PageInfo {
  readonly number: number;
  readonly total: number;
  /** What this page draws: `the overview: …`, `namespace checkout: …`. */
  readonly shows: string;
}

const PAD = 12;
const KEY_WIDTH = 86;
const TITLE_SIZE = FONT.title;
const ROW = lineHeight(FONT.small + 1);

/** Values and the title wrap past these many characters; nothing in the title block is shortened. */
const VALUE_CHARS = 80;
const TITLE_CHARS = 64;

/** The key–value rows, each value wrapped onto its lines. */
function rows(info: TitleBlockInfo, facts: DrawingFacts): [string, string[]][] {
  return valueRows(info, facts).map(([key, value]) => [key, wrapText(value, VALUE_CHARS)]);
}

function titleLines(info: TitleBlockInfo): string[] {
  return wrapText(info.title ?? 'Allowed network traffic', TITLE_CHARS);
}

function valueRows(info: TitleBlockInfo, facts: DrawingFacts): [string, string][] {
  const { stats, detail, scope, changes, staged } = facts;
  const out: [string, string][] = [];
  if (info.page !== undefined) out.push(['Page', `${info.page.number} / ${info.page.total} · ${info.page.shows}`]);
  if (info.source !== undefined) out.push(['Source', info.source]);
  if (info.inputDigest !== undefined) out.push(['Input digest', info.inputDigest]);
  if (info.commit !== undefined) out.push(['Commit', info.commit]);
  if (info.cni?.shown) out.push(['CNI profile', info.cni.description]);
  if ((info.gateways ?? 0) > 0) {
    const n = info.gateways!;
    out.push(['Gateways', `${n}, ${n === 1 ? '' : 'each '}taken as programmed and accepted by its controller`]);
  }
  const generated = [info.date, info.toolVersion !== undefined ? `netdiagram ${info.toolVersion}` : undefined].filter((s) => s !== undefined);
  if (generated.length > 0) out.push(['Generated', generated.join(' · ')]);
  if (info.preparedBy !== undefined) out.push(['Prepared by', info.preparedBy]);
  if (info.approvedBy !== undefined) out.push(['Approved by', info.approvedBy]);
  if (info.reviewDate !== undefined) out.push(['Next review', info.reviewDate]);
  out.push(['Counts', `${stats.workloads} workload${stats.workloads === 1 ? '' : 's'} · ${stats.flows} allowed flow${stats.flows === 1 ? '' : 's'} · ${stats.unrestrictedWorkloads} unrestricted workload${stats.unrestrictedWorkloads === 1 ? '' : 's'}`]);
  if (scope) {
    const by = scope.selectors.length > 0 ? scope.selectors.join(' or ') : 'zone annotations';
    out.push(['Scope', `PCI DSS CDE (${by}): ${plural(scope.cdeWorkloads, 'workload')} · ${scope.connected} connected-to · ${plural(scope.boundary.length, 'boundary flow')}`]);
  }
  if (changes) out.push(['Changes', `${changes.added} added · ${changes.removed} removed · ${changes.changed} changed, since the previous input`]);
  if (staged) out.push(['Staged', `not enforced: enforced, the staged policies would add ${staged.added}, remove ${staged.removed} and change ${staged.changed} flow${staged.added + staged.removed + staged.changed === 1 ? '' : 's'} (drawn dashed: staged + and staged −)`]);
  out.push(['Detail', `${detail}${detail === 'full' ? '' : ' (aggregated: see each shape\u2019s tooltip)'}`]);
  return out;
}

/** Size of the title block. */
export function titleBlockSize(info: TitleBlockInfo, facts: DrawingFacts): { width: number; height: number } {
  const title = titleLines(info);
  const lines = rows(info, facts);
  const notices = info.notices ?? [];
  const noticeWidth = Math.max(0, ...notices.map((n) => textWidth(n, { size: FONT.small + 1, bold: true })));
  const width = Math.max(
    ...title.map((t) => textWidth(t, { size: TITLE_SIZE, bold: true })),
    textWidth(`Meaning: ${assumptionOf(info)}`, { size: FONT.small + 1, bold: true }),
    ...lines.flatMap(([, v]) => v.map((line) => KEY_WIDTH + textWidth(line, { size: FONT.small + 1 }))),
    noticeWidth,
  ) + 2 * PAD;
  const valueLines = lines.reduce((sum, [, v]) => sum + v.length, 0);
  const height = PAD + lineHeight(TITLE_SIZE) * title.length + 4 + ROW * (notices.length + valueLines + 1) + PAD;
  return { width: Math.ceil(width), height: Math.ceil(height) };
}

/** The title block at `(x, y)`: title, assumption, source, digest, commit, date and version, counts. */
export function drawTitleBlock(info: TitleBlockInfo, facts: DrawingFacts, x: number, y: number, theme: Theme): string {
  const size = titleBlockSize(info, facts);
  const title = titleLines(info);
  const parts = [
    element('rect', { x, y, width: size.width, height: size.height, fill: theme.background, stroke: theme.text, 'stroke-width': 1 }),
    ...title.map((t, i) => drawText(t, x + PAD, y + PAD + TITLE_SIZE + i * lineHeight(TITLE_SIZE), { size: TITLE_SIZE, bold: true })),
  ];
  let row = y + PAD + lineHeight(TITLE_SIZE) * title.length + 4;
  // notices are never truncated: they say what the drawing leaves out
  for (const notice of info.notices ?? []) {
    parts.push(drawText(notice, x + PAD, row + FONT.small + 1, { size: FONT.small + 1, bold: true, fill: theme.zones.cde.stroke }));
    row += ROW;
  }
  parts.push(drawText(`Meaning: ${assumptionOf(info)}`, x + PAD, row + FONT.small + 1, { size: FONT.small + 1, bold: true }));
  row += ROW;
  for (const [key, value] of rows(info, facts)) {
    parts.push(drawText(key, x + PAD, row + FONT.small + 1, { size: FONT.small + 1, fill: theme.mutedText }));
    for (const line of value) {
      parts.push(drawText(line, x + PAD + KEY_WIDTH, row + FONT.small + 1, { size: FONT.small + 1 }));
      row += ROW;
    }
  }
  return element('g', { id: 'title-block' }, parts);
}
