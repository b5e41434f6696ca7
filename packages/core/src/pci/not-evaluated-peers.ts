import type { TieredObjects, TieredPolicy, TieredRule } from '../model/calico-types.js';
import type { Cluster, PortRules } from '../model/types.js';
import { tieredPolicyApplies } from '../policy/calico-tiers.js';
import { workloadSubject } from '../policy/subjects.js';

/**
 * A peer a rule names that netdiagram cannot evaluate from the manifests: a Cilium `toFQDNs`
 * (addresses DNS answers give at run time), `toGroups`/`fromGroups` (cloud groups),
 * `toRequires`/`fromRequires`, `toNodes`/`fromNodes`, a CiliumCIDRGroup reference, a `toServices`
 * entry that resolves to nothing, or an entity with no address or pod in the input (`host`,
 * `remote-node`, `kube-apiserver`, `ingress`, `health`, `init`, `unmanaged`, …). The evaluator
 * matches it to nothing (fail closed, with a warning); the diagram draws it as a dashed peer.
 */
export interface NotEvaluatedPeer {
  /** What the rule says: `fqdn: api.stripe.com`, `entity: kube-apiserver`, `toGroups: aws …`. */
  readonly peer: string;
  /** The direction of the rule: egress rules name a destination, ingress rules a source. */
  readonly direction: 'ingress' | 'egress';
  /** `pass`: a Calico Pass rule, which hands what it matches to the next tier. */
  readonly action: 'allow' | 'deny' | 'pass';
  /** The rule (`cilium:ns/name#egress[0]`). */
  readonly rule: string;
  /** The workloads the rule's policy selects (`ns/name[Kind]`), sorted. */
  readonly workloads: readonly string[];
  /** The rule's ports, as written (`TCP 443`, `UDP 53`, `http`); `all` when it names none. */
  readonly ports: string;
}

/** Every peer the policies name that is not evaluated, sorted by peer, direction, then rule. */
export function listNotEvaluatedPeers(cluster: Cluster): NotEvaluatedPeer[] {
  const objects: TieredObjects | undefined = cluster.calico ?? cluster.cilium;
  if (!objects) return [];
  const namespaceLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const subjects = cluster.workloads.map((w) => ({ id: w.id, subject: workloadSubject(w, namespaceLabels.get(w.namespace)) }));
  const out: NotEvaluatedPeer[] = [];
  const visit = (policy: TieredPolicy, direction: 'ingress' | 'egress', rules: readonly TieredRule[] | undefined) => {
    let selected: string[] | undefined;
    for (const rule of rules ?? []) {
      const peer = rule.peerSide || direction === 'ingress' ? rule.source : rule.destination;
      // Log decides nothing; Allow, Deny and Pass each decide what they match, so each is missing
      if (peer.notEvaluated === undefined || (rule.action !== 'allow' && rule.action !== 'deny' && rule.action !== 'pass')) continue;
      selected ??= subjects.filter((s) => tieredPolicyApplies(policy, s.subject, direction)).map((s) => s.id).sort();
      out.push({ peer: peer.notEvaluated, direction, action: rule.action, rule: rule.ref, workloads: selected, ports: portRulesText(rule.destination.ports) });
    }
  };
  for (const policy of objects.policies) {
    visit(policy, 'ingress', policy.ingress);
    visit(policy, 'egress', policy.egress);
  }
  const key = (p: NotEvaluatedPeer) => `${p.peer}\u0000${p.direction}\u0000${p.rule}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `TCP 443,UDP 53`, `TCP 8000-9000`, `TCP http`; `all` for no ports. */
function portRulesText(ports: PortRules): string {
  if (ports === undefined || ports.length === 0) return 'all';
  return ports.map((p) => `${p.protocol}${p.port === undefined ? '' : ` ${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`}`).join(',');
}

/** How many peers a notice names before it counts the rest. */
const NAMED_IN_NOTICE = 3;

/**
 * The title-block and evidence line for the peers not evaluated: on paper the dashed shapes alone
 * could read as drawn traffic, so the page says in words that their traffic is missing. Empty: none.
 */
export function notEvaluatedPeerNotices(peers: readonly NotEvaluatedPeer[]): string[] {
  const names = [...new Set(peers.map((p) => p.peer))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return [];
  const listed = names.slice(0, NAMED_IN_NOTICE).join(', ') + (names.length > NAMED_IN_NOTICE ? ` and ${names.length - NAMED_IN_NOTICE} more` : '');
  return [`NOT EVALUATED: ${names.length} peer${names.length === 1 ? '' : 's'} the policies name (${listed}), matched to nothing and drawn dashed; the allowed traffic shown may differ from what the cluster enforces`];
}
