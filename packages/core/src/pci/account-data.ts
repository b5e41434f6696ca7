import type { SourceLocation } from '../diagnostics.js';
import type { TrafficGraph } from '../graph/types.js';
import {
  ACCOUNT_DATA_ANNOTATION, DATA_FLOWS_ANNOTATION, parseAccountDataRoles, parseDataFlowNames, type AccountDataRole,
} from '../model/account-data.js';
import { parseCidr, type AddressRange } from '../model/ipblock.js';
import type { PortSet } from '../model/ports.js';
import type { Cluster, Workload } from '../model/types.js';
import { partiesHolding, type Party, type PartyKind } from './parties.js';
import { boundaryNumbers, policiesOf, type CdeScope, type Zone } from './scope.js';

/** A workload whose team states that it handles account data, and how. */
export interface AccountDataHandler {
  readonly id: string;
  /** At least one role; a workload annotated `none` is not a handler. */
  readonly roles: readonly AccountDataRole[];
  /** Its data-flow names (`netdiagram.io/data-flows`), sorted; empty when not stated. */
  readonly flows: readonly string[];
  /** `workload` (pod template or controller) or `namespace NAME`: where the statement is written. */
  readonly declaredOn: string;
  readonly zone: Zone;
  readonly location?: SourceLocation;
}

/** An outside address set of the graph, and the declared party it belongs to. */
export interface OutsideEnd {
  readonly id: string;
  /** The graph's name for it (`Internet`, `198.51.100.0/24`). */
  readonly label: string;
  /** The party that holds every address of the set, when one does alone. */
  readonly party?: { readonly name: string; readonly kind: PartyKind };
  /** The parties that together hold every address of the set (the one `party`, or several); empty: an untrusted network. */
  readonly parties: readonly { readonly name: string; readonly kind: PartyKind }[];
  /** Parties that hold only some of its addresses: the set is more than the party, so it stays untrusted. */
  readonly overlaps: readonly string[];
  /** An Ingress (or Route): the door of the ingress controller, which forwards whoever reaches it. */
  readonly ingress?: true;
}

/** An allowed flow that carries account data as the annotations state it: into, between or out of handlers. */
export interface AccountDataFlow {
  /** `D1`, `D2`, …: entries first (those only a Service makes last), then flows between handlers, then exits, each sorted by (from, to). */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** `entry`: from outside the cluster into a handler; `exit`: from a handler to outside; `internal`: between handlers. */
  readonly kind: 'entry' | 'internal' | 'exit';
  readonly ports: PortSet;
  readonly via: readonly string[];
  readonly policies: readonly string[];
  readonly partial: boolean;
  /** The CDE boundary number of the same flow (`F3`), as the network diagram and boundary.csv give it. */
  readonly boundary?: string;
  /** The declared party at the outside end (`Acme, Visa` when several hold its addresses); absent for an untrusted network or an internal flow. */
  readonly party?: string;
  /** The data-flow names both ends declare: what explains the path. Empty: nothing does. */
  readonly explainedBy: readonly string[];
  /**
   * The objects that expose the handler outside the cluster on this entry: `LoadBalancer Service
   * pay/web`, `NodePort Service …`, `Ingress pay/shop`. Empty: the policies alone admit the addresses.
   */
  readonly exposedBy: readonly string[];
  /** The graph ids of those objects (`pay/web[Service]`), so a drawing can number the route it takes. */
  readonly exposedThrough: readonly string[];
  /** Where the first exposing object is written, for a finding about an entry no rule admits. */
  readonly exposedAt?: SourceLocation;
}

/** What the account-data annotations and the parties file say, joined with the allowed traffic. */
export interface AccountDataModel {
  /** Whether any workload or namespace carries an account-data annotation. */
  readonly annotated: boolean;
  readonly handlers: readonly AccountDataHandler[];
  /** Workloads annotated `none`: they state that they handle no account data. */
  readonly declaredNone: readonly string[];
  /** The same workloads with where each states `none` and its zone, for the records' tables. */
  readonly noneStatements: readonly { readonly id: string; readonly declaredOn: string; readonly zone: Zone }[];
  /**
   * Workloads whose statement does not parse (an error the input reader reported, keeping the
   * workload): `role` unknown (not a handler, not `none`), or only its `data flows`. Every record
   * built from the model names them as INCOMPLETE.
   */
  readonly unreadable: readonly { readonly id: string; readonly what: 'role' | 'data flows'; readonly declaredOn: string; readonly location?: SourceLocation }[];
  readonly flows: readonly AccountDataFlow[];
  /** Every outside address set an account-data flow reaches, by id. */
  readonly outside: readonly OutsideEnd[];
  readonly parties: readonly Party[];
  /** Allowed flows between a handler and a workload without a role (not drawn in the data-flow view). */
  readonly otherFlows: number;
}

/**
 * Joins the annotations with the traffic graph (built with every flow, `openFlows: 'edges'`) and the
 * scope. A workload's own annotation wins over its namespace's. Flows are the graph's allowed flows
 * whose ends are both handlers, or a handler and an outside address; they keep the graph's ids
 * and the CDE boundary numbers, so the data-flow diagram reconciles with the network diagram.
 * Annotation values that do not parse are errors of the manifest reader, which keeps the workload:
 * here it is `unreadable`, neither a handler nor `none`.
 */
export function computeAccountData(cluster: Cluster, graph: TrafficGraph, scope: CdeScope, parties: readonly Party[] = []): AccountDataModel {
  const namespaces = new Map(cluster.namespaces.map((n) => [n.name, n]));
  const handlers = new Map<string, AccountDataHandler>();
  const declaredNone: string[] = [];
  const noneStatements: AccountDataModel['noneStatements'][number][] = [];
  const unreadable: AccountDataModel['unreadable'][number][] = [];
  let annotated = cluster.namespaces.some((n) => n.annotations[ACCOUNT_DATA_ANNOTATION] !== undefined);
  for (const w of [...cluster.workloads].sort((a, b) => compare(a.id, b.id))) {
    const statement = statementOf(w, namespaces.get(w.namespace)?.annotations ?? {});
    if (!statement) continue;
    annotated = true;
    const declaredOn = statement.on === 'workload' ? 'workload' : `namespace ${w.namespace}`;
    const at = w.location ? { location: w.location } : {};
    if (statement.roles === undefined) {
      unreadable.push({ id: w.id, what: 'role', declaredOn, ...at });
      continue;
    }
    if (statement.flows === undefined) unreadable.push({ id: w.id, what: 'data flows', declaredOn, ...at });
    if (statement.roles.length === 0) {
      declaredNone.push(w.id);
      noneStatements.push({ id: w.id, declaredOn, zone: scope.zones[w.id] ?? 'out-of-scope' });
      continue;
    }
    handlers.set(w.id, {
      id: w.id, roles: statement.roles, flows: statement.flows ?? [], declaredOn,
      zone: scope.zones[w.id] ?? 'out-of-scope', ...(w.location ? { location: w.location } : {}),
    });
  }

  const outside = new Map<string, OutsideEnd & { holders?: readonly Party[] }>();
  const outsideEnd = (id: string): OutsideEnd => {
    const known = outside.get(id);
    if (known) return known;
    const end = matchParty(id, graph, parties);
    outside.set(id, end);
    return end;
  };
  const numbers = boundaryNumbers(scope);
  const unnumbered: Omit<AccountDataFlow, 'id'>[] = [];
  let otherFlows = 0;
  const ingresses = new Map(cluster.ingresses.map((i) => [i.id, i]));
  graph.forEachEdge((_key, a, source, target) => {
    if (a.type !== 'flow') return;
    const from = handlers.get(source);
    const to = handlers.get(target);
    // an Ingress's flow is the ingress controller forwarding what it receives from outside: an entry
    const ingress = ingresses.get(source);
    if (ingress && to) {
      outside.set(source, { id: source, label: `${ingress.kind} ${ingress.namespace}/${ingress.name}${ingress.hosts.length > 0 ? ` (${ingress.hosts.join(', ')})` : ''}`, parties: [], overlaps: [], ingress: true });
      unnumbered.push({
        from: source, to: target, kind: 'entry', ports: a.ports, via: a.via, policies: policiesOf(a.via), partial: a.partial, explainedBy: [],
        ...(numbers.get(`${source}\u0000${target}`) ? { boundary: numbers.get(`${source}\u0000${target}`)!.id } : {}),
        exposedBy: [`${ingress.kind} ${ingress.namespace}/${ingress.name}`], exposedThrough: [source], ...(ingress.location ? { exposedAt: ingress.location } : {}),
      });
      return;
    }
    const sourceOutside = graph.getNodeAttribute(source, 'type') === 'external';
    const targetOutside = graph.getNodeAttribute(target, 'type') === 'external';
    let kind: AccountDataFlow['kind'];
    let explainedBy: readonly string[] = [];
    let party: string | undefined;
    if (from && to) {
      kind = 'internal';
      explainedBy = common(from.flows, to.flows);
    } else if (to && sourceOutside) {
      kind = 'entry';
      const end = outsideEnd(source);
      party = partyName(end);
      explainedBy = common(partyFlows(end), to.flows);
    } else if (from && targetOutside) {
      kind = 'exit';
      const end = outsideEnd(target);
      party = partyName(end);
      explainedBy = common(from.flows, partyFlows(end));
    } else {
      if (from || to) otherFlows++;
      return;
    }
    const boundary = numbers.get(`${source}\u0000${target}`)?.id;
    unnumbered.push({
      from: source, to: target, kind, ports: a.ports, via: a.via, policies: policiesOf(a.via), partial: a.partial,
      ...(boundary ? { boundary } : {}), ...(party !== undefined ? { party } : {}), explainedBy, exposedBy: [], exposedThrough: [],
    });
  });
  addServiceExposure(cluster, graph, handlers, unnumbered, outsideEnd, parties);
  const rank = { entry: 0, internal: 1, exit: 2 } as const;
  const flows = unnumbered
    // an entry only a Service makes (no rule admits it) follows those the policies admit, so adding a Service renumbers nothing
    .sort((x, y) => rank[x.kind] - rank[y.kind] || Number(serviceOnly(x)) - Number(serviceOnly(y)) || compare(x.from, y.from) || compare(x.to, y.to))
    .map((f, i): AccountDataFlow => ({ id: `D${i + 1}`, ...f }));
  return {
    annotated,
    handlers: [...handlers.values()],
    declaredNone,
    noneStatements,
    unreadable,
    flows,
    outside: [...outside.values()].map(({ holders: _h, ...end }) => end).sort((a, b) => compare(a.id, b.id)),
    parties,
    otherFlows,
  };
}

/**
 * Entries through LoadBalancer and NodePort Services, as the traffic graph routes them (outside
 * addresses → Service → backend): the addresses reach the backend whatever its policies say, since
 * whether a NetworkPolicy sees the client's address or a node's after the load balancer is left to
 * the network plugin. An entry the policies also admit from the same addresses is the same flow.
 */
function addServiceExposure(
  cluster: Cluster, graph: TrafficGraph, handlers: ReadonlyMap<string, AccountDataHandler>, flows: Omit<AccountDataFlow, 'id'>[],
  outsideEnd: (id: string) => OutsideEnd, parties: readonly Party[],
): void {
  for (const s of cluster.services) {
    if ((s.type !== 'LoadBalancer' && s.type !== 'NodePort') || !graph.hasNode(s.id)) continue;
    const sources = graph.inEdges(s.id).filter((e) => graph.getEdgeAttribute(e, 'type') === 'route' && graph.getNodeAttribute(graph.source(e), 'type') === 'external').map((e) => graph.source(e));
    for (const e of graph.outEdges(s.id)) {
      const a = graph.getEdgeAttributes(e);
      const to = handlers.get(graph.target(e));
      if (a.type !== 'route' || !to || a.unresolved) continue;
      for (const from of sources) {
        const by = `${s.type} Service ${s.namespace}/${s.name}`;
        const i = flows.findIndex((f) => f.from === from && f.to === to.id);
        if (i >= 0) {
          const f = flows[i]!;
          flows[i] = { ...f, exposedBy: [...new Set([...f.exposedBy, by])].sort(), exposedThrough: [...new Set([...f.exposedThrough, s.id])].sort(), ...(f.exposedAt || !s.location ? {} : { exposedAt: s.location }) };
          continue;
        }
        const end = outsideEnd(from);
        const party = partyName(end);
        flows.push({
          from, to: to.id, kind: 'entry', ports: a.ports, via: [], policies: [], partial: false,
          ...(party !== undefined ? { party } : {}), explainedBy: common(partyFlows(end), to.flows),
          exposedBy: [by], exposedThrough: [s.id], ...(s.location ? { exposedAt: s.location } : {}),
        });
      }
    }
  }
}

/** A workload's account-data statement: its own annotation, else its namespace's; undefined: none. Roles or flows undefined: written but unreadable. */
function statementOf(w: Workload, nsAnnotations: Readonly<Record<string, string>>): { roles?: readonly AccountDataRole[]; flows?: readonly string[]; on: 'workload' | 'namespace' } | undefined {
  const own = w.annotations[ACCOUNT_DATA_ANNOTATION];
  const on = own !== undefined ? 'workload' : nsAnnotations[ACCOUNT_DATA_ANNOTATION] !== undefined ? 'namespace' : undefined;
  if (on === undefined) return undefined;
  const source = on === 'workload' ? w.annotations : nsAnnotations;
  // a controller and its pods stating different values: neither is picked (model/workloads.ts)
  const conflicting = (key: string) => w.conflictingAnnotations?.includes(key) === true;
  const roles = conflicting(ACCOUNT_DATA_ANNOTATION) ? { ok: false as const } : parseAccountDataRoles(source[ACCOUNT_DATA_ANNOTATION]!);
  // data-flow names are per workload; a namespace's apply to workloads that state none
  const flowText = w.annotations[DATA_FLOWS_ANNOTATION] ?? nsAnnotations[DATA_FLOWS_ANNOTATION];
  const flows = conflicting(DATA_FLOWS_ANNOTATION) ? { ok: false as const } : flowText !== undefined ? parseDataFlowNames(flowText) : undefined;
  return { ...(roles.ok ? { roles: roles.roles } : {}), ...(flows === undefined ? { flows: [] } : flows.ok ? { flows: flows.names } : {}), on };
}

/** The parties an outside address set belongs to (parties.ts partiesHolding). */
export function partiesText(end: Pick<OutsideEnd, 'parties'>): string {
  return end.parties.map((p) => `${p.kind} ${p.name}`).join(', ');
}

/** The parties an outside address set belongs to, with the Party objects kept for their data flows. */
function matchParty(id: string, graph: TrafficGraph, parties: readonly Party[]): OutsideEnd & { holders: readonly Party[] } {
  const node = graph.getNodeAttributes(id);
  const label = node.type === 'external' ? node.label : id;
  const ranges: AddressRange[] = [];
  for (const c of node.type === 'external' ? node.ips : []) {
    const p = parseCidr(c);
    if (p.ok) ranges.push(p.range);
  }
  const { holders, overlaps } = partiesHolding(ranges, parties);
  const named = holders.map((p) => ({ name: p.name, kind: p.kind }));
  return { id, label, ...(named.length === 1 ? { party: named[0]! } : {}), parties: named, overlaps: overlaps.map((p) => p.name), holders };
}

function partyName(end: OutsideEnd): string | undefined {
  return end.parties.length > 0 ? end.parties.map((p) => p.name).join(', ') : undefined;
}

function serviceOnly(f: Omit<AccountDataFlow, 'id'>): boolean {
  return f.via.length === 0 && f.exposedBy.length > 0;
}

/** The data flows the parties at an end take part in: any of theirs explains a path. */
function partyFlows(end: OutsideEnd): readonly string[] {
  return [...new Set((end as { holders?: readonly Party[] }).holders?.flatMap((p) => p.flows) ?? [])].sort();
}

function common(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return a.filter((x) => set.has(x));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
