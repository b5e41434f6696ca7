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
