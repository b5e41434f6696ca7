import type { Severity, SourceLocation } from '../diagnostics.js';

/** Every audit finding code; docs/pci-evidence.md explains each one. Codes are stable: tools may match on them. */
export type FindingCode =
  | 'scope/no-cde'
  | 'namespace/no-default-deny-ingress'
  | 'namespace/no-default-deny-egress'
  | 'workload/not-isolated'
  | 'workload/host-network'
  | 'workload/isolated-in-name-only'
  | 'workload/egress-to-internet'
  | 'cde/reachable-from-outside'
  | 'cde/egress-to-internet'
  | 'cde/connected-flow'
  | 'cde/flow-to-out-of-scope'
  | 'cde/admits-unlisted-pods'
  | 'cde/sends-to-unlisted-pods'
  | 'cde/admits-namespace-pods'
  | 'cde/exposed-by-service'
  | 'cde/exposed-by-ingress'
  | 'policy/selects-no-pods'
  | 'policy/peer-matches-nothing'
  | 'policy/named-port-unresolved'
  | 'policy/rule-admits-any-peer'
  | 'policy/rule-admits-all-pods'
  | 'policy/not-evaluated'
  | 'policy/staged-would-change'
  | 'policy/peer-not-evaluated'
  | 'cnp/ambiguous-priority'
  | 'cnp/allow-overridden'
  | 'cnp/pass-to-nothing'
  | 'cnp/baseline-shadowed'
  | 'service/selects-no-pods'
  | 'data/store-reachable-from-untrusted'
  | 'data/reachable-from-untrusted'
  | 'data/cde-workload-unannotated'
  | 'data/handler-outside-cde'
  | 'data/flow-unexplained';

/** One audit result: what is wrong, where, and which PCI DSS v4.0 requirement it touches. */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  /** The object the finding is about: `ns/name[Kind]`, or `name[Namespace]`. */
  readonly object: string;
  /** PCI DSS v4.0 requirement numbers, e.g. `['1.3.1']`. */
  readonly requirements: readonly string[];
  readonly location?: SourceLocation;
}

/** What each finding code means: a title, the requirements it touches, and the advice that fixes it. */
export interface FindingRule {
  readonly title: string;
  readonly requirements: readonly string[];
  /** The severity a finding of this code usually has (some codes are errors in scope, warnings outside). */
  readonly defaultSeverity: Severity;
  readonly help: string;
}

/** The one table of finding codes. */
export const FINDING_RULES: Readonly<Record<FindingCode, FindingRule>> = {
  'scope/no-cde': {
    title: 'No cardholder data environment is marked',
    requirements: ['12.5.2'],
    defaultSeverity: 'warning',
    help: 'Mark the CDE with --cde SELECTOR or the annotation netdiagram.io/zone: cde, so the audit can tell in-scope from out-of-scope workloads.',
  },
  'namespace/no-default-deny-ingress': {
    title: 'Namespace has no default-deny ingress policy',
    requirements: ['1.3.1'],
    defaultSeverity: 'error',
    help: 'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] and no ingress rules, then allow only the traffic that is needed.',
  },
  'namespace/no-default-deny-egress': {
    title: 'Namespace has no default-deny egress policy',
    requirements: ['1.3.2'],
    defaultSeverity: 'error',
    help: 'Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress] and no egress rules, then allow only the traffic that is needed.',
  },
  'workload/not-isolated': {
    title: 'Workload is isolated in neither direction',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'error',
    help: 'No NetworkPolicy selects this workload, so it accepts and sends any traffic. Select it with a policy (a namespace default-deny does this).',
  },
  'workload/host-network': {
    title: 'Workload uses the host network',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'error',
    help: 'Pods with hostNetwork: true use the node\'s network stack; most network plugins do not apply NetworkPolicies to them. Remove hostNetwork or protect the node.',
  },
  'workload/isolated-in-name-only': {
    title: 'Workload is isolated in name only',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'error',
    help: 'Policies select the workload, so it counts as isolated, but together their rules admit every pod of every namespace and every outside address on every port: nothing is restricted. Narrow the rules to the peers and ports that are needed.',
  },
  'workload/egress-to-internet': {
    title: 'Workload may send to any Internet address on every port',
    requirements: ['1.3.2', '1.4.1'],
    defaultSeverity: 'error',
    help: 'Outbound traffic must be restricted to what is necessary. Replace the open egress rule (to: [] or ipBlock 0.0.0.0/0 without ports) or the missing egress isolation with rules naming the destinations and ports.',
  },
  'cde/reachable-from-outside': {
    title: 'CDE workload is reachable from outside the cluster',
    requirements: ['1.4.4'],
    defaultSeverity: 'warning',
    help: 'Only system components that provide public services may accept traffic from untrusted networks; components that store cardholder data must not. Narrow the ipBlock or the ports.',
  },
  'cde/egress-to-internet': {
    title: 'CDE workload may send to any Internet address',
    requirements: ['1.3.2'],
    defaultSeverity: 'error',
    help: 'Outbound traffic from the CDE must be restricted to what is necessary. Replace the open egress rule (or the missing egress isolation) with rules naming the destinations.',
  },
  'cde/connected-flow': {
    title: 'Flow between the CDE and a workload outside it',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'warning',
    help: 'The workload outside the CDE becomes connected-to and in scope. Remove the flow to segment it, or restrict it to the ports that are needed (an error when every port is open).',
  },
  'cde/flow-to-out-of-scope': {
    title: 'Flow between the CDE and a workload declared out of scope',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'error',
    help: 'The workload was declared out of scope, but an allowed flow connects it to the CDE, so segmentation fails. Remove the flow or bring the workload into scope.',
  },
  'cde/admits-unlisted-pods': {
    title: 'CDE workload admits pods of namespaces nobody listed',
    requirements: ['1.3.1', '1.4.2'],
    defaultSeverity: 'error',
    help: 'A rule admits the entire cluster, every namespace, or namespaces chosen by a label that any namespace can be given: pods that are not in the input (another team\'s, a debug pod started tomorrow) can reach the CDE. Name the namespaces with kubernetes.io/metadata.name and the pods with a podSelector.',
  },
  'cde/sends-to-unlisted-pods': {
    title: 'CDE workload may send to pods of namespaces nobody listed',
    requirements: ['1.3.2'],
    defaultSeverity: 'error',
    help: 'The CDE workload\'s egress admits the entire cluster, every namespace, or namespaces chosen by a label that any namespace can be given. Name the destination namespaces with kubernetes.io/metadata.name and the pods with a podSelector.',
  },
  'cde/admits-namespace-pods': {
    title: 'CDE workload exchanges traffic with pods chosen by label in a named namespace',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'warning',
    help: 'Any pod of that namespace with those labels (including ones not in the input) is connected-to the CDE and in scope. Confirm who may create pods there with those labels.',
  },
  'cde/exposed-by-service': {
    title: 'LoadBalancer or NodePort Service in front of a CDE workload',
    requirements: ['1.4.2'],
    defaultSeverity: 'warning',
    help: 'The Service makes the CDE workload reachable from outside the cluster. Confirm it provides an authorized public service, or use a ClusterIP Service; set loadBalancerSourceRanges.',
  },
  'cde/exposed-by-ingress': {
    title: 'Ingress, Route or Gateway in front of a CDE workload',
    requirements: ['1.4.2'],
    defaultSeverity: 'warning',
    help: 'The Ingress (or Gateway and its routes) makes the CDE workload reachable through the ingress controller (or the Gateway\'s data plane). Confirm it provides an authorized public service.',
  },
  'policy/selects-no-pods': {
    title: 'NetworkPolicy selects no pods',
    requirements: ['1.2.7'],
    defaultSeverity: 'warning',
    help: 'The podSelector matches no workload in the policy\'s namespace: the policy has no effect. Fix the selector or remove the policy.',
  },
  'policy/peer-matches-nothing': {
    title: 'NetworkPolicy peer matches no pod',
    requirements: ['1.2.7'],
    defaultSeverity: 'warning',
    help: 'The namespaceSelector/podSelector of this peer matches no workload in the input. Fix the selector or remove the peer.',
  },
  'policy/named-port-unresolved': {
    title: 'Named port resolves to no container port',
    requirements: ['1.2.7'],
    defaultSeverity: 'warning',
    help: 'No destination pod of this rule has a container port with this name and protocol, so the rule admits nothing on it.',
  },
  'policy/rule-admits-any-peer': {
    title: 'Policy rule admits every peer on every port',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'error',
    help: 'The rule (an empty from/to, such as ingress: [{}] or egress: [{}], or namespaceSelector: {} with ipBlock 0.0.0.0/0, without ports) admits every pod of every namespace and every outside address, the Internet included, on every port. Name the peers and ports that are needed.',
  },
  'policy/rule-admits-all-pods': {
    title: 'Policy rule admits every pod of the cluster on every port',
    requirements: ['1.3.1', '1.3.2'],
    defaultSeverity: 'warning',
    help: 'The rule (namespaceSelector: {} with no podSelector or podSelector: {}, without ports) admits every pod of every namespace, present and future, on every port, though no outside address. Name the namespaces, pods and ports that are needed.',
  },
  'policy/not-evaluated': {
    title: 'Policies of a kind netdiagram does not evaluate',
    requirements: ['1.2.3', '1.2.4', '1.2.7'],
    defaultSeverity: 'error',
    help: 'The input holds policies of another API (Calico, Cilium, Antrea, MultiNetworkPolicy) that the network plugin enforces but netdiagram does not evaluate yet: the diagram, the flows and this audit show only what Kubernetes NetworkPolicies allow. Review those policies separately.',
  },
  'policy/staged-would-change': {
    title: 'A staged policy would change the allowed flows, were it enforced',
    requirements: ['1.2.2', '1.2.7'],
    defaultSeverity: 'warning',
    help: 'A Calico staged policy (StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy) is never enforced: the flows shown are what the enforced policies allow. Enforced, it would add, remove or change the flows this finding lists (`connections --format json` lists them as "stagedChanges", the diagram draws them dashed). Review the change before it is enforced (PCI DSS 1.2.2: changes to network connections are approved and managed), or delete the staged policy once enforced.',
  },
  'policy/peer-not-evaluated': {
    title: 'A rule names a peer netdiagram does not evaluate',
    requirements: ['1.2.7', '1.3.1', '1.3.2'],
    defaultSeverity: 'error',
    help: 'A rule names a peer that cannot be resolved from the manifests: a Cilium toFQDNs (addresses DNS gives at run time), toGroups or fromGroups (cloud groups), fromRequires or toRequires, toNodes or fromNodes, a CiliumCIDRGroup reference, an entity with no address or pod in the input (host, remote-node, kube-apiserver, ingress, health, init, unmanaged), or a Service that is not in the input. netdiagram matches it to nothing, so the traffic the rule allows (or denies) is missing from the flows; the diagram draws the peer dashed. Review the rule by hand and record what it admits.',
  },
  'cnp/ambiguous-priority': {
    title: 'Two cluster-wide policies of one tier and priority overlap',
    requirements: ['1.2.1', '1.2.7'],
    defaultSeverity: 'error',
    help: 'The API leaves it to the network plugin which of two overlapping policies with the same tier and priority applies first ("there is no way for the user to reliably determine which one it will choose"): netdiagram evaluates them in name order, the cluster may not. Give them different priorities.',
  },
  'cnp/allow-overridden': {
    title: 'A NetworkPolicy rule allows traffic an Admin rule decides first',
    requirements: ['1.2.7'],
    defaultSeverity: 'warning',
    help: 'An Admin-tier rule (Deny, or Accept) decides every connection this NetworkPolicy rule would admit, before any NetworkPolicy is consulted: the rule has no effect. Remove it, or ask the platform team for a Pass in the Admin tier.',
  },
  'cnp/pass-to-nothing': {
    title: 'An Admin Pass rule passes to no policy',
    requirements: ['1.2.7'],
    defaultSeverity: 'warning',
    help: 'The Pass hands the traffic to the NetworkPolicy and Baseline tiers, but for these workloads neither has a policy in that direction: the traffic is allowed by the default. If that is meant, say so with Accept; else add the policy the Pass expects.',
  },
  'cnp/baseline-shadowed': {
    title: 'A Baseline policy never applies',
    requirements: ['1.2.7'],
    defaultSeverity: 'warning',
    help: 'Every workload the Baseline policy selects is isolated in that direction by a NetworkPolicy, which always decides first: the Baseline rules are never consulted for them.',
  },
  'service/selects-no-pods': {
    title: 'Service selects no pods',
    requirements: ['1.2.4'],
    defaultSeverity: 'warning',
    help: 'The Service selector matches no workload in its namespace: it routes nowhere. Fix the selector or remove the Service.',
  },
  'data/store-reachable-from-untrusted': {
    title: 'A workload that stores account data is reachable from an untrusted network',
    requirements: ['1.4.4'],
    defaultSeverity: 'error',
    help: 'System components that store cardholder data must not be directly accessible from untrusted networks: remove the ipBlock (or the LoadBalancer, NodePort Service or Ingress) that reaches it, and let a processing tier in front of it take the traffic.',
  },
  'data/reachable-from-untrusted': {
    title: 'A workload that handles account data is reachable from an untrusted network',
    requirements: ['1.4.2'],
    defaultSeverity: 'warning',
    help: 'Inbound traffic from untrusted networks may reach only components authorized to provide public services. Confirm this workload is one, or declare the sender as a party (--parties) if it is an acquirer, processor or other third party.',
  },
  'data/cde-workload-unannotated': {
    title: 'A CDE workload does not state whether it handles account data',
    requirements: ['1.2.4'],
    defaultSeverity: 'warning',
    help: 'Annotate it netdiagram.io/account-data: stores, processes or transmits (a list), or none, so the data-flow diagram shows every account data flow.',
  },
  'data/handler-outside-cde': {
    title: 'A workload that handles account data is outside the CDE',
    requirements: ['12.5.2', '1.2.4'],
    defaultSeverity: 'error',
    help: 'Every system component that stores, processes or transmits account data is in the CDE: widen the --cde selector (or add netdiagram.io/zone: cde) to include it, or correct the annotation.',
  },
  'data/flow-unexplained': {
    title: 'An allowed path between account-data workloads carries no declared data flow',
    requirements: ['1.2.4', '1.3.1'],
    defaultSeverity: 'error',
    help: 'With --strict-flows, every allowed path between account-data workloads (and to a declared party) must share a netdiagram.io/data-flows name at both ends: declare the data flow it carries, or remove the policy rule that allows it.',
  },
};

/** Sorts findings by file, line, column, code, then message; findings without a location come first. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort((a, b) =>
    cmp(a.location?.file ?? '', b.location?.file ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    cmp(a.code, b.code) || cmp(a.object, b.object) || cmp(a.message, b.message));
}

/** Whether any finding reaches `severity` (`warning` counts errors too). */
export function hasFindingsAtLeast(findings: readonly Finding[], severity: Severity): boolean {
  return findings.some((f) => severity === 'warning' || f.severity === 'error');
}
