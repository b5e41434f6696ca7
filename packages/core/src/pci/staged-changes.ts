import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { buildTrafficGraph, type GraphOptions } from '../graph/build.js';
import type { TrafficGraph } from '../graph/types.js';
import type { TieredObjects, TieredPolicy, StagedCalicoPolicy } from '../model/calico-types.js';
import { formatPorts, isEmptyPorts, portsToJson, type PortJson, type PortSet } from '../model/ports.js';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { diffFlows, type FlowChange } from './flow-diff.js';

/** How many changed flows a message names before it only counts the rest. */
const LISTED = 5;

const keyOf = (p: TieredPolicy) => `${p.kind}\u0000${p.namespace ?? ''}\u0000${p.name}`;

/** `StagedNetworkPolicy shop/lock-db`, `StagedGlobalNetworkPolicy deny-all`. */
export function stagedPolicyName(staged: StagedCalicoPolicy): string {
  return `${staged.kind} ${staged.policy.namespace ? `${staged.policy.namespace}/` : ''}${staged.policy.name}`;
}

/** One flow that the staged policies, were they enforced, would add, remove or change. */
export interface StagedChange extends FlowChange {
  /** The staged policies that change this flow: enforced alone, or left out of the others (sorted); every previewed one when none is found so. */
  readonly policies: readonly string[];
}

/** What the staged policies of an input would change, were they enforced (they never are). */
export interface StagedPreview {
  /** The flow changes with every staged policy applied at once, against the enforced policies; sorted by (from, to). */
  readonly changes: readonly StagedChange[];
  /** One `calico/staged-would-change` warning per staged policy, judged alone. */
  readonly diagnostics: readonly Diagnostic[];
  /** When a staged policy is previewed: the enforced graph and the graph with the staged policies enforced, both with every default-allow pair as an edge. */
  readonly graphs?: { readonly enforced: TrafficGraph; readonly staged: TrafficGraph };
}

/**
 * The cluster with staged policies applied (`Set`: stands in for, or adds, the enforced policy of its
 * kind, namespace and name; `Delete`: removes it). A StagedKubernetesNetworkPolicy stands for the
 * Kubernetes NetworkPolicy of its namespace and name.
 */
function applyStaged(cluster: Cluster, calico: TieredObjects, staged: readonly StagedCalicoPolicy[]): Cluster {
  let policies: TieredPolicy[] = [...calico.policies];
  let networkPolicies: NetworkPolicy[] = [...cluster.policies];
  for (const s of staged) {
    if (s.action !== 'set' && s.action !== 'delete') continue;
    if (s.kind === 'StagedKubernetesNetworkPolicy') {
      const id = `${s.policy.namespace}/${s.policy.name}`;
      networkPolicies = networkPolicies.filter((p) => p.id !== id);
      if (s.action === 'set' && s.networkPolicy) networkPolicies.push(s.networkPolicy);
      continue;
    }
    policies = policies.filter((p) => keyOf(p) !== keyOf(s.policy));
    if (s.action === 'set') policies.push(s.policy);
  }
  const { staged: _staged, ...rest } = calico;
  const byId = <T extends { readonly id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { ...cluster, policies: networkPolicies.sort(byId), calico: { ...rest, policies: policies.sort(byId) } };
}

/**
 * What the staged Calico policies would change, were they enforced (Calico's "preview": a staged
 * policy with `stagedAction: Set` becomes the enforced policy of its name, or a new one; with
 * `Delete` it removes that policy; `Learn` and `Ignore` change nothing;
 * api/pkg/apis/projectcalico/v3/stagednetworkpolicy.go ConvertStagedPolicyToEnforced). Both sides
 * are built with every default-allow pair as an edge, whatever `options.openFlows` says, so that a
 * staged policy isolating an open workload removes the pairs it closes. The enforced graph the
 * caller draws is never changed: this is a preview beside it.
 */
export function previewStagedPolicies(cluster: Cluster, options: GraphOptions = {}): StagedPreview {
  const calico = cluster.calico;
  const previewed = (calico?.staged ?? []).filter((s) => s.action === 'set' || s.action === 'delete');
  if (!calico || previewed.length === 0) return { changes: [], diagnostics: [] };
  const graphOptions: GraphOptions = { ...options, openFlows: 'edges' };
  const enforced = buildTrafficGraph(applyStaged(cluster, calico, []), graphOptions);
  const pairKey = (c: FlowChange) => `${c.from}\u0000${c.to}`;
  const solo = new Map<string, Set<string>>();
  const diagnostics: Diagnostic[] = [];
  let onlyOne: TrafficGraph | undefined;
  for (const staged of previewed) {
    const name = stagedPolicyName(staged);
    const alone = buildTrafficGraph(applyStaged(cluster, calico, [staged]), graphOptions);
    onlyOne = alone;
    const changes = diffFlows(enforced, alone).changes;
    for (const c of changes) {
      const set = solo.get(pairKey(c)) ?? new Set<string>();
      set.add(name);
      solo.set(pairKey(c), set);
    }
    diagnostics.push(diagnostic('warning', 'calico/staged-would-change',
      `${name} (stagedAction ${staged.action === 'set' ? 'Set' : 'Delete'}) is not enforced; enforced, ${summaryOf(changes)}`, staged.location));
  }
  // one staged policy: its graph alone is the graph with all of them
  const after = previewed.length === 1 ? onlyOne! : buildTrafficGraph(applyStaged(cluster, calico, previewed), graphOptions);
  // a change that needs several staged policies together (egress of one, ingress of the other): each
  // whose absence from the set undoes or alters the change takes part in it
  if (previewed.length > 1) {
    for (const staged of previewed) {
      const without = buildTrafficGraph(applyStaged(cluster, calico, previewed.filter((s) => s !== staged)), graphOptions);
      for (const c of diffFlows(without, after).changes) {
        const set = solo.get(pairKey(c)) ?? new Set<string>();
        set.add(stagedPolicyName(staged));
        solo.set(pairKey(c), set);
      }
    }
  }
  const every = previewed.map(stagedPolicyName).sort();
  const changes = diffFlows(enforced, after).changes.map((c): StagedChange => ({
    ...c, policies: solo.has(pairKey(c)) ? [...solo.get(pairKey(c))!].sort() : every,
  }));
  return { changes, diagnostics, graphs: { enforced, staged: after } };
}

/** `it would add 1, remove 2 and change 0 flows: a => b (+TCP 80); …` */
function summaryOf(changes: readonly FlowChange[]): string {
  if (changes.length === 0) return 'it would change no flow';
  const described = changes.slice(0, LISTED).map((c) => {
    const ports = [
      ...(isEmptyPorts(c.addedPorts) ? [] : [`+${formatPorts(c.addedPorts)}`]),
      ...(isEmptyPorts(c.removedPorts) ? [] : [`-${formatPorts(c.removedPorts)}`]),
    ].join(' ');
    return `${c.from} => ${c.to} (${ports})`;
  });
  const count = (kind: string) => changes.filter((c) => c.change === kind).length;
  return `it would add ${count('added')}, remove ${count('removed')} and change ${count('changed')} flow${changes.length === 1 ? '' : 's'}: ${described.join('; ')}${changes.length > LISTED ? `; and ${changes.length - LISTED} more` : ''}`;
}

/**
 * One `calico/staged-would-change` warning per staged policy, naming the flows it would add,
 * remove or change (see `previewStagedPolicies`). `_graph` is unused: the preview rebuilds the
 * enforced side with every open pair.
 */
export function stagedPolicyChanges(cluster: Cluster, _graph?: TrafficGraph, options: GraphOptions = {}): Diagnostic[] {
  return [...previewStagedPolicies(cluster, options).diagnostics];
}

/** A staged change in `connections --format json` (`stagedChanges`). */
export interface StagedChangeJson {
  readonly change: 'add' | 'remove' | 'change';
  readonly from: string;
  readonly to: string;
  /** The ports allowed were the staged policies enforced (`[]` for a removed flow). */
  readonly ports: 'all' | PortJson[];
  /** The ports allowed today. */
  readonly enforcedPorts: 'all' | PortJson[];
  readonly addedPorts: 'all' | PortJson[];
  readonly removedPorts: 'all' | PortJson[];
  readonly policies: readonly string[];
}

const CHANGE: Readonly<Record<FlowChange['change'], StagedChangeJson['change']>> = { added: 'add', removed: 'remove', changed: 'change' };

/** The preview's changes as JSON values. */
export function stagedChangesToJson(changes: readonly StagedChange[]): StagedChangeJson[] {
  const ports = (p: PortSet) => portsToJson(p);
  return changes.map((c) => ({
    change: CHANGE[c.change], from: c.from, to: c.to,
    ports: ports(c.after), enforcedPorts: ports(c.before), addedPorts: ports(c.addedPorts), removedPorts: ports(c.removedPorts),
    policies: c.policies,
  }));
}
