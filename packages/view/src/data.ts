/**
 * The graph data an interactive diagram carries beside its SVG, as JSON: what the page searches,
 * highlights and lists. Drawn ids are the layout's; `svg` is the element id the SVG gave the shape.
 */
export interface ExploreData {
  readonly version: 1;
  readonly title: string;
  readonly detail: string;
  readonly nodes: readonly ExploreNode[];
  readonly namespaces: readonly ExploreNamespace[];
  readonly edges: readonly ExploreEdge[];
  readonly flows: readonly ExploreFlow[];
  /** Rule ref (`netpol:ns/name#ingress[0]`) → the policy it belongs to and where it is written. */
  readonly rules: Readonly<Record<string, ExploreRule>>;
  /**
   * The collapsed namespaces the page can expand, sorted: each has a pre-laid-out view (an
   * `ExploreLevel`) in the levels element. Empty when nothing is collapsed.
   */
  readonly expandable: readonly string[];
  /** In an expanded view: the namespace it expands. */
  readonly open?: string;
}

/**
 * A pre-laid-out view of the diagram with one collapsed namespace expanded (the namespace's page:
 * its workloads, every flow to or from them, the namespaces at their other ends as boxes), drawn
 * by the same layout and SVG code as the overview. It shares the overview's flows and rules: its
 * edges index the overview's `flows`, and the page finds the drawn ends of each flow from the
 * nodes' `members` (`drawnEnds`).
 */
export interface ExploreLevel {
  readonly namespace: string;
  readonly detail: string;
  readonly svg: string;
  readonly nodes: readonly ExploreNode[];
  readonly namespaces: readonly ExploreNamespace[];
  readonly edges: readonly ExploreEdge[];
}

export interface ExploreNode {
  /** The drawn id (`shop/web[Deployment]`, `ipblock:…@in`). */
  readonly id: string;
  readonly svg: string;
  readonly kind: string;
  /** What the search and the panel show: `shop/web`, `203.0.113.0/24`. */
  readonly label: string;
  readonly namespace?: string;
  readonly zone?: string;
  /** `key=value` labels of the workloads it stands for. */
  readonly labels: readonly string[];
  /** `TCP/8080` port keys of its badges. */
  readonly ports: readonly string[];
  /** Graph node ids it stands for. */
  readonly members: readonly string[];
  /** A collapsed namespace box: the namespaces it stands for (several: the folded remainder). */
  readonly collapsed?: readonly string[];
}

export interface ExploreNamespace {
  readonly id: string;
  readonly svg: string;
  readonly name: string;
  readonly labels: readonly string[];
}

export interface ExploreEdge {
  readonly id: string;
  readonly svg: string;
  readonly source: string;
  readonly target: string;
  readonly style: string;
  readonly label: string;
  /** The edge's tooltip: what it draws and why. */
  readonly title: string;
  /** CDE boundary numbers (`F1`), empty when it crosses no boundary. */
  readonly boundary: readonly string[];
  /** Whether the SVG draws its label (the labels are drawn in edge order, in `#edge-labels`). */
  readonly labelled: boolean;
  /** Indexes into `flows` of the allowed flows it draws. */
  readonly flows: readonly number[];
}

export interface ExploreFlow {
  /** Graph node ids. */
  readonly from: string;
  readonly to: string;
  /** Drawn ids of its ends, when drawn. */
  readonly fromNode?: string;
  readonly toNode?: string;
  /** `TCP 6379`, `all ports`. */
  readonly ports: string;
  /** `TCP/6379`, `TCP/8000-8080`; empty: every port of every protocol. */
  readonly portRanges: readonly string[];
  readonly protocols: readonly string[];
  readonly via: readonly string[];
  readonly partial: boolean;
  /** Its CDE boundary number, when it crosses the boundary. */
  readonly boundary?: string;
}

export interface ExploreRule {
  /** `ns/name` of a NetworkPolicy, `anp:name` of a cluster-wide one. */
  readonly policy: string;
  /** `policies.yaml:12`, when the input says where. */
  readonly at?: string;
}

/** The id of the `<script type="application/json">` element holding the data. */
export const DATA_ELEMENT_ID = 'netdiagram-data';
/**
 * The id of the `<script type="application/json">` element holding the expanded views: namespace →
 * its `ExploreLevel` as JSON, gzipped, base64.
 */
export const LEVELS_ELEMENT_ID = 'netdiagram-levels';

/**
 * The drawn ends of each flow among the shapes: an outside address by the copy on its side (the
 * source copy sends, the destination copy receives), anything else by the first shape (in drawing
 * order) that stands for it. Shared by the build (the overview) and the page (an expanded view).
 */
export function drawnEnds(nodes: readonly ExploreNode[], flows: readonly ExploreFlow[]): ExploreFlow[] {
  const drawnOf = new Map<string, string>();
  for (const n of nodes) {
    if (n.kind === 'external') continue; // an address is drawn twice (source and destination side)
    for (const m of n.members) if (!drawnOf.has(m)) drawnOf.set(m, n.id);
  }
  const drawn = new Set(nodes.map((n) => n.id));
  const end = (id: string, side: 'in' | 'out'): string | undefined => {
    const external = `${id}@${side}`;
    return drawn.has(external) ? external : drawnOf.get(id);
  };
  return flows.map(({ from, to, fromNode: _from, toNode: _to, ...rest }) => {
    const fromNode = end(from, 'in');
    const toNode = end(to, 'out');
    return { from, to, ...(fromNode !== undefined ? { fromNode } : {}), ...(toNode !== undefined ? { toNode } : {}), ...rest };
  });
}
