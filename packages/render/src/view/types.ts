import type { BoundaryFlow, PortSet, Protocol } from '@netdiagram/core';
import type { EdgeStyle } from '../theme.js';

/** How much the diagram shows: see `chooseDetail` for what `auto` picks. */
export type Detail = 'full' | 'workload' | 'namespace';
export type DetailOption = Detail | 'auto';
/** `right`: untrusted sources left, egress destinations right. `down`: KDL's top-to-bottom. */
export type Direction = 'right' | 'down';

/** A port square on a workload or Service: where flows and routes land. */
export interface PortBadge {
  /** Unique within its node: `TCP/8080`. */
  readonly key: string;
  readonly protocol: Protocol;
  readonly port: number;
  /** `8080`, `53/UDP`. */
  readonly label: string;
  readonly title: string;
}

/** A ConfigMap, Secret or PersistentVolumeClaim a workload uses, drawn as a KDL blue box. */
export interface ConfigBadge {
  readonly kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';
  readonly name: string;
}

/** KDL controller codes. */
export type ControllerCode = 'D' | 'SS' | 'DS' | 'J' | 'CJ' | 'RS' | 'RC' | 'P' | '?';
/** KDL Service type codes. */
export type ServiceCode = 'CIP' | 'HS' | 'NP' | 'LB' | 'EN';

interface NodeBase {
  /** Unique id, derived from the graph's node ids (`shop/web[Deployment]`, `@ns:shop`, `ipblock:…@in`). */
  readonly id: string;
  /** Id of the enclosing container (`@cluster`, `@ns:shop`); undefined: outside the cluster. */
  readonly parent: string | undefined;
  /** Tooltip text: the full names behind any shortened label. */
  readonly title: string;
  /** Where the shape stands in PCI DSS scope, when a scope was given (outside addresses and ANY have none). */
  readonly zone?: ScopeZone;
}

/** A drawn shape's PCI DSS zone: in the CDE, connected to it, or out of scope. */
export type ScopeZone = 'cde' | 'connected' | 'out-of-scope';

export interface WorkloadShape extends NodeBase {
  readonly kind: 'workload';
  /** Cluster-wide policies decide some of its traffic (its padlock says so). Absent: none. */
  readonly tiers?: true;
  readonly name: string;
  readonly namespace: string;
  readonly workloadKind: string;
  readonly controller: ControllerCode;
  readonly replicas?: number;
  /** More than 1: workloads with identical connectivity drawn as one node (`×12`). */
  readonly count: number;
  /** The graph ids of the workloads it stands for (`count` of them), in the graph's order. */
  readonly members: readonly string[];
  readonly ports: readonly PortBadge[];
  /** Container names (full detail only). */
  readonly containers: readonly string[];
  /** ConfigMaps, Secrets, PVCs (full detail only). */
  readonly configs: readonly ConfigBadge[];
  /** Services folded into the workload (workload detail): `LB web 80→8080`. */
  readonly services: readonly string[];
  /**
   * Services whose only backend this workload is (full detail): drawn as KDL stadiums right before
   * the pod, with their own port squares.
   */
  readonly attached: readonly AttachedService[];
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  /** Isolated, but the policies admit every peer on every port: drawn with the warning triangle, never the padlock. */
  readonly ingressInNameOnly: boolean;
  readonly egressInNameOnly: boolean;
  /**
   * In a data-flow diagram: what the workload's team states it does with account data (roles, in
   * the order stores, processes, transmits) and its data-flow names. Drawn as a line under its
   * name; `stores` also links it to a data-store cylinder.
   */
  readonly accountData?: { readonly roles: readonly string[]; readonly flows: readonly string[] };
}

/** A Service drawn as part of its only backend's shape. */
export interface AttachedService {
  readonly name: string;
  readonly serviceType: string;
  readonly code: ServiceCode;
  readonly ports: readonly PortBadge[];
  readonly title: string;
}

export interface ServiceShape extends NodeBase {
  readonly kind: 'service';
  readonly name: string;
  readonly namespace: string;
  readonly serviceType: string;
  readonly code: ServiceCode;
  readonly ports: readonly PortBadge[];
}

export interface IngressShape extends NodeBase {
  readonly kind: 'ingress';
  readonly name: string;
  readonly namespace: string;
  readonly ingressKind: 'Ingress' | 'Route' | 'Gateway';
  readonly hosts: readonly string[];
  /** A Gateway's listeners as drawn (`HTTPS 443`), in the order written; empty for an Ingress or Route. */
  readonly listeners: readonly string[];
}

export interface ExternalShape extends NodeBase {
  readonly kind: 'external';
  /** Whether this copy sends traffic into the cluster (left) or receives it (right). */
  readonly side: 'source' | 'destination';
  /** The whole outside address space: drawn as a cloud. */
  readonly internet: boolean;
  /** `203.0.113.0/24`; a second line `except …` when the ipBlock has exceptions. */
  readonly lines: readonly string[];
  /**
   * `not-evaluated`: a peer a rule names that netdiagram cannot evaluate (`fqdn: api.stripe.com`,
   * `entity: kube-apiserver`), drawn dashed; `named`: addresses a named object holds (a Calico
   * NetworkSet, a Cilium entity), drawn with its name.
   */
  readonly variant?: 'not-evaluated' | 'named';
}

/** Every pod and every address: the peer of workloads no policy isolates. */
export interface AnyShape extends NodeBase {
  readonly kind: 'any';
  readonly side: 'source' | 'destination';
}

/**
 * A representative peer: the pods a policy rule admits by selector, whether or not the input holds
 * any of them (exposure analysis). Drawn as a dashed, empty pod inside a dashed namespace box (or
 * inside the drawn box of the namespace it names); the entire cluster is one shape beside ANY.
 */
export interface RepresentativeShape extends NodeBase {
  readonly kind: 'representative';
  /** `any pod · app=monitoring`, `any pod`, or `any pod in the cluster`. */
  readonly label: string;
  /** Every pod of every namespace: drawn outside the cluster box, next to ANY. */
  readonly entireCluster: boolean;
  /** For the entire cluster, which copy: sources left, destinations right (as ANY). */
  readonly side?: 'source' | 'destination';
}

/** Several workloads of one namespace that share a flow, drawn as one dotted peer. */
export interface PeerGroupShape extends NodeBase {
  readonly kind: 'peer-group';
  readonly namespace: string;
  readonly members: readonly string[];
}

/** A collapsed namespace (or several small ones) at namespace detail. */
export interface NamespaceSummaryShape extends NodeBase {
  readonly kind: 'namespace-summary';
  /** The namespace names it stands for (more than one: the folded remainder). */
  readonly namespaces: readonly string[];
  readonly workloads: number;
  readonly ingressIsolated: number;
  readonly egressIsolated: number;
  readonly services: number;
  readonly ingresses: number;
  readonly internalFlows: number;
  /** In a multi-page diagram, the page (or pages) that draw its namespaces' workloads: `page 3`. */
  readonly pageRef?: string;
}

/**
 * On the overview of a multi-page diagram: the namespaces that each have a flow with one namespace
 * on the same ports (every namespace → kube-system on TCP/UDP 53, monitoring → every namespace on
 * its metrics port), drawn as one dotted box naming them so those flows are one edge, not one per
 * namespace. Each of them still has its own box (and page) beside it.
 */
export interface NamespaceSetShape extends NodeBase {
  readonly kind: 'namespace-set';
  /** The namespaces it names, sorted. */
  readonly namespaces: readonly string[];
  /** Every drawn namespace but the one at the edge's other end. */
  readonly everyOther: boolean;
}

/** A workload or Ingress of the previous input that is gone, drawn so its removed flows have an end (diff diagrams only). */
export interface RemovedShape extends NodeBase {
  readonly kind: 'removed';
  readonly name: string;
  readonly namespace: string;
  /** `Deployment`, `Ingress`, … */
  readonly objectKind: string;
}

/**
 * A PersistentVolume (full detail only), drawn as KDL's blue cylinder on the cluster's edge: storage
 * is external to the pods. Linked by a route-style line to the workloads whose claims it is bound to.
 */
export interface VolumeShape extends NodeBase {
  readonly kind: 'volume';
  readonly name: string;
  /** The CSI driver or in-tree volume type (`ebs.csi.aws.com`, `nfs`), when the input names one. */
  readonly provider?: string;
  /** Bound claims, `namespace/name`. */
  readonly claims: readonly string[];
}

/**
 * In a data-flow diagram: the account data a `stores` workload keeps, drawn as KDL's storage
 * cylinder linked to it. It stands for the team's statement, not for a volume netdiagram has seen.
 */
export interface DataStoreShape extends NodeBase {
  readonly kind: 'data-store';
  /** The id of the workload that stores it. */
  readonly workload: string;
  /** `account data`, then the data-flow names when there are any. */
  readonly lines: readonly string[];
}

export type DiagramNode = DataStoreShape | WorkloadShape | ServiceShape | IngressShape | ExternalShape | AnyShape | RepresentativeShape | PeerGroupShape | NamespaceSummaryShape | NamespaceSetShape | RemovedShape | VolumeShape;

/**
 * The cluster box, the namespace boxes inside it, and the CDE zones: a `cde` box inside a namespace
 * holds the namespace's CDE shapes when only some of them are in the CDE. A `peer-namespace` box is
 * dashed: the namespaces a representative peer names by selector (or by name, when the input draws
 * no box for it), whether or not the input holds them.
 */
export interface DiagramContainer {
  readonly kind: 'cluster' | 'namespace' | 'cde' | 'peer-namespace';
  readonly id: string;
  readonly parent: string | undefined;
  readonly label: string;
  /** A second header line, e.g. workloads of the namespace all reaching each other. */
  readonly note?: string;
  /** A namespace wholly in the CDE (drawn as the CDE zone) or wholly out of scope (shaded). */
  readonly zone?: 'cde' | 'out-of-scope';
  readonly title: string;
}

export interface DiagramEdge {
  /** `source->target`, from the drawn endpoints' ids, plus `#route` for structure. */
  readonly id: string;
  readonly source: string;
  readonly sourcePort?: string;
  readonly target: string;
  readonly targetPort?: string;
  readonly style: EdgeStyle;
  /** `TCP 6379`, `ALL`, `37 flows · TCP 443,5432 +9`; empty for routes. */
  readonly label: string;
  /** Draw the label bold (`ALL`). */
  readonly strong: boolean;
  readonly title: string;
  /** Numbers (`F1`, `F2`) of the CDE boundary flows this edge draws, in order; drawn as a badge on the label. */
  readonly boundary?: readonly string[];
  /** In a diff diagram: every flow of the edge is new (`added`), or some of its ports or addresses changed. */
  readonly change?: 'added' | 'changed';
}

/** Counts for the title block. */
export interface DiagramStats {
  readonly workloads: number;
  readonly flows: number;
  /** Workloads that no policy isolates for ingress or for egress. */
  readonly unrestrictedWorkloads: number;
  readonly namespaces: number;
  /** Leaf shapes drawn (not counting the cluster and namespace boxes). */
  readonly drawnNodes: number;
}

/** The PCI DSS scope a diagram shows: who marks the CDE, counts, and the numbered boundary flows. */
export interface DiagramScope {
  /** The CDE selectors (`app=pci`); empty when only annotations mark the CDE. */
  readonly selectors: readonly string[];
  readonly cdeWorkloads: number;
  readonly connected: number;
  readonly boundary: readonly BoundaryFlow[];
  /** On one namespace's page of a multi-page diagram: the boundary flows the page draws, which its table lists (numbered as in `boundary`). */
  readonly listed?: readonly BoundaryFlow[];
}

/** How many flows a diff diagram shows as added, removed and changed (the counts of `diffFlows`). */
export interface DiagramChanges {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

/** What to draw, before it has coordinates. */
export interface DiagramView {
  readonly detail: Detail;
  readonly containers: readonly DiagramContainer[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly stats: DiagramStats;
  /** Present when a CDE is marked. */
  readonly scope?: DiagramScope;
  /** Present in a diff diagram. */
  readonly changes?: DiagramChanges;
  /** Present when staged policies would change a flow: what they would add, remove and change (drawn dashed, never enforced). */
  readonly staged?: DiagramChanges;
}

export type { PortSet };
