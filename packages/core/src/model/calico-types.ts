import type { SourceLocation } from '../diagnostics.js';
import type { CalicoSelector } from './calico-selector.js';
import type { AddressRange } from './ipblock.js';
import type { PortSet } from './ports.js';
import type { Labels, Selector } from './selectors.js';
import type { NetworkPolicy, PortRules, ServicePort } from './types.js';

/**
 * The tiered rule model: tiers in order, each with its policies in order, each with its rules in
 * order (`TieredPolicy`, `TieredRule`, `TieredEntity`, `PolicyTier`), which the tiered evaluator
 * (policy/calico-tiers.ts) walks. It is Calico's policy model (projectcalico.org/v3,
 * api/pkg/apis/projectcalico/v3 at 87c15906), and the cilium profile compiles Cilium's policies
 * into it too (policy/cilium.ts); Kubernetes NetworkPolicies and the network-policy-api's
 * cluster-wide policies are placed into it the way Calico converts them. Names that stay Calico's
 * (`CalicoSelector`, `StagedCalicoPolicy`, `NetworkSet`) are Calico's own objects.
 */

/** Labels a selector is matched against: a Calico expression, or a Kubernetes label selector (converted policies). */
export type EndpointSelector =
  | { readonly kind: 'calico'; readonly selector: CalicoSelector }
  | { readonly kind: 'labels'; readonly selector: Selector }
  /** A Cilium selector, over a pod's identity labels (policy/cilium.ts ciliumLabels). */
  | { readonly kind: 'cilium'; readonly selector: Selector };

/**
 * Which namespaces a selector is confined to (updateprocessors/rules.go getEndpointSelector): a
 * namespaced policy's own namespace, a namespaceSelector (on namespace labels; in Calico syntax
 * `all()` means every namespaced endpoint and `global()` only non-namespaced ones), or any.
 */
export type NamespaceScope =
  | { readonly kind: 'any' }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'selector'; readonly selector: EndpointSelector };

/** The endpoints (pods, NetworkSets, GlobalNetworkSets) a rule's selector fields pick out, ANDed. */
export interface EndpointMatch {
  readonly namespace: NamespaceScope;
  /** undefined: every endpoint of those namespaces */
  readonly selector?: EndpointSelector;
  /** `serviceAccounts`: names and selector, ANDed. */
  readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: CalicoSelector };
}

/** A Service a rule names (`services`), resolved against the input's Services. */
export interface ServiceEndpoints {
  readonly namespace: string;
  readonly name: string;
  /** undefined: the Service is not in the input, or has no selector: it matches no pod netdiagram knows. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
}

/** A rule's `source` or `destination`: every field set must match (EntityRule). */
export interface TieredEntity {
  /** `nets`, as one union of ranges. */
  readonly nets?: readonly AddressRange[];
  /** How `nets` were written, when as CIDRs with exceptions (Cilium's CIDR sets): how outside addresses are named. */
  readonly blocks?: readonly { readonly cidr: string; readonly except: readonly string[] }[];
  readonly notNets?: readonly AddressRange[];
  /** undefined: no selector field is set, so the rule matches packets of any origin. */
  readonly endpoints?: EndpointMatch;
  /** Matches every packet except those of endpoints it selects, outside addresses included. */
  readonly notSelector?: CalicoSelector;
  /** Destination ports (in `destination`), or source ports (in `source`, which netdiagram cannot judge). */
  readonly ports?: PortRules;
  readonly notPorts?: PortRules;
  readonly services?: ServiceEndpoints;
  /** A converted peer that matches nothing netdiagram places (a ClusterNetworkPolicy `nodes` or `domainNames` peer). */
  readonly nothing?: boolean;
  /**
   * A peer netdiagram cannot evaluate from the manifests, as the rule names it (`fqdn:
   * api.stripe.com`, `entity: kube-apiserver`, a Service not in the input): matched to nothing
   * (with `nothing`, or a field that matches nothing), drawn as a dashed peer.
   */
  readonly notEvaluated?: string;
  /** With `nets`: the Cilium entity the addresses stand for (`world`, `world-ipv4`, `all`), to name them in the diagram. */
  readonly entity?: string;
}

export type TieredAction = 'allow' | 'deny' | 'pass' | 'log';

export interface TieredRule {
  /** `calico:tier/ns/name#ingress[0]`, or the converted policy's own ref (`netpol:ns/name#ingress[0]`). */
  readonly ref: string;
  readonly action: TieredAction;
  /** The ports `protocol` and `notProtocol` leave (ICMP and other port-less protocols: none of TCP, UDP, SCTP). */
  readonly protocols: PortSet;
  readonly ipVersion?: 4 | 6;
  readonly source: TieredEntity;
  readonly destination: TieredEntity;
  /**
   * A converted Kubernetes or cluster-wide rule: `source` names the other side of the connection
   * whatever the direction, and `destination` only the destination ports.
   */
  readonly peerSide?: true;
  /** An `http` match narrows the rule to some requests: not evaluated, the edge says so. */
  readonly l7?: boolean;
  readonly location?: SourceLocation;
}

export type TieredPolicyKind =
  | 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'KubernetesNetworkPolicy'
  | 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

export interface TieredPolicy {
  /** `calico:tier/ns/name`, `calico:tier/name` (global), or the converted policy's own id. */
  readonly id: string;
  readonly kind: TieredPolicyKind;
  readonly name: string;
  /** For namespaced kinds. */
  readonly namespace?: string;
  readonly tier: string;
  /** undefined: "infinite", after every policy with an order. */
  readonly order?: number;
  readonly selector: EndpointSelector;
  /** A NetworkPolicy's own namespace; a GlobalNetworkPolicy's namespaceSelector, or any. */
  readonly scope: NamespaceScope;
  readonly serviceAccountSelector?: CalicoSelector;
  /** undefined: the policy's `types` leave the direction out. */
  readonly ingress?: readonly TieredRule[];
  readonly egress?: readonly TieredRule[];
  readonly location?: SourceLocation;
}

export interface PolicyTier {
  readonly name: string;
  /** undefined: "infinite", after every tier with an order. */
  readonly order?: number;
  /** What a tier that applies does with traffic none of its rules match. */
  readonly defaultAction: 'deny' | 'pass';
  readonly location?: SourceLocation;
}

/** A NetworkSet (namespaced) or GlobalNetworkSet: labelled addresses that rule selectors match. */
export interface NetworkSet {
  /** `calico-networkset:ns/name` or `calico-globalnetworkset:name` */
  readonly id: string;
  readonly namespace?: string;
  readonly name: string;
  readonly labels: Labels;
  readonly cidrs: readonly string[];
  readonly ranges: readonly AddressRange[];
  readonly location?: SourceLocation;
}

/** A staged policy: what it would do to the enforced policy of its name, were it enforced (never drawn). */
export interface StagedCalicoPolicy {
  /** `Staged…` kind as written. */
  readonly kind: string;
  /** `set` (default): replace or create the enforced policy of this name; `delete`: remove it; `learn`, `ignore`: nothing to preview. */
  readonly action: 'set' | 'delete' | 'learn' | 'ignore';
  /** The enforced policy it stands for (`ConvertStagedPolicyToEnforced`: same name, same spec). */
  readonly policy: TieredPolicy;
  /**
   * A StagedKubernetesNetworkPolicy: the Kubernetes NetworkPolicy it stands for (same namespace,
   * name and spec), which replaces the one of that id; `policy` then only names it.
   */
  readonly networkPolicy?: NetworkPolicy;
  readonly location?: SourceLocation;
}

/** The Calico objects of an input read under the calico profile. */
export interface TieredObjects {
  readonly policies: readonly TieredPolicy[];
  /** StagedNetworkPolicy, StagedGlobalNetworkPolicy and StagedKubernetesNetworkPolicy objects, sorted by the id of the policy they stand for. */
  readonly staged?: readonly StagedCalicoPolicy[];
  /** Tier objects of the input, plus the built-in tiers. */
  readonly tiers: readonly PolicyTier[];
  readonly networkSets: readonly NetworkSet[];
  /** Every namespace's labels, for namespaced NetworkSets a namespaceSelector picks out. */
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  /** false: CIDR rules and ipBlocks never match pods, whatever --pod-cidr says (Cilium's default policy-cidr-match-mode). */
  readonly cidrsMatchPods?: false;
}
