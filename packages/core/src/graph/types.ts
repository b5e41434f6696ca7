import type { MultiDirectedGraph } from 'graphology';
import type { Diagnostic } from '../diagnostics.js';
import type { PortSet } from '../model/ports.js';
import type { Labels } from '../model/selectors.js';
import type { ConfigReference, ContainerPort, GatewayListener, ServicePort, ServiceType } from '../model/types.js';

export interface WorkloadNode {
  readonly type: 'workload';
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly containers: readonly string[];
  readonly replicas?: number;
  readonly hostNetwork: boolean;
  /** Whether any policy isolates the workload for ingress / egress (false: default-allow). */
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  /**
   * Isolated for ingress (egress), but the isolating policies admit every pod of every namespace and
   * every outside address on every port: isolated in name only, nothing is restricted. Absent: false.
   */
  readonly ingressInNameOnly?: boolean;
  readonly egressInNameOnly?: boolean;
  /** Cluster-wide policies (Admin or Baseline tier) decide some of its ingress / egress. Absent: none. */
  readonly ingressTiers?: true;
  readonly egressTiers?: true;
  readonly uses: readonly ConfigReference[];
  readonly annotations: Labels;
}

export interface ServiceNode {
  readonly type: 'service';
  readonly namespace: string;
  readonly name: string;
  readonly serviceType: ServiceType;
  readonly ports: readonly ServicePort[];
  readonly labels: Labels;
}

export interface IngressNode {
  readonly type: 'ingress';
  readonly kind: 'Ingress' | 'Route' | 'Gateway';
  readonly namespace: string;
  readonly name: string;
  readonly hosts: readonly string[];
  /** A Gateway's listeners (name, port, protocol, hostname). Absent for an Ingress or Route. */
  readonly listeners?: readonly GatewayListener[];
  /** The routes attached to a Gateway (`ns/name[HTTPRoute]`). Absent for an Ingress or Route. */
  readonly routes?: readonly string[];
}

export interface ExternalNode {
  readonly type: 'external';
  /** Canonical CIDRs, IPv4 first. */
  readonly ips: readonly string[];
  /** A readable name: `Internet`, an ipBlock as written (`0.0.0.0/0 except 10.96.0.0/12`), or the CIDRs. */
  readonly label: string;
  /**
   * Destinations named by DNS (a cluster-wide policy's `domainNames`): the addresses behind them are
   * not known, so `ips` is empty. Absent for address sets.
   */
  readonly domains?: readonly string[];
  /**
   * The named objects whose addresses are exactly these (`netset: ns/name`, `globalnetset: name`
   * for Calico NetworkSets and GlobalNetworkSets, `entity: world` for a Cilium entity), sorted: the
   * diagram draws the set by these names. Absent when none is.
   */
  readonly names?: readonly string[];
}

export type NodeAttributes = WorkloadNode | ServiceNode | IngressNode | ExternalNode;

/** An allowed flow: both the source's egress and the destination's ingress admit these ports. */
export interface FlowEdge {
  readonly type: 'flow';
  readonly ports: PortSet;
  /** Policy rules (`netpol:ns/name#ingress[0]`) or `default-allow:ingress|egress` that admit it. */
  readonly via: readonly string[];
  /** Allowed only through an ipBlock that covers some of the pods' possible addresses (`--pod-cidr`). */
  readonly partial: boolean;
  /** L7-restricted: a rule admitting it also matches HTTP fields, which are not evaluated (Calico `http`). Absent: false. */
  readonly l7?: boolean;
}

/** Structure, not permission: Ingress → Service → workload, and outside → exposed Service. */
export interface RouteEdge {
  readonly type: 'route';
  readonly ports: PortSet;
  /**
   * The Service's named targetPorts resolve to no container port of this backend: the route carries
   * no port at all (never "every port"), and the diagram draws it broken.
   */
  readonly unresolved?: true;
}

export type EdgeAttributes = FlowEdge | RouteEdge;

export interface GraphAttributes {
  readonly namespaces: readonly { readonly name: string; readonly labels: Labels }[];
  readonly diagnostics: readonly Diagnostic[];
  /** Allowed flows left out by `openFlows: 'omit'` (both sides default-allow); 0 otherwise. */
  readonly omittedOpenFlows: number;
  /**
   * Present only when built with `openFlows: 'omit'`: the sets of outside addresses that the omitted
   * flows connect, `inbound` to every workload open for ingress and `outbound` from every workload
   * open for egress. A set reached only by omitted flows is no node of the graph, so its attributes
   * are here; with them `listFlows` lists every omitted flow without the graph holding it.
   */
  readonly openExternals?: {
    readonly inbound: readonly { readonly id: string; readonly node: ExternalNode }[];
    readonly outbound: readonly { readonly id: string; readonly node: ExternalNode }[];
  };
  /** PersistentVolumes in the input and the claims bound to them (claim ids `namespace/name`). */
  readonly persistentVolumes: readonly { readonly name: string; readonly provider?: string; readonly claims: readonly string[] }[];
}

/** The allowed-traffic graph: read-only after `buildTrafficGraph` returns it. */
export type TrafficGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes, GraphAttributes>;
