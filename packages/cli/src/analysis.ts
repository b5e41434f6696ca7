import type { LayoutOptions } from '@netdiagram/render';
import {
  buildTrafficGraph, didYouMean, findLeftOut, formatDiagnostic, formatIncomplete, hasErrors, parseManifests, parseCidr, parseSelectorText, sortDiagnostics,
  isCniName, previewStagedPolicies, type StagedChange, type StagedPreview, listNotEvaluatedPeers, notEvaluatedPeerNotices, unevaluatedPolicyNotices, type NotEvaluatedPeer, type CniName, type Cluster, type Selector, type Diagnostic, type Parsed, type Source, type TrafficGraph, type IngressController,
} from '@netdiagram/core';
import { collectSources, MAX_INPUT_BYTES, type Io } from './io.js';
import { terminalText } from './escape.js';
import { UsageError } from './usage-error.js';
import { readCluster, type ClusterRead } from './cluster/read-cluster.js';
import { fileInputs, wantsCluster, type ClusterOptions } from './options.js';

/** Options every command that analyses manifests shares. */
export interface AnalysisOptions extends ClusterOptions {
  readonly podCidr?: readonly string[];
  readonly ingressController?: string;
  /** `--gateway-controller`: the data plane of Gateways whose own Deployment is not in the input. */
  readonly gatewayController?: string;
  readonly namespace?: string;
  /** Unknown fields are warnings, not errors (see ParseOptions.lenient). */
  readonly lenient?: boolean;
  /** `--cni`: the network plugin to judge the input for (absent: inferred from the input). */
  readonly cni?: string;
  readonly verbose?: boolean;
  /** Scope selectors of the commands that take them: they read pod labels, so they tell pods apart. */
  readonly cde?: readonly string[];
  readonly outOfScope?: readonly string[];
  /** Other selectors given with the input (an expectations file's `from`/`to`). */
  readonly podSelectors?: readonly { readonly selector: Selector; readonly by: string }[];
}

export interface Analysis {
  readonly parsed: Parsed;
  readonly graph: TrafficGraph;
  readonly sourceTexts: ReadonlyMap<string, string>;
  /** Whether any input problem was an error (exit code 2 after the output is written). */
  readonly failed: boolean;
  /** Every diagnostic of the run (reading, parsing, graph), sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** How many of the sources are objects read from a live cluster (the rest are files). */
  readonly clusterObjects: number;
  /** What the staged Calico policies would change, were they enforced (never drawn as enforced). */
  readonly stagedChanges: readonly StagedChange[];
  /** The graphs a diagram draws the staged changes from (present when a staged policy is previewed). */
  readonly stagedGraphs?: StagedPreview['graphs'];
  /** Peers the policies name that are not evaluated (FQDNs, cloud groups, unplaced entities, …): drawn dashed, listed in JSON. */
  readonly notEvaluatedPeers: readonly NotEvaluatedPeer[];
}

/** `3 files`, `120 objects`, `2 files and 120 objects`: what a title block says the input was. */
export function describeSources(analysis: Pick<Analysis, 'sourceTexts' | 'clusterObjects'>): string {
  const files = analysis.sourceTexts.size - analysis.clusterObjects;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (analysis.clusterObjects === 0) return count(files, 'file');
  return files === 0 ? count(analysis.clusterObjects, 'object') : `${count(files, 'file')} and ${count(analysis.clusterObjects, 'object')}`;
}

/**
 * How a command wants its graph: `openFlows` decides, once the cluster is known, whether pairs
 * where neither side is isolated become edges (`connections` must list them; a diagram draws them
 * once per workload and can leave them out).
 */
export interface GraphChoice {
  readonly openFlows?: (cluster: Cluster) => 'edges' | 'omit';
}

/**
 * The INCOMPLETE line every output built from input with errors carries (what was left out, and
 * what of a kept object was not read), or undefined when the input had no error.
 */
export function incompleteOf(analysis: Analysis, options: Pick<AnalysisOptions, 'namespace'>): string | undefined {
  const leftOut = findLeftOut([...analysis.sourceTexts].map(([name, text]) => ({ name, text })), analysis.diagnostics,
    options.namespace !== undefined ? { namespace: options.namespace } : {});
  return formatIncomplete(analysis.diagnostics, leftOut);
}

/**
 * Reads the inputs (files, standard input, and with --cluster the live cluster), parses them,
 * builds the graph, and prints every diagnostic to stderr.
 */
export async function analyse(inputs: readonly string[], options: AnalysisOptions, io: Io, graph: GraphChoice = {}): Promise<Analysis> {
  const files = fileInputs(inputs, options);
  const cluster = wantsCluster(options) ? await readCluster({ ...clusterChoice(options), maxBytes: MAX_INPUT_BYTES }, io) : undefined;
  if (files.length === 0 && !cluster) throw new UsageError('no inputs: name manifest files or directories, - for standard input, or read a live cluster with --cluster');
  const clusterBytes = cluster ? cluster.sources.reduce((sum, s) => sum + Buffer.byteLength(s.text), 0) : 0;
  const collected = files.length > 0 ? await collectSources(files, io, { maxInputBytes: MAX_INPUT_BYTES - clusterBytes }) : { sources: [], diagnostics: [] };
  // the cluster's objects first: a file's object of the same kind and name is read later, and wins
  const sources = [...(cluster?.sources ?? []), ...collected.sources];
  const analysis = analyseSources(sources, [...(cluster?.diagnostics ?? []), ...collected.diagnostics], options, io, graph, cluster);
  if (sources.length === 0 && !analysis.failed && !cluster) throw new UsageError('no manifests found in the given inputs');
  return analysis;
}

/** The cluster options of a run, for readCluster: `--namespace` limits the read unless --all-namespaces. */
function clusterChoice(options: AnalysisOptions): { kubeconfig?: string; context?: string; namespace?: string } {
  return {
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.namespace !== undefined && options.allNamespaces !== true ? { namespace: options.namespace } : {}),
  };
}

/** The options without a cluster: for the side of a drift diff that is files. */
export function withoutCluster<T extends AnalysisOptions>(options: T): T {
  const { cluster: _cluster, context: _context, kubeconfig: _kubeconfig, clusterInput: _input, ...rest } = options;
  return rest as T;
}

/**
 * Parses sources already read (from files, stdin or a git revision), builds the graph, and prints
 * the diagnostics: errors always, warnings with --verbose (and the few that change what is drawn).
 */
export function analyseSources(sources: readonly Source[], readDiagnostics: readonly Diagnostic[], options: AnalysisOptions, io: Io, graph: GraphChoice = {}, cluster?: Pick<ClusterRead, 'label' | 'unread'>): Analysis {
  const podCidrs = (options.podCidr ?? []).map((text) => {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new UsageError(`--pod-cidr "${text}" is not a valid CIDR: ${parsed.reason}`);
    return parsed.canonical;
  });
  const ingressController = options.ingressController !== undefined ? parseController(options.ingressController) : undefined;
  const gatewayController = options.gatewayController !== undefined ? parseController(options.gatewayController, '--gateway-controller') : undefined;
  const parsedFiles = parseManifests(sources, {
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    selectors: [...scopeSelectors(options), ...(options.podSelectors ?? [])],
    lenient: options.lenient === true,
    ...(options.cni !== undefined ? { cni: cniOption(options.cni) } : {}),
  });
  const parsed = withUnreadKinds(parsedFiles, cluster);
  if (ingressController) warnOfControllerTypo(ingressController.namespace, parsed.cluster, io);
  if (gatewayController) warnOfControllerTypo(gatewayController.namespace, parsed.cluster, io, '--gateway-controller');
  if (parsed.cni.name === 'cilium' && podCidrs.length > 0) {
    io.stderr('netdiagram: warning: --pod-cidr is not used under the cilium CNI profile: Cilium\u2019s CIDR rules and ipBlocks do not match pods (policy-cidr-match-mode unset)\n');
  }
  const openFlows = graph.openFlows?.(parsed.cluster) ?? 'edges';
  const graphOptions = { podCidrs, openFlows, ...(ingressController ? { ingressController } : {}), ...(gatewayController ? { gatewayController } : {}) };
  const trafficGraph = buildTrafficGraph(parsed.cluster, graphOptions);
  const sourceTexts = new Map(sources.map((s) => [s.name, s.text]));
  // split each file once, however many diagnostics point into it
  const lines = new Map<string, readonly string[]>();
  const linesOf = (file: string): readonly string[] | undefined => {
    const text = sourceTexts.get(file);
    if (text === undefined) return undefined;
    if (!lines.has(file)) lines.set(file, text.split(/\r?\n/));
    return lines.get(file);
  };
  // staged Calico policies are never enforced: say what each would change, and what they would all together
  const staged = previewStagedPolicies(parsed.cluster, graphOptions);
  const diagnostics: Diagnostic[] = [...readDiagnostics, ...parsed.diagnostics, ...trafficGraph.getAttribute('diagnostics'), ...staged.diagnostics];
  // without --verbose, a warning that repeats (one per Ingress of a large cluster) is shown a few times, then counted
  const shownPerCode = new Map<string, number>();
  const held = new Map<string, number>();
  for (const d of diagnostics) {
    if (d.severity === 'warning' && !options.verbose) {
      if (!ALWAYS_SHOWN.has(d.code)) continue;
      const shown = shownPerCode.get(d.code) ?? 0;
      if (shown >= REPEATED_WARNINGS_SHOWN) {
        held.set(d.code, (held.get(d.code) ?? 0) + 1);
        continue;
      }
      shownPerCode.set(d.code, shown + 1);
    }
    io.stderr(`${cluster && isFromCluster(d, cluster.label) ? formatClusterDiagnostic(d) : formatDiagnostic(d, d.severity === 'error' ? linesOf(d.location?.file ?? '') : undefined)}\n`);
  }
  for (const [code, count] of held) io.stderr(`… and ${count} more ${code} warning${count === 1 ? '' : 's'} (--verbose shows them all)\n`);
  if (options.verbose && parsed.skippedKinds.length > 0) {
    io.stderr(`skipped kinds: ${parsed.skippedKinds.map((k) => `${k.kind} (${k.count})`).join(', ')}\n`);
  }
  const clusterObjects = cluster ? sources.filter((source) => source.name.startsWith(`${cluster.label}/`)).length : 0;
  return { parsed, graph: trafficGraph, sourceTexts, failed: hasErrors(diagnostics), diagnostics: sortDiagnostics(diagnostics), clusterObjects, stagedChanges: staged.changes, notEvaluatedPeers: listNotEvaluatedPeers(parsed.cluster), ...(staged.graphs ? { stagedGraphs: staged.graphs } : {}) };
}

/**
 * The parse with the kinds a cluster refused to list joined to its unevaluated kinds: every title
 * block, evidence bundle and gate (check, audit, diff) that reads those then says so and fails.
 */
function withUnreadKinds(parsed: Parsed, cluster: Pick<ClusterRead, 'unread'> | undefined): Parsed {
  if (!cluster || cluster.unread.length === 0) return parsed;
  // the status, without the server's explanation (the warning prints that): title blocks carry it
  const unread = cluster.unread.map((u) => ({ apiVersion: u.apiVersion, kind: u.kind, family: 'not read from the cluster', count: 0, objects: [], unread: u.reason.split(': ')[0]! }));
  const key = (u: { apiVersion: string; kind: string }) => `${u.apiVersion}\u0000${u.kind}`;
  return { ...parsed, unevaluated: [...parsed.unevaluated, ...unread].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}

/** Whether a diagnostic points into an object read from the cluster (or at the cluster itself). */
function isFromCluster(d: Diagnostic, label: string): boolean {
  const file = d.location?.file;
  return file === label || (file?.startsWith(`${label}/`) ?? false);
}

/**
 * `cluster:prod/NetworkPolicy/shop/web: error …`: an object read from a cluster has no file a
 * reader could open, so its diagnostics name the object, without a line, column or code frame.
 */
function formatClusterDiagnostic(d: Diagnostic): string {
  const { location, ...rest } = d;
  return `${terminalText(location?.file ?? '')}: ${formatDiagnostic(rest)}`;
}

/** `--cni NAME`, checked. */
function cniOption(text: string): CniName {
  if (!isCniName(text)) throw new UsageError(`--cni "${text}" is not a CNI profile (calico, cilium or generic)`);
  return text;
}

/** The `--cde` and `--out-of-scope` selectors that parse (the scope reports those that do not). */
function scopeSelectors(options: AnalysisOptions): { selector: Selector; by: string }[] {
  const given: [string, readonly string[] | undefined][] = [['--cde', options.cde], ['--out-of-scope', options.outOfScope]];
  return given.flatMap(([flag, list]) => (list ?? []).flatMap((text) => {
    const parsed = parseSelectorText(text);
    return parsed.ok ? [{ selector: parsed.selector, by: `${flag} ${text}` }] : [];
  }));
}

/** How many warnings of one code are printed without --verbose before the rest are only counted. */
const REPEATED_WARNINGS_SHOWN = 5;

/** Warnings that change what the output means, shown without --verbose. */
const ALWAYS_SHOWN: ReadonlySet<Diagnostic['code']> = new Set([
  'ingress/controller-blocked', 'ingress/unknown-service-port',
  // a route the cluster would not attach, or a backend it would refuse, is drawn without its traffic: say why
  'gateway/not-attached', 'gateway/unknown-gateway', 'gateway/backend-not-permitted', 'gateway/backend-without-port', 'gateway/unsupported-reference', 'gateway/namespace-unknown', 'gateway/protocol-not-evaluated', 'gateway/default-gateway-not-evaluated', 'gateway/filter-not-evaluated', 'gateway/invalid-route-kind', 'netpol/cidr-host-bits', 'k8s/owner-label-gap', 'k8s/duplicate-object',
  // a Service route that forwards nothing is drawn broken: say why
  'service/unresolved-target-port',
  // a policy the output leaves out changes what every arrow means, and so does the plugin judged for
  'policy/not-evaluated', 'cni/inferred',
  // a live cluster's kinds it refused to list, groups it could not describe, and a read of one namespace
  'cluster/kind-not-read', 'cluster/discovery-failed', 'cluster/one-namespace',
  // Calico features netdiagram does not evaluate, and Calico policies it leaves out
  'calico/staged-not-enforced', 'calico/staged-would-change', 'calico/host-endpoint-not-evaluated', 'calico/l7-not-evaluated', 'calico/icmp-not-drawn',
  'calico/source-ports-not-evaluated', 'calico/service-account-labels', 'calico/unknown-tier', 'calico/unknown-service',
  // Cilium features netdiagram does not place
  'cilium/host-policy-not-evaluated', 'cilium/entity-not-drawn', 'cilium/cidr-group-not-resolved', 'cilium/service-not-resolved',
  'cilium/fqdn-not-resolved', 'cilium/peer-not-evaluated', 'cilium/icmp-not-drawn',
  // with --lenient an ignored field may be one the cluster acts on: the reader must see each
  'k8s/unknown-field',
  // `port: 0443` is 291 in the cluster: a reader of the manifest sees another number
  'yaml/kubectl-scalar',
  // cluster-wide peers netdiagram cannot place: what they decide is missing from the output
  'cnp/networks-outside-only', 'cnp/nodes-not-resolved', 'cnp/domains-not-resolved',
]);

/**
 * The controller usually lives outside the input, so a namespace the input lacks is normal; but one
 * a letter away from a namespace the input has, or one its policies name, is most likely a typo,
 * which would silently block (or admit) every Ingress flow. Say so.
 */
function warnOfControllerTypo(namespace: string, cluster: Cluster, io: Io, flag = '--ingress-controller'): void {
  // the namespaces the input has, and those its policies name (`kubernetes.io/metadata.name: ingress-nginx`)
  const named = cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.peers ?? [])
    .flatMap((peer) => (peer.kind === 'pods' ? peer.namespaces?.requirements ?? [] : []))
    .flatMap((r) => (r.key === 'kubernetes.io/metadata.name' && r.operator === 'In' ? r.values : []));
  const names = [...new Set([...cluster.namespaces.map((n) => n.name), ...cluster.workloads.map((w) => w.namespace), ...named])];
  if (names.includes(namespace)) return;
  const near = didYouMean(namespace, names);
  if (near) io.stderr(`netdiagram: warning: ${flag} namespace "${terminalText(namespace)}" is neither in the input nor named by its policies; did you mean ${terminalText(near)}?\n`);
}

/** `NAMESPACE[/KEY=VALUE,...]` → the ingress controller's (or gateway data plane's) namespace and pod labels. */
export function parseController(text: string, flag = '--ingress-controller'): IngressController {
  const slash = text.indexOf('/');
  const namespace = slash < 0 ? text : text.slice(0, slash);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) throw new UsageError(`${flag}: "${namespace}" is not a namespace name`);
  const labels: Record<string, string> = {};
  if (slash >= 0) {
    for (const pair of text.slice(slash + 1).split(',').filter((p) => p !== '')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`${flag}: "${pair}" is not KEY=VALUE`);
      labels[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return { namespace, labels };
}

/**
 * What a diagram draws beside the enforced flows: the peers not evaluated (dashed, named as the
 * rules name them) and what the staged Calico policies would change (dashed `staged +`/`staged −`).
 */
export function drawnBesideFlows(analysis: Pick<Analysis, 'notEvaluatedPeers' | 'stagedGraphs' | 'stagedChanges'>): Pick<LayoutOptions, 'notEvaluated' | 'staged'> {
  const byPair = new Map(analysis.stagedChanges.map((c) => [`${c.from}\u0000${c.to}`, c.policies]));
  return {
    ...(analysis.notEvaluatedPeers.length > 0 ? { notEvaluated: analysis.notEvaluatedPeers } : {}),
    ...(analysis.stagedGraphs ? { staged: { ...analysis.stagedGraphs, policiesOf: (from: string, to: string) => byPair.get(`${from}\u0000${to}`) ?? [] } } : {}),
  };
}

/**
 * Every NOT EVALUATED line of an analysis: policy kinds and Gateway API parts netdiagram does not
 * evaluate, and the peers its policies name that it cannot resolve. Every output states them, and no
 * gate (check, diff, audit) passes while there is one: the traffic shown may not be what runs.
 */
export function notEvaluatedNotices(analysis: Pick<Analysis, 'parsed' | 'notEvaluatedPeers'>): string[] {
  return [...unevaluatedPolicyNotices(analysis.parsed), ...notEvaluatedPeerNotices(analysis.notEvaluatedPeers)];
}
