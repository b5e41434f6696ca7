/**
 * Colours and line styles of the diagram. KDL's hue families (compute green, networking yellow,
 * storage blue) as light fills; edge accents from the Okabe–Ito colour-blind-safe set. Every
 * semantic distinction is also carried by dash or width, so a greyscale print keeps it.
 */
export interface Theme {
  readonly fontFamily: string;
  readonly text: string;
  readonly mutedText: string;
  readonly background: string;
  readonly cluster: { readonly fill: string; readonly stroke: string };
  readonly namespace: { readonly fill: string; readonly stroke: string };
  readonly pod: { readonly fill: string; readonly stroke: string; readonly badge: string; readonly container: string };
  readonly networking: { readonly fill: string; readonly stroke: string; readonly badge: string };
  readonly storage: { readonly fill: string; readonly stroke: string };
  readonly external: { readonly fill: string; readonly stroke: string };
  readonly aggregate: { readonly fill: string; readonly stroke: string };
  readonly warning: string;
  readonly lock: string;
  readonly edges: Readonly<Record<EdgeStyle, EdgeLook>>;
  /**
   * PCI DSS zones: the CDE hatched with a double border, connected-to shapes outlined with a dash,
   * out-of-scope areas shaded grey (the "shaded box" of PCI DSS 1.2.3): all survive greyscale printing.
   */
  readonly zones: {
    readonly cde: { readonly stroke: string; readonly hatch: string; readonly fill: string };
    readonly connected: { readonly stroke: string };
    readonly outOfScope: { readonly fill: string; readonly stroke: string };
  };
  /** The `F1` badge of a flow crossing the CDE boundary. */
  readonly boundaryBadge: { readonly fill: string; readonly text: string };
  /** Diff diagrams: the halo under an added flow, and under a flow whose ports or addresses changed (dashed). */
  readonly changes: { readonly added: string; readonly changed: string };
}

/** How an edge is drawn: colour, width, dash pattern (`''`: solid), arrowhead. */
export interface EdgeLook {
  readonly stroke: string;
  readonly width: number;
  readonly dash: string;
  readonly arrow: 'filled' | 'open';
}

/**
 * What an edge means. `flow`: allowed by policy between pods; `from-outside`: allowed from an
 * address outside the cluster or through an Ingress; `to-outside`: allowed to an outside address;
 * `unrestricted`: a side no NetworkPolicy isolates (default-allow); `route`: Ingress → Service →
 * workload structure, not permission; `broken-route`: a Service route whose named targetPorts name
 * no container port of the backend, so it forwards nothing; `removed`: in a diff diagram, a flow the
 * previous input allowed and this one does not; `staged-add`, `staged-remove`: what staged (never
 * enforced) Calico policies would allow, or stop, were they enforced; `not-evaluated`: a rule to or
 * from a peer netdiagram does not evaluate (an FQDN, a cloud group, an entity with no address).
 */
export type EdgeStyle = 'flow' | 'from-outside' | 'to-outside' | 'unrestricted' | 'route' | 'broken-route' | 'removed' | 'staged-add' | 'staged-remove' | 'not-evaluated';

export const EDGE_STYLES: readonly EdgeStyle[] = ['from-outside', 'flow', 'to-outside', 'unrestricted', 'route', 'broken-route', 'removed', 'staged-add', 'staged-remove', 'not-evaluated'];

/** The default look: KDL fills, Okabe–Ito accents, DejaVu Sans (the font the text is measured in). */
export const defaultTheme: Theme = {
  fontFamily: "'DejaVu Sans', Verdana, sans-serif",
  text: '#1a1a1a',
  mutedText: '#4d4d4d',
  background: '#ffffff',
  cluster: { fill: '#faf6f4', stroke: '#c9827b' },
  namespace: { fill: '#ffffff', stroke: '#7f7f7f' },
  pod: { fill: '#d7e3bf', stroke: '#4a5d23', badge: '#5e7a2c', container: '#c2d69b' },
  networking: { fill: '#fee599', stroke: '#8a6d00', badge: '#ffd965' },
  storage: { fill: '#92cddc', stroke: '#2f6f80' },
  external: { fill: '#ffffff', stroke: '#333333' },
  aggregate: { fill: '#f4f4f4', stroke: '#555555' },
  warning: '#E69F00',
  lock: '#4a5d23',
  edges: {
    flow: { stroke: '#262626', width: 1.25, dash: '', arrow: 'filled' },
    'from-outside': { stroke: '#D55E00', width: 2.5, dash: '', arrow: 'open' },
    'to-outside': { stroke: '#0072B2', width: 1.5, dash: '6 3', arrow: 'filled' },
    unrestricted: { stroke: '#E69F00', width: 1.75, dash: '8 3 2 3', arrow: 'filled' },
    route: { stroke: '#8c8c8c', width: 1, dash: '1.5 2.5', arrow: 'open' },
    // sparse dots in the warning colour, with a gap: a route that leads nowhere
    'broken-route': { stroke: '#E69F00', width: 1.25, dash: '1.5 5 1.5 12', arrow: 'open' },
    removed: { stroke: '#CC79A7', width: 2, dash: '4 4', arrow: 'open' },
    // staged (not enforced): short dashes, green for what would be allowed, wine for what would stop
    'staged-add': { stroke: '#009E73', width: 1.75, dash: '2 3', arrow: 'open' },
    'staged-remove': { stroke: '#882255', width: 1.75, dash: '2 3', arrow: 'open' },
    // long dashes in grey: the rule is drawn, what it admits is not known
    'not-evaluated': { stroke: '#6b6b6b', width: 1.25, dash: '7 4', arrow: 'open' },
  },
  zones: {
    cde: { stroke: '#8b1a1a', hatch: '#e3bcbc', fill: '#fffafa' },
    connected: { stroke: '#333333' },
    outOfScope: { fill: '#e6e6e6', stroke: '#b3b3b3' },
  },
  boundaryBadge: { fill: '#8b1a1a', text: '#ffffff' },
  changes: { added: '#009E73', changed: '#56B4E9' },
};
