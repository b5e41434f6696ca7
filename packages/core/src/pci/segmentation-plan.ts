import { createHash } from 'node:crypto';
import type { TrafficGraph } from '../graph/types.js';
import { intersectPorts, isEmptyPorts, portRange, type PortSet, type Protocol } from '../model/ports.js';
import type { Cluster, Workload } from '../model/types.js';
import type { CdeScope } from './scope.js';
import { segmentationControls } from './segmentation-controls.js';

/**
 * One probe of a segmentation test (PCI DSS 11.4.5): a connection attempt from one side to the
 * other on one port, and the verdict the policies give it. `isolation` probes cross between an
 * out-of-scope workload and the CDE and must fail; `control` probes are allowed boundary flows
 * (positive controls), which must connect, so a probe that fails everywhere proves nothing.
 */
export interface Probe {
  /** `P1`, `P2`, …: isolation probes first, then controls, each sorted by (from, to, protocol, port). */
  readonly id: string;
  readonly kind: 'isolation' | 'control';
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly expected: 'allow' | 'deny';
  /** The boundary flow a control probes (`F1`). */
  readonly boundary?: string;
  /** What the tester runs (`kubectl exec … -- nc -zv -w 3 HOST PORT`), or a `# …` instruction for an outside end. */
  readonly command: string;
}

export interface SegmentationPlan {
  /**
   * `plan-1a2b3c4d5e6f`: the sha256 of what the plan tests (the segmentation controls' meaning,
   * the CDE selectors, the plan's options and every probe with its command). Each row of the CSV
   * carries it, so results recorded against another plan (before a segmentation change) are refused.
   */
  readonly identity: string;
  readonly probes: readonly Probe[];
  /**
   * CDE workloads that declare no container port and got no `--probe-port`: nothing probes into
   * them, so the plan cannot show they are isolated. An error for the caller to report.
   */
  readonly unprobedCde: readonly string[];
  /** What the plan leaves to the tester: sampled namespaces, workloads without a declared port, flows with no port to probe. */
  readonly notes: readonly string[];
}

export interface SegmentationPlanOptions {
  /** Probe at most this many out-of-scope workloads per namespace (after merging those with identical labels). */
  readonly sample?: number;
  /** Ports to probe on every target besides its declared container ports (`--probe-port`). */
  readonly probePorts?: readonly { readonly protocol: Protocol; readonly port: number }[];
}

/**
 * The probe matrix for a segmentation test: every out-of-scope workload (or a sample per namespace)
 * against every CDE workload on each port the target declares, in both directions, expected as the
 * allowed-traffic graph says (deny, for workloads out of scope by definition); then each allowed
 * boundary flow between concrete ends as a positive control. Deterministic: sorted, numbered.
 */
export function planSegmentationTests(cluster: Cluster, graph: TrafficGraph, scope: CdeScope, options: SegmentationPlanOptions = {}): SegmentationPlan {
  const notes: string[] = [];
  const byId = new Map(cluster.workloads.map((w) => [w.id, w]));
  const cde = scope.cde.map((m) => byId.get(m.id)).filter((w): w is Workload => w !== undefined);
  const outside = sampleOutOfScope(cluster.workloads.filter((w) => scope.zones[w.id] === 'out-of-scope'), options.sample, notes);
  const allowed = (from: string, to: string): PortSet | undefined => {
    if (!graph.hasNode(from) || !graph.hasNode(to)) return undefined;
    let ports: PortSet | undefined;
    for (const e of graph.edges(from, to)) {
      const a = graph.getEdgeAttributes(e);
      if (a.type === 'flow') ports = a.ports;
    }
    return ports;
  };
  const portsOf = (w: Workload) => {
    const list = [...w.ports.map((p) => ({ protocol: p.protocol, port: p.port })), ...(options.probePorts ?? [])];
    const seen = new Set<string>();
    return list.filter((p) => {
      const key = `${p.protocol}/${p.port}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const unprobed = new Set<string>();
  const isolation: Omit<Probe, 'id'>[] = [];
  const pair = (from: Workload, to: Workload) => {
    const ports = portsOf(to);
    if (ports.length === 0) unprobed.add(to.id);
    const open = allowed(from.id, to.id);
    for (const p of ports) {
      const admits = open !== undefined && !isEmptyPorts(intersectPorts(open, portRange(p.protocol, p.port)));
      isolation.push({ kind: 'isolation', from: from.id, to: to.id, protocol: p.protocol, port: p.port, expected: admits ? 'allow' : 'deny', command: podCommand(from, to, p.protocol, p.port) });
    }
  };
  for (const o of outside) {
    for (const c of cde) {
      pair(o, c);
      pair(c, o);
    }
  }
  const cdeIds = new Set(cde.map((w) => w.id));
  const unprobedCde = [...unprobed].filter((id) => cdeIds.has(id)).sort();
  for (const id of [...unprobed].sort()) notes.push(`${id} declares no container port: probe the ports it listens on (--probe-port PORT/PROTOCOL)`);

  const controls: Omit<Probe, 'id'>[] = [];
  // a representative peer is probed through the input's pods it holds (its instances), else left to the tester
  const ends = scope.boundary.flatMap((f) => {
    if (!f.representative) return [{ f, fromId: f.from, toId: f.to }];
    const held = f.representative.instances.filter((i) => byId.has(i.from) && byId.has(i.to));
    if (held.length === 0) notes.push(`${f.id} (${f.from} → ${f.to}) admits pods the input does not hold: probe it from a pod its selectors match`);
    return held.map((i) => ({ f, fromId: i.from, toId: i.to }));
  });
  for (const { f, fromId, toId } of ends) {
    const from = byId.get(fromId);
    const to = byId.get(toId);
    const candidates = to ? portsOf(to).filter((p) => !isEmptyPorts(intersectPorts(f.ports, portRange(p.protocol, p.port)))) : singlePorts(f.ports);
    if (candidates.length === 0) notes.push(`${f.id} (${fromId} → ${toId}) has no single port to probe (${to ? 'the target declares none it allows' : 'port ranges only'})`);
    for (const p of candidates) {
      const label = (id: string) => (graph.hasNode(id) ? (graph.getNodeAttributes(id) as { label?: string }).label ?? id : id);
      const command = from && to ? podCommand(from, to, p.protocol, p.port)
        : from ? `${execPrefix(from)} -- ${nc(p.protocol)} "<an address in ${label(toId)}>" ${p.port}`
          : `# from outside the cluster, an address in ${label(fromId)}: ${nc(p.protocol)} "<the address ${toId} is reached at (its LoadBalancer, NodePort or Ingress)>" ${p.port}`;
      controls.push({ kind: 'control', from: fromId, to: toId, protocol: p.protocol, port: p.port, expected: 'allow', boundary: f.id, command });
    }
  }
  const order = (a: Omit<Probe, 'id'>, b: Omit<Probe, 'id'>) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.protocol, b.protocol) || a.port - b.port;
  const probes = [...isolation.sort(order), ...controls.sort(order)].map((p, i): Probe => ({ id: `P${i + 1}`, ...p }));
  const identity = `plan-${createHash('sha256').update(JSON.stringify({
    controls: segmentationControls(cluster, scope).map((c) => [c.id, c.fingerprint, c.selectsCde]),
    cde: scope.selectors, options: { sample: options.sample ?? null, probePorts: options.probePorts ?? [] }, probes, notes,
  })).digest('hex').slice(0, 12)}`;
  return { identity, probes, unprobedCde, notes };
}

/** Out-of-scope workloads to probe: one per label set per namespace, then at most `sample` per namespace. */
function sampleOutOfScope(workloads: readonly Workload[], sample: number | undefined, notes: string[]): Workload[] {
  const byNamespace = new Map<string, Workload[]>();
  for (const w of [...workloads].sort((a, b) => compare(a.id, b.id))) {
    const list = byNamespace.get(w.namespace) ?? [];
    list.push(w);
    byNamespace.set(w.namespace, list);
  }
  const kept: Workload[] = [];
  for (const [ns, list] of [...byNamespace].sort(([a], [b]) => compare(a, b))) {
    const seen = new Set<string>();
    const distinct = list.filter((w) => {
      const key = JSON.stringify(Object.entries(w.labels).sort(([a], [b]) => compare(a, b)));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (distinct.length < list.length) notes.push(`namespace ${ns}: ${list.length - distinct.length} out-of-scope workload(s) share labels with another and are probed through it`);
    const chosen = sample !== undefined ? distinct.slice(0, sample) : distinct;
    if (chosen.length < distinct.length) notes.push(`namespace ${ns}: ${chosen.length} of ${distinct.length} out-of-scope label sets probed (--sample ${sample}): ${distinct.slice(chosen.length).map((w) => w.id).join(', ')} not probed`);
    kept.push(...chosen);
  }
  return kept;
}

function singlePorts(ports: PortSet): { protocol: Protocol; port: number }[] {
  const out: { protocol: Protocol; port: number }[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    for (const [lo, hi] of ports[protocol]) if (lo === hi) out.push({ protocol, port: lo });
  }
  return out;
}

/** `'app=pci,tier=frontend'`: label keys and values are validated on input, so they are shell-safe inside single quotes. */
function selectorOf(w: Workload): string {
  return `'${Object.entries(w.labels).sort(([a], [b]) => compare(a, b)).map(([k, v]) => `${k}=${v}`).join(',')}'`;
}

/** A bare Pod is named (its labels may be none, and `-l ''` would pick any pod of the namespace); a controller's pods are selected by their labels. */
function execPrefix(w: Workload): string {
  if (w.kind === 'Pod') return `kubectl exec -n ${w.namespace} pod/${w.name}`;
  return `kubectl exec -n ${w.namespace} "$(kubectl get pod -n ${w.namespace} -l ${selectorOf(w)} -o name | head -n 1)"`;
}

function nc(protocol: Protocol): string {
  return protocol === 'UDP' ? 'nc -zuv -w 3' : protocol === 'SCTP' ? 'ncat --sctp -zv -w 3' : 'nc -zv -w 3';
}

function podCommand(from: Workload, to: Workload, protocol: Protocol, port: number): string {
  const host = to.kind === 'Pod'
    ? `"$(kubectl get pod -n ${to.namespace} ${to.name} -o jsonpath='{.status.podIP}')"`
    : `"$(kubectl get pod -n ${to.namespace} -l ${selectorOf(to)} -o jsonpath='{.items[0].status.podIP}')"`;
  return `${execPrefix(from)} -- ${nc(protocol)} ${host} ${port}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
