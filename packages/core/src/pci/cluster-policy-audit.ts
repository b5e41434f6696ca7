import type { Severity, SourceLocation } from '../diagnostics.js';
import { overlapsRange } from '../model/ipblock.js';
import { isEmptyPorts } from '../model/ports.js';
import type { Cluster, ClusterPeer, ClusterPolicy, ClusterRule, Workload } from '../model/types.js';
import { directionVerdict, indexPolicies, isolatingPolicies, matchRule, type Direction, type PodSubject } from '../policy/evaluate.js';
import { resolvePortRules } from '../policy/ports.js';
import { workloadSubject } from '../policy/subjects.js';
import { matchClusterPeer, selectingPolicies } from '../policy/tiers.js';
import type { FindingCode } from './findings.js';

type Add = (code: FindingCode, severity: Severity, object: string, message: string, location: SourceLocation | undefined) => void;

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/**
 * Findings about the cluster-wide tiers, judged on the workloads of the input: policies the API
 * leaves ambiguous (same tier and priority, overlapping), NetworkPolicy rules an Admin rule decides
 * before them, Admin Pass rules that pass to no policy, and Baseline policies no workload reaches.
 */
export function auditClusterPolicies(cluster: Cluster, add: Add, inScope: (id: string) => boolean): void {
  const policies = cluster.clusterPolicies ?? [];
  if (policies.length === 0) return;
  const index = indexPolicies(cluster.policies, policies);
  const labels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const subjects = cluster.workloads.map((w) => ({ w, s: workloadSubject(w, labels.get(w.namespace)) }));
  const severityFor = (ws: readonly Workload[]): Severity => (ws.some((w) => inScope(w.id)) ? 'error' : 'warning');
  const objectOf = (p: ClusterPolicy) => `${p.name}[${p.kind}]`;
  const selectedBy = (p: ClusterPolicy, direction: Direction) => subjects.filter(({ s }) => selectingPolicies([p], s, direction).length > 0);

  // same tier and priority, a workload both select, and rules of one direction whose peers overlap
  for (let i = 0; i < policies.length; i++) {
    for (let j = i + 1; j < policies.length; j++) {
      const a = policies[i]!;
      const b = policies[j]!;
      if (a.tier !== b.tier || a.priority !== b.priority) continue;
      const direction = DIRECTIONS.find((d) => {
        const both = selectedBy(a, d).filter(({ s }) => selectingPolicies([b], s, d).length > 0);
        return both.length > 0 && rulesOverlap(a[d], b[d], subjects.map((x) => x.s));
      });
      if (!direction) continue;
      add('cnp/ambiguous-priority', 'error', objectOf(a),
        `${a.kind} ${a.name} and ${b.kind} ${b.name} are both ${a.tier === 'admin' ? 'Admin' : 'Baseline'} tier at priority ${a.priority} and both decide ${direction} traffic of the same workloads: the network plugin may apply either first (netdiagram applies ${a.name} first, by kind and name)`,
        a.location);
    }
  }

  // NetworkPolicy rules that admit a peer only on ports the Admin tier has already decided
  if (index.admin.length > 0) {
    const used = new Set<string>();
    const matched = new Map<string, { rule: { ref: string; location?: SourceLocation }; workloads: Set<Workload> }>();
    for (const { w, s } of subjects) {
      for (const direction of DIRECTIONS) {
        const isolating = isolatingPolicies(index, s, direction);
        if (isolating.length === 0 || selectingPolicies(index.admin, s, direction).length === 0) continue;
        for (const { s: peer } of subjects) {
          const destination = direction === 'ingress' ? s.ports : peer.ports;
          const verdict = directionVerdict(index, s, direction, peer);
          for (const c of verdict.contributions) used.add(c.ref);
          for (const p of isolating) {
            for (const rule of direction === 'ingress' ? p.ingress : p.egress) {
              // a rule that may admit outside addresses (no peers, an ipBlock) can matter beyond the input's pods
              if (rule.peers === undefined || rule.peers.some((x) => x.kind === 'ipblock')) continue;
              if (matchRule(rule, p.namespace, peer, {}) === 'none' || isEmptyPorts(resolvePortRules(rule.ports, destination))) continue;
              const entry = matched.get(rule.ref) ?? { rule, workloads: new Set<Workload>() };
              entry.workloads.add(w);
              matched.set(rule.ref, entry);
            }
          }
        }
      }
    }
    for (const [ref, { rule, workloads }] of [...matched].sort(([x], [y]) => (x < y ? -1 : 1))) {
      if (used.has(ref)) continue;
      const ws = [...workloads];
      // redundant or dead, never an opening: a warning wherever it is
      add('cnp/allow-overridden', 'warning', `${ref.replace(/^netpol:/, '').replace(/#.*$/, '')}[NetworkPolicy]`,
        `${ref} would admit traffic of ${ws.map((w) => w.id).sort().join(', ')}, but Admin-tier rules decide all of it first: the rule has no effect`,
        rule.location);
    }
  }

  // Admin Pass rules whose subjects have nothing in the next tiers
  for (const p of index.admin) {
    for (const direction of DIRECTIONS) {
      const passes = p[direction].filter((r) => r.action === 'pass');
      if (passes.length === 0) continue;
      const nobody = selectedBy(p, direction).filter(({ s }) => isolatingPolicies(index, s, direction).length === 0 && selectingPolicies(index.baseline, s, direction).length === 0);
      if (nobody.length === 0) continue;
      const ws = nobody.map((x) => x.w);
      add('cnp/pass-to-nothing', severityFor(ws), objectOf(p),
        `${passes.map((r) => r.ref).join(', ')} pass${passes.length === 1 ? 'es' : ''} ${direction} traffic of ${ws.map((w) => w.id).join(', ')} to the next tiers, where no NetworkPolicy and no Baseline policy decides it: it is allowed by the default`,
        passes[0]!.location ?? p.location);
    }
  }

  // Baseline policies every selected workload's NetworkPolicies decide before
  for (const p of index.baseline) {
    for (const direction of DIRECTIONS) {
      if (p[direction].length === 0) continue;
      const selected = selectedBy(p, direction);
      if (selected.length === 0 || !selected.every(({ s }) => isolatingPolicies(index, s, direction).length > 0)) continue;
      add('cnp/baseline-shadowed', 'warning', objectOf(p),
        `the ${direction} rules of ${p.kind} ${p.name} never apply: every workload it selects (${selected.map((x) => x.w.id).join(', ')}) is isolated for ${direction} by a NetworkPolicy, which decides first`,
        p.location);
    }
  }
}

/** Whether some rule of one list and some rule of the other can match the same peer (a workload of the input, or an address). */
function rulesOverlap(a: readonly ClusterRule[], b: readonly ClusterRule[], pods: readonly PodSubject[]): boolean {
  return a.some((x) => b.some((y) => x.peers.some((p) => y.peers.some((q) => peersOverlap(p, q, pods)))));
}

function peersOverlap(p: ClusterPeer, q: ClusterPeer, pods: readonly PodSubject[]): boolean {
  if (p.kind === 'pods' && q.kind === 'pods') return pods.some((s) => matchClusterPeer(p, s, {}) === 'full' && matchClusterPeer(q, s, {}) === 'full');
  if (p.kind === 'networks' && q.kind === 'networks') return p.ranges.some((r) => q.ranges.some((t) => overlapsRange(r, t)));
  // nodes and domain names cannot be placed: two of a kind may well overlap
  return p.kind === q.kind && (p.kind === 'nodes' || p.kind === 'domains');
}
