import { targetPorts } from '../graph/build.js';
import { entrySender, type IngressController } from '../graph/entry-senders.js';
import { describeTierWalk, isCalicoVerdict, type TierWalkStep } from './calico-explain.js';
import { parseCidr, type AddressRange } from '../model/ipblock.js';
import { ALL_PORTS, formatPorts, intersectPorts, isAllPorts, isEmptyPorts, NO_PORTS, portRange, samePorts, subtractPorts, unionPorts, type PortSet } from '../model/ports.js';
import type { Cluster, IngressObject, Workload } from '../model/types.js';
import { isServiceBackend } from '../policy/subjects.js';
import { indexPolicies, pairVerdict, type DirectionVerdict, type PairVerdict, type Subject } from '../policy/evaluate.js';
import { addressSubject, podSubjectOf, resolveEndpoint, type Endpoint } from './endpoints.js';
import { parsePortSpec } from './port-spec.js';
import { explainPeerPair, parsePeerText, type ParsedPeerText } from './explain-exposure.js';
import { describePeer } from './exposed-peers.js';

/** What `explainTraffic` is asked: from where, to where, on which ports. */
export interface TrafficQuery {
  /** A workload id (or `namespace/name`), a Service id, an Ingress/Route id, an IP address or a CIDR. */
  readonly from: string;
  /** As `from`, except an Ingress: traffic to an Ingress ends at the ingress controller, outside the input. */
  readonly to: string;
  /** Ports to judge (`80/TCP`, `6379`, `8000-8080/UDP`); none: report every allowed port. */
  readonly ports?: readonly string[];
}

/** Options of `explainTraffic`, as for `buildTrafficGraph`. */
export interface ExplainOptions {
  /** Pod CIDRs; when given, ipBlocks also match in-cluster pods. */
  readonly podCidrs?: readonly string[];
  /** The ingress controller's pod, the source of an Ingress's traffic. */
  readonly ingressController?: IngressController;
  /** The data-plane pod of Gateways whose own Deployment is not in the input, the source of their traffic. */
  readonly gatewayController?: IngressController;
}

/** One direction's say: the policies that isolate the pod, and the rules that admit the peer. */
export interface DirectionExplanation {
  readonly direction: 'egress' | 'ingress';
  /** The pod whose policies decide this direction. */
  readonly pod: string;
  readonly isolatedBy: readonly string[];
  /** Rule refs with the ports each admits; `default-allow:…` when the pod is not isolated. */
  readonly rules: readonly { readonly ref: string; readonly ports: PortSet }[];
  readonly ports: PortSet;
  /** e.g. `ingress of y/b[Pod] is isolated by y/deny-all; no rule admits x/a[Pod]` */
  readonly summary: string;
  /** Cluster-wide policies selecting the pod in this direction, in evaluation order. Absent: none. */
  readonly clusterPolicies?: readonly string[];
  /** Ports cluster-wide Deny rules refused, and Pass rules handed on, with the rule. */
  readonly denied?: readonly { readonly ref: string; readonly ports: PortSet }[];
  readonly passed?: readonly { readonly ref: string; readonly ports: PortSet }[];
  /** Under the calico profile: the tiers that applied, in the order Calico walked them. Absent: another profile. */
  readonly tierWalk?: readonly TierWalkStep[];
}

/** The verdict for one requested port. */
export interface PortVerdict {
  readonly port: string;
  readonly allowed: boolean;
  /** The directions that refuse (some of) the port. */
  readonly deniedBy: readonly ('egress' | 'ingress')[];
}

/** The verdict for one concrete pair: a source pod or address and a destination pod or address. */
export interface PairExplanation {
  readonly from: string;
  readonly to: string;
  /** The ports asked about (from the query, or a Service's target ports); undefined: any port. */
  readonly requested?: PortSet;
  /** Allowed ports (within `requested` when given). */
  readonly allowed: PortSet;
  readonly ports: readonly PortVerdict[];
  readonly directions: readonly DirectionExplanation[];
  readonly note?: string;
}

/** The whole answer: one pair per source and destination pod or address. */
export interface Explanation {
  /** `pods`: a set of pods named by selectors (`any pod in namespaces team=x`), in the input or not. */
  readonly from: { readonly kind: Endpoint['kind'] | 'pods'; readonly id: string };
  readonly to: { readonly kind: Endpoint['kind'] | 'pods'; readonly id: string };
  readonly pairs: readonly PairExplanation[];
  /** Whether some pair allows some requested port. */
  readonly allowed: boolean;
}

interface Party {
  readonly name: string;
  readonly subject: Subject;
  readonly workload?: Workload;
}

/** An explanation, or why the query cannot be answered (an unknown or ambiguous endpoint, a bad port). */
export type Explained = { readonly ok: true; readonly explanation: Explanation } | { readonly ok: false; readonly reason: string };

/**
 * Explains whether traffic from one endpoint to another is allowed and why: for each direction, the
 * policies that isolate the pod and the rules (by index) that admit the peer, or the default-allow.
 * A Service is judged on its backend pods; an Ingress sends from the ingress controller.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
export function explainTraffic(cluster: Cluster, query: TrafficQuery, options: ExplainOptions = {}): Explained {
  const podCidrs: AddressRange[] = [];
  for (const text of options.podCidrs ?? []) {
    const parsed = parseCidr(text);
    if (!parsed.ok) return { ok: false, reason: `pod CIDR "${text}" is not valid: ${parsed.reason}` };
    podCidrs.push(parsed.range);
  }
  let requested: PortSet | undefined;
  const entries: { text: string; ports: PortSet }[] = [];
  for (const text of query.ports ?? []) {
    const parsed = parsePortSpec(text);
    if (!parsed.ok) return { ok: false, reason: parsed.reason };
    entries.push({ text: formatPorts(parsed.ports), ports: parsed.ports });
    requested = unionPorts(requested ?? NO_PORTS, parsed.ports);
  }
  const peerFrom = parsePeerText(query.from);
  const peerTo = parsePeerText(query.to);
  if (peerFrom || peerTo) return explainWithPeer(cluster, query, peerFrom, peerTo, requested, entries);
  const from = resolveEndpoint(cluster, query.from);
  if (!from.ok) return { ok: false, reason: `--from: ${from.reason}` };
  const to = resolveEndpoint(cluster, query.to);
  if (!to.ok) return { ok: false, reason: `--to: ${to.reason}` };
  if (to.endpoint.kind === 'ingress') {
    const end = to.endpoint.ingress.kind === 'Gateway' ? 'the Gateway\'s data plane' : 'the ingress controller';
    return { ok: false, reason: `--to: traffic to ${to.endpoint.id} ends at ${end}, which is not in the input; ask --from ${to.endpoint.id} to see what it reaches` };
  }

  const evaluation = { podCidrs };
  const pod = (w: Workload): Party => ({ name: w.id, subject: podSubjectOf(cluster, w, evaluation), workload: w });
  const sources = partiesOf(cluster, from.endpoint, options, pod);
  if (sources.length === 0) return { ok: false, reason: `--from: Service ${from.endpoint.id} selects no pods` };
  const destinations = partiesOf(cluster, to.endpoint, options, pod);
  if (destinations.length === 0) return { ok: false, reason: `--to: Service ${to.endpoint.id} selects no pods` };

  const index = indexPolicies(cluster.policies, cluster.clusterPolicies, cluster.calico ?? cluster.cilium);
  const pairs: PairExplanation[] = [];
  for (const s of sources) {
    for (const d of destinations) {
      if (s.name === d.name) continue;
      let wanted = requested;
      let note: string | undefined;
      let pairEntries = entries;
      const backend = d.workload;
      if (to.endpoint.kind === 'service' && backend) {
        // a Service port forwards to a target port of each backend; ask about those
        const servicePorts = to.endpoint.service.ports.filter((p) => requested === undefined ||
          !isEmptyPorts(intersectPorts(requested, portRange(p.protocol, p.port))) || !isEmptyPorts(intersectPorts(requested, targetPorts(p, backend))));
        wanted = servicePorts.reduce((acc, p) => unionPorts(acc, targetPorts(p, backend)), NO_PORTS);
        if (isEmptyPorts(wanted)) note = requested ? `${to.endpoint.id} has no port ${formatPorts(requested)} that reaches ${d.name}` : `${to.endpoint.id} forwards no port to ${d.name}`;
        pairEntries = portEntries(wanted);
      }
      if (from.endpoint.kind === 'ingress' && backend && note === undefined) note = entryPath(cluster, from.endpoint.ingress, backend);
      const verdict = pairVerdict(index, s.subject, d.subject, evaluation);
      const allowed = wanted ? intersectPorts(verdict.ports, wanted) : verdict.ports;
      const directions = [verdict.egress, verdict.ingress].flatMap((v) => (v ? [describe(v, v.direction === 'egress' ? s.name : d.name, v.direction === 'egress' ? d.name : s.name)] : []));
      const ports = pairEntries.map((e): PortVerdict => {
        const deniedBy = directions.filter((dir) => !samePorts(intersectPorts(dir.ports, e.ports), e.ports)).map((dir) => dir.direction);
        return { port: e.text, allowed: deniedBy.length === 0, deniedBy };
      });
      pairs.push({
        from: s.name, to: d.name, ...(wanted ? { requested: wanted } : {}), allowed, ports, directions, ...(note ? { note } : {}),
      });
    }
  }
  return {
    ok: true,
    explanation: {
      from: { kind: from.endpoint.kind, id: from.endpoint.id },
      to: { kind: to.endpoint.kind, id: to.endpoint.id },
      pairs,
      allowed: pairs.some((p) => !isEmptyPorts(p.allowed)),
    },
  };
}

/** `--from` or `--to` names a set of pods rather than one endpoint: judge the workload's side alone. */
function explainWithPeer(
  cluster: Cluster, query: TrafficQuery, peerFrom: ParsedPeerText | undefined, peerTo: ParsedPeerText | undefined,
  requested: PortSet | undefined, entries: readonly { text: string; ports: PortSet }[],
): Explained {
  if (peerFrom && !peerFrom.ok) return { ok: false, reason: `--from: ${peerFrom.reason}` };
  if (peerTo && !peerTo.ok) return { ok: false, reason: `--to: ${peerTo.reason}` };
  if (peerFrom && peerTo) return { ok: false, reason: 'both --from and --to name sets of pods; name one workload of the input' };
  const peer = (peerFrom ?? peerTo) as Extract<ParsedPeerText, { ok: true }>;
  const flag = peerFrom ? '--to' : '--from';
  const other = resolveEndpoint(cluster, peerFrom ? query.to : query.from);
  if (!other.ok) return { ok: false, reason: `${flag}: ${other.reason}` };
  if (other.endpoint.kind !== 'workload') return { ok: false, reason: `${flag}: with a set of pods on the other side, name a workload (${other.endpoint.id} is a${other.endpoint.kind === 'address' ? 'n address' : ` ${other.endpoint.kind}`})` };
  const pair = explainPeerPair(cluster, other.endpoint.workload, peer.peer, peerFrom ? 'ingress' : 'egress', requested, entries);
  const peerEnd = { kind: 'pods' as const, id: describePeer(peer.peer) };
  const workloadEnd = { kind: 'workload' as const, id: other.endpoint.id };
  return {
    ok: true,
    explanation: { from: peerFrom ? peerEnd : workloadEnd, to: peerFrom ? workloadEnd : peerEnd, pairs: [pair], allowed: !isEmptyPorts(pair.allowed) },
  };
}

/** Who sends or receives for an endpoint: a Service's backends, an Ingress's controller, the pod or address itself. */
function partiesOf(cluster: Cluster, endpoint: Endpoint, options: ExplainOptions, pod: (w: Workload) => Party): Party[] {
  switch (endpoint.kind) {
    case 'workload':
      return [pod(endpoint.workload)];
    case 'service':
      return endpoint.backends.map(pod);
    case 'address':
      return [{ name: endpoint.id, subject: addressSubject(endpoint.ranges) }];
    case 'ingress': {
      // the same sender the graph judges: the controller, or the Gateway's own data plane
      const sender = entrySender(endpoint.ingress, cluster.workloads, new Map(cluster.namespaces.map((n) => [n.name, n.labels])), { ...options, withPodIPs: (options.podCidrs ?? []).length > 0 });
      return [{ name: sender.name, subject: sender.subject }];
    }
  }
}

/**
 * How an Ingress, Route or Gateway reaches a workload: the routes and Services in between (`through
 * HTTPRoute shop/web → Service shop/web`), or that none of its backends selects the workload, so
 * the verdict is only what its sender's traffic would get.
 */
function entryPath(cluster: Cluster, entry: IngressObject, w: Workload): string {
  const paths = new Set<string>();
  for (const b of entry.backends) {
    const service = cluster.services.find((s) => s.namespace === (b.namespace ?? entry.namespace) && s.name === b.service);
    if (!service || !isServiceBackend(service, w)) continue;
    paths.add(`${b.route ? `${describeRouteId(b.route)} → ` : ''}Service ${service.namespace}/${service.name}${b.port !== undefined ? ` port ${b.port}` : ''}`);
  }
  if (paths.size === 0) return `${entry.id} has no backend that selects ${w.id}: no traffic of it is routed there`;
  return `${entry.id} routes to ${w.id} through ${[...paths].sort().join('; ')}`;
}

/** `HTTPRoute shop/web` for `shop/web[HTTPRoute]`. */
function describeRouteId(id: string): string {
  const open = id.lastIndexOf('[');
  return `${id.slice(open + 1, -1)} ${id.slice(0, open)}`;
}

/**
 * The directions that decide a pair's denial, as explain's per-port verdicts read them: a direction
 * decides when it refuses a port the other direction would let through, or refuses everything. A
 * source whose egress admits the destination decides nothing, however many policies select it.
 */
export function decidingDirections(verdict: PairVerdict): DirectionVerdict[] {
  const sides = [verdict.egress, verdict.ingress].filter((v): v is DirectionVerdict => v !== undefined);
  return sides.filter((v) => {
    const other = sides.find((o) => o !== v);
    return isEmptyPorts(v.ports) || !isEmptyPorts(subtractPorts(other ? other.ports : ALL_PORTS, v.ports));
  });
}

/**
 * The controls one deciding direction denies by, as explain names them: the cluster-wide Deny
 * rules (and Calico tiers whose default denies) that refused ports, and the NetworkPolicies whose
 * isolation refused the rest when the NetworkPolicy tier was consulted. `nameOf` turns a policy id
 * (`default/deny-all`, `anp:guard`) into the record's control id.
 */
export function denyingControls(v: DirectionVerdict, nameOf: (policyId: string, kind: 'networkpolicy' | 'rule') => string): string[] {
  const names = new Set<string>();
  for (const c of v.denied ?? []) names.add(nameOf(c.ref.replace(/#.*$/, ''), 'rule'));
  const consulted = v.afterAdmin === undefined || !isEmptyPorts(v.afterAdmin);
  if (consulted) for (const id of v.isolatedBy) names.add(nameOf(id, 'networkpolicy'));
  return [...names].sort();
}

function portEntries(ports: PortSet): { text: string; ports: PortSet }[] {
  const out: { text: string; ports: PortSet }[] = [];
  for (const protocol of ['SCTP', 'TCP', 'UDP'] as const) {
    for (const [lo, hi] of ports[protocol]) {
      const set = portRange(protocol, lo, hi);
      out.push({ text: formatPorts(set), ports: set });
    }
  }
  return out;
}

function describe(v: DirectionVerdict, pod: string, peer: string): DirectionExplanation {
  const rules = v.contributions.map((c) => ({ ref: c.ref, ports: c.ports }));
  const head = `${v.direction} of ${pod}`;
  if (isCalicoVerdict(v)) {
    const walk = describeTierWalk(v, pod, peer);
    return {
      direction: v.direction, pod, isolatedBy: v.isolatedBy, rules, ports: v.ports, summary: walk.summary, tierWalk: walk.tierWalk,
      ...(v.denied ? { denied: v.denied.map((c) => ({ ref: c.ref, ports: c.ports })) } : {}),
      ...(v.passed ? { passed: v.passed.map((c) => ({ ref: c.ref, ports: c.ports })) } : {}),
    };
  }
  if ((v.clusterPolicies ?? []).length > 0) return describeTiers(v, pod, peer, rules);
  let summary: string;
  if (v.isolatedBy.length === 0) summary = `${head} is not isolated: default-allow`;
  else if (rules.length === 0) summary = `${head} is isolated by ${v.isolatedBy.join(', ')}; no rule admits ${peer}`;
  else summary = `${head} is isolated by ${v.isolatedBy.join(', ')}; ${rules.map((r) => `${r.ref} admits ${peer} on ${formatPorts(r.ports)}`).join('; ')}`;
  return { direction: v.direction, pod, isolatedBy: v.isolatedBy, rules, ports: v.isolatedBy.length === 0 ? ALL_PORTS : v.ports, summary };
}

const TIER_NAMES = { admin: 'Admin', baseline: 'Baseline' } as const;

/**
 * A direction cluster-wide policies take part in, tier by tier as they decided: what an Admin rule
 * accepted, denied or passed (before any NetworkPolicy), what the NetworkPolicies or the Baseline
 * tier then decided, and what the default allowed.
 */
function describeTiers(v: DirectionVerdict, pod: string, peer: string, rules: DirectionExplanation['rules']): DirectionExplanation {
  const said: string[] = [];
  const ofTier = <T extends { tier?: 'admin' | 'baseline' }>(list: readonly T[] | undefined, tier: 'admin' | 'baseline') => (list ?? []).filter((c) => c.tier === tier);
  const nextOf = (tier: 'admin' | 'baseline') => (tier === 'baseline' ? 'the default' : v.isolatedBy.length > 0 ? 'the NetworkPolicy tier' : 'the Baseline tier');
  const tierSays = (tier: 'admin' | 'baseline') => {
    const name = TIER_NAMES[tier];
    const before = tier === 'admin' ? ', before any NetworkPolicy' : '';
    for (const c of ofTier(v.contributions, tier)) said.push(`accepted by ${name} rule ${c.ref} on ${formatPorts(c.ports)}${before}`);
    for (const c of ofTier(v.denied, tier)) said.push(`denied by ${name} rule ${c.ref} on ${formatPorts(c.ports)}${before}`);
    for (const c of ofTier(v.passed, tier)) said.push(`passed by ${name} rule ${c.ref} on ${formatPorts(c.ports)} to ${nextOf(tier)}`);
  };
  tierSays('admin');
  const networkPolicy = v.contributions.filter((c) => !c.tier && !c.ref.startsWith('default-allow:'));
  const left = v.afterAdmin ?? ALL_PORTS;
  if (v.isolatedBy.length > 0 && isEmptyPorts(left)) said.push(`its NetworkPolicies (${v.isolatedBy.join(', ')}) are not consulted`);
  else if (v.isolatedBy.length > 0) {
    const on = isAllPorts(left) ? '' : `on ${formatPorts(left)}, `;
    said.push(networkPolicy.length === 0
      ? `${on}isolated by ${v.isolatedBy.join(', ')}, and no rule admits ${peer}`
      : `${on}isolated by ${v.isolatedBy.join(', ')}: ${networkPolicy.map((c) => `${c.ref} admits ${peer} on ${formatPorts(c.ports)}`).join('; ')}`);
  }
  tierSays('baseline');
  for (const c of v.contributions.filter((x) => x.ref.startsWith('default-allow:'))) said.push(`no policy decides ${formatPorts(c.ports)}: default-allow`);
  const summary = `${v.direction} of ${pod} (cluster-wide policies ${v.clusterPolicies!.join(', ')}): ${said.length > 0 ? said.join('; ') : `nothing admits ${peer}`}`;
  return {
    direction: v.direction, pod, isolatedBy: v.isolatedBy, rules, ports: v.ports, summary,
    clusterPolicies: v.clusterPolicies!,
    denied: (v.denied ?? []).map((c) => ({ ref: c.ref, ports: c.ports })),
    passed: (v.passed ?? []).map((c) => ({ ref: c.ref, ports: c.ports })),
  };
}
