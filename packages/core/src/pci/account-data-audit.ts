import type { Severity, SourceLocation } from '../diagnostics.js';
import type { TrafficGraph } from '../graph/types.js';
import { formatPorts } from '../model/ports.js';
import type { Cluster } from '../model/types.js';
import { partiesText, type AccountDataModel } from './account-data.js';
import { FINDING_RULES, sortFindings, type Finding, type FindingCode } from './findings.js';
import type { CdeScope } from './scope.js';

export interface AccountDataAuditOptions {
  /** Every path between handlers (and to a party) must share a declared data-flow name. */
  readonly strictFlows?: boolean;
}

/**
 * The data-flow findings: a `stores` workload an untrusted network reaches (PCI DSS 1.4.4), a
 * `processes` or `transmits` workload an untrusted network reaches (1.4.2), CDE workloads without a
 * statement, handlers outside the CDE, and
 * with `strictFlows` the paths no declared data flow explains. Sorted by location.
 */
export function auditAccountData(cluster: Cluster, graph: TrafficGraph, scope: CdeScope, model: AccountDataModel, options: AccountDataAuditOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, object: string, message: string, location: SourceLocation | undefined) => {
    findings.push({ code, severity, message, object, requirements: FINDING_RULES[code].requirements, ...(location ? { location } : {}) });
  };
  const workloads = new Map(cluster.workloads.map((w) => [w.id, w]));
  const ruleLocations = new Map(cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]).map((r) => [r.ref, r.location]));
  const flowLocation = (via: readonly string[], fallback: string) =>
    via.map((ref) => ruleLocations.get(ref)).find((l) => l !== undefined) ?? workloads.get(fallback)?.location;
  const handlers = new Map(model.handlers.map((h) => [h.id, h]));
  const outside = new Map(model.outside.map((o) => [o.id, o]));
  const ingressIds = new Set(cluster.ingresses.map((i) => i.id));

  // untrusted networks: outside addresses that no declared party wholly holds; a party is a
  // declared connection, but a store must not be reachable even from one
  for (const f of model.flows) {
    if (f.kind !== 'entry') continue;
    const h = handlers.get(f.to)!;
    const end = outside.get(f.from);
    const declared = end !== undefined && end.parties.length > 0;
    const who = declared ? `${partiesText(end)} (${end.label})` : end?.label ?? f.from;
    const number = [f.id, f.boundary].filter((n) => n !== undefined).join(', ');
    const through = f.exposedBy.length > 0 ? `, exposed outside the cluster by ${f.exposedBy.join(', ')}` : '';
    // an Ingress is the ingress controller's door: whoever reaches the controller, the untrusted network
    const from = ingressIds.has(f.from) ? `outside the cluster through ${who}` : declared ? who : `the untrusted network ${who}`;
    const at = f.via.length > 0 ? flowLocation(f.via, h.id) : f.exposedAt ?? flowLocation(f.via, h.id);
    if (h.roles.includes('stores')) {
      add('data/store-reachable-from-untrusted', 'error', h.id,
        `${h.id} stores account data and is reachable from ${ingressIds.has(f.from) ? from : who} on ${formatPorts(f.ports)} (${number}${through})`, at);
    } else if (!declared) {
      add('data/reachable-from-untrusted', 'warning', h.id,
        `${h.id} ${h.roles.join(', ')} account data and is reachable from ${from} on ${formatPorts(f.ports)} (${number}${through})`, at);
    }
  }
  // a store an Ingress routes to is an error even where the policies are read to refuse the ingress
  // controller: which pod that is, netdiagram may only assume (--ingress-controller)
  const backendsOf = (id: string) => graph.outEdges(id).filter((e) => graph.getEdgeAttribute(e, 'type') === 'route').map((e) => graph.target(e));
  const entered = new Set(model.flows.filter((f) => f.kind === 'entry').map((f) => `${f.from}\u0000${f.to}`));
  for (const ing of cluster.ingresses) {
    if (!graph.hasNode(ing.id)) continue;
    for (const service of backendsOf(ing.id)) {
      for (const b of backendsOf(service)) {
        if (entered.has(`${ing.id}\u0000${b}`)) continue;
        if (handlers.get(b)?.roles.includes('stores')) {
          add('data/store-reachable-from-untrusted', 'error', b, `${b} stores account data and is exposed outside the cluster by ${ing.kind} ${ing.namespace}/${ing.name} (through ${service})`, ing.location);
        }
      }
    }
  }

  // a statement that does not parse is reported by the input reader, not as a missing one
  const none = new Set([...model.declaredNone, ...model.unreadable.filter((u) => u.what === 'role').map((u) => u.id)]);
  for (const m of scope.cde) {
    if (handlers.has(m.id) || none.has(m.id)) continue;
    add('data/cde-workload-unannotated', 'warning', m.id,
      `CDE workload ${m.id} does not state whether it handles account data (annotate it netdiagram.io/account-data: stores, processes, transmits or none)`, workloads.get(m.id)?.location);
  }
  for (const h of model.handlers) {
    if (h.zone === 'cde') continue;
    add('data/handler-outside-cde', 'error', h.id,
      `${h.id} ${h.roles.join(', ')} account data (annotation on the ${h.declaredOn}) but is not in the CDE (${scope.defined ? `it is ${h.zone}` : 'no CDE is marked'})`, h.location);
  }
  if (options.strictFlows) {
    for (const f of model.flows) {
      if (f.explainedBy.length > 0) continue;
      if (f.kind !== 'internal' && f.party === undefined) continue; // untrusted ends are reported above
      const handler = f.kind === 'exit' ? f.from : f.to;
      add('data/flow-unexplained', 'error', handler,
        `${f.id}${f.boundary ? ` (${f.boundary})` : ''}: ${f.from} → ${f.to} on ${formatPorts(f.ports)} is allowed, but the two ends declare no common data flow (netdiagram.io/data-flows${f.party ? ', and the party\'s flows' : ''})`,
        flowLocation(f.via, handler));
    }
  }
  return sortFindings(findings);
}
