import type { SourceLocation } from '../diagnostics.js';
import type { AddressRange } from './ipblock.js';
import type { Protocol } from './ports.js';
import type { TieredObjects } from './calico-types.js';
import type { Labels, Selector } from './selectors.js';

export type WorkloadKind =
  | 'Pod' | 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicationController'
  | (string & {}); // an owner named only by an ownerReference may be of any kind

export interface Namespace {
  readonly name: string;
  /** Always includes `kubernetes.io/metadata.name`. */
  readonly labels: Labels;
  readonly annotations: Labels;
  /** False for namespaces that objects use but no manifest declares. */
  readonly declared: boolean;
  readonly location?: SourceLocation;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A ConfigMap, Secret or PersistentVolumeClaim a pod template refers to (by name only). */
export interface ConfigReference {
  readonly kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';
  readonly name: string;
}

/** A workload: a controller with its pod template, or a bare pod. All its pods share labels and ports. */
export interface Workload {
  /** `namespace/name[Kind]` */
  readonly id: string;
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** Labels of the pod template (what NetworkPolicies and Services select). */
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly ports: readonly ContainerPort[];
  readonly containers: readonly string[];
  readonly replicas?: number;
  /** Pod IPs from `status.podIP(s)` of the workload's pods found in the input. */
  readonly podIPs: readonly string[];
  readonly hostNetwork: boolean;
  /** The pods' service account; absent: `default`. */
  readonly serviceAccount?: string;
  readonly uses: readonly ConfigReference[];
  /** Account-data annotations its controller and pod template state differently (model/workloads.ts): unreadable. */
  readonly conflictingAnnotations?: readonly string[];
  /** False when the workload is known only from its pods' ownerReferences. */
  readonly declared: boolean;
  readonly location?: SourceLocation;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | 'Headless';

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Number, or a container port name resolved per backend pod. */
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly location?: SourceLocation;
}

export interface Service {
  /** `namespace/name[Service]` */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /** undefined: the Service has no selector, so its backends are unknown. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly loadBalancerSourceRanges: readonly string[];
  readonly labels: Labels;
  readonly location?: SourceLocation;
}

export interface IngressBackend {
  readonly service: string;
  /** For a Gateway: the Service's namespace (its route's, or another a ReferenceGrant opens). Absent: the object's own. */
  readonly namespace?: string;
  /** Service port number or name; undefined means every port of the Service (OpenShift Route without `port`). */
  readonly port?: number | string;
  /** For a Gateway: the route that names this backend (`ns/name[HTTPRoute]`). */
  readonly route?: string;
  /** For a Gateway: the protocol its data plane sends on (UDP for a UDPRoute, TCP for the others). */
  readonly protocol?: Protocol;
  readonly location?: SourceLocation;
}

/** One listener of a Gateway: where it takes traffic from outside. */
export interface GatewayListener {
  readonly name: string;
  readonly port: number;
  /** `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP`, or an implementation's own (`example.com/x`). */
  readonly protocol: string;
  readonly hostname?: string;
}

/**
 * An Ingress (networking.k8s.io/v1), an OpenShift Route, or a Gateway (gateway.networking.k8s.io)
 * with the routes attached to it: traffic from the controller's (or the gateway's data-plane) pods to Services.
 */
export interface IngressObject {
  /** `namespace/name[Ingress]`, `namespace/name[Route]` or `namespace/name[Gateway]` */
  readonly id: string;
  readonly kind: 'Ingress' | 'Route' | 'Gateway';
  readonly namespace: string;
  readonly name: string;
  /** For a Gateway: the intersections of its listeners' hostnames with those of the routes attached through them. */
  readonly hosts: readonly string[];
  /** For a Gateway: the backends of every route attached to it, weight 0 and refused references left out. */
  readonly backends: readonly IngressBackend[];
  /** A Gateway's listeners, in the order written. Absent for an Ingress or Route. */
  readonly listeners?: readonly GatewayListener[];
  /** The ids of the routes attached to a Gateway (`ns/name[HTTPRoute]`), sorted. Absent for an Ingress or Route. */
  readonly routes?: readonly string[];
  readonly location?: SourceLocation;
}

/** A named ConfigMap, Secret, PVC or PV in the input. Only names are kept: never a Secret's data. */
export interface ConfigObject {
  readonly id: string;
  readonly kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'PersistentVolume';
  readonly namespace?: string;
  readonly name: string;
  /** For a PVC: the PersistentVolume it is bound to. */
  readonly volumeName?: string;
  /** For a PV: the claim bound to it (`namespace/name`, from `spec.claimRef`). */
  readonly claim?: string;
  /** For a PV: what provides the storage (`nfs`, `csi: ebs.csi.aws.com`, `hostPath`…); for a PVC: its storage class. */
  readonly provider?: string;
  readonly location?: SourceLocation;
}

// ---- NetworkPolicy, compiled into printable rule values

export interface PortRule {
  readonly protocol: Protocol;
  /** undefined: every port of the protocol */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** undefined `ports` means every port (the rule's `ports` was absent or empty). */
export type PortRules = readonly PortRule[] | undefined;

export type Peer =
  | {
      readonly kind: 'pods';
      /** undefined: the policy's own namespace */
      readonly namespaces: Selector | undefined;
      readonly pods: Selector;
    }
  | {
      readonly kind: 'ipblock';
      readonly cidr: string;
      readonly except: readonly string[];
      /** cidr minus every except */
      readonly ranges: readonly AddressRange[];
    };

export interface PolicyRule {
  /** `netpol:ns/name#ingress[0]` */
  readonly ref: string;
  /** undefined: every peer (`from`/`to` absent or empty) */
  readonly peers: readonly Peer[] | undefined;
  readonly ports: PortRules;
  readonly location?: SourceLocation;
}

export interface NetworkPolicy {
  /** `namespace/name` */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  /** Which directions the policy isolates (from `policyTypes`, or its defaults). */
  readonly ingressIsolation: boolean;
  readonly egressIsolation: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly location?: SourceLocation;
  /** `metadata.uid` and `metadata.resourceVersion`, when the manifest carries them (a cluster dump): the control's identity in the cluster. */
  readonly identity?: ObjectIdentity;
}

/** The API server's names for one version of an object. */
export interface ObjectIdentity {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

// ---- cluster-wide policies (policy.networking.k8s.io), compiled into one tiered rule model

/** The tiers cluster-wide policies sit in: Admin before NetworkPolicies, Baseline after them. */
export type ClusterTier = 'admin' | 'baseline';

/** What a rule does to the traffic it matches; v1alpha1's `Allow` and v1alpha2's `Accept` are both `allow`. */
export type RuleAction = 'allow' | 'deny' | 'pass';

/** Pods in the namespaces one selector matches and with the labels another matches (a `namespaces` peer: every pod). */
export interface NamespacedPods {
  readonly namespaces: Selector;
  readonly pods: Selector;
}

export type ClusterPeer =
  | ({ readonly kind: 'pods' } & NamespacedPods)
  | {
      readonly kind: 'networks';
      /** Canonical CIDRs as written. */
      readonly cidrs: readonly string[];
      readonly ranges: readonly AddressRange[];
    }
  /** Node IPs of the nodes a selector matches: nodes are not in the input, so this matches nothing netdiagram draws. */
  | { readonly kind: 'nodes'; readonly nodes: Selector }
  /** Destinations named by DNS: not resolvable to addresses from manifests. */
  | { readonly kind: 'domains'; readonly names: readonly string[] };

export interface ClusterRule {
  /** `cnp:name#egress[2]`, `anp:name#ingress[0]`, `banp:default#egress[1]` */
  readonly ref: string;
  /** The rule's own `name`, when it has one. */
  readonly name?: string;
  readonly action: RuleAction;
  readonly peers: readonly ClusterPeer[];
  /** undefined: every protocol and port (`protocols`/`ports` absent). */
  readonly ports: PortRules;
  readonly location?: SourceLocation;
}

export interface ClusterPolicy {
  /** `cnp:name`, `anp:name` or `banp:name`: the kind is part of the id, as two kinds may share a name. */
  readonly id: string;
  readonly kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  readonly name: string;
  readonly tier: ClusterTier;
  /** Lower first within a tier (0-1000); a BaselineAdminNetworkPolicy, a singleton, has 0. */
  readonly priority: number;
  readonly subject: NamespacedPods;
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
  readonly location?: SourceLocation;
  readonly identity?: ObjectIdentity;
}

/** Everything netdiagram knows about the input cluster. */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly ingresses: readonly IngressObject[];
  readonly policies: readonly NetworkPolicy[];
  /**
   * ClusterNetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicies, in evaluation
   * order: tier, then priority, then name (the API leaves ties to the implementation; audit reports them).
   * Absent in clusters built before these were read: none.
   */
  readonly clusterPolicies?: readonly ClusterPolicy[];
  readonly configs: readonly ConfigObject[];
  /**
   * Calico's own objects, read under the calico CNI profile (absent under the others): with them,
   * Calico's tier walk decides every verdict, NetworkPolicies placed in its tier `default`.
   */
  readonly calico?: TieredObjects;
  /**
   * Cilium's policies, read under the cilium CNI profile and compiled into the same tier model
   * (policy/cilium.ts): deny rules first, then the allows, NetworkPolicies among them.
   */
  readonly cilium?: TieredObjects;
}
