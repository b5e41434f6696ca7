import {
  buildTrafficGraph, didYouMean, findLeftOut, formatDiagnostic, formatIncomplete, hasErrors, parseManifests, parseCidr, parseSelectorText, sortDiagnostics,
  isCniName, stagedPolicyChanges, type CniName, type Cluster, type Selector, type Diagnostic, type Parsed, type Source, type TrafficGraph, type IngressController,
} from '@netdiagram/core';
import { collectSources, type Io } from './io.js';
import { terminalText } from './escape.js';
import { UsageError } from './usage-error.js';

/** Options every command that analyses manifests shares. */
export interface AnalysisOptions {
  readonly podCidr?: readonly string[];
  readonly ingressController?: string;
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

/** Reads the inputs, parses them, builds the graph, and prints every diagnostic to stderr. */
export async function analyse(inputs: readonly string[], options: AnalysisOptions, io: Io, graph: GraphChoice = {}): Promise<Analysis> {
  const collected = await collectSources(inputs, io);
  const analysis = analyseSources(collected.sources, collected.diagnostics, options, io, graph);
  if (collected.sources.length === 0 && !analysis.failed) throw new UsageError('no manifests found in the given inputs');
  return analysis;
}

/**
 * Parses sources already read (from files, stdin or a git revision), builds the graph, and prints
 * the diagnostics: errors always, warnings with --verbose (and the few that change what is drawn).
 */
export function analyseSources(sources: readonly Source[], readDiagnostics: readonly Diagnostic[], options: AnalysisOptions, io: Io, graph: GraphChoice = {}): Analysis {
  const podCidrs = (options.podCidr ?? []).map((text) => {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new UsageError(`--pod-cidr "${text}" is not a valid CIDR: ${parsed.reason}`);
    return parsed.canonical;
  });
  const ingressController = options.ingressController !== undefined ? parseController(options.ingressController) : undefined;
  const parsed = parseManifests(sources, {
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    selectors: [...scopeSelectors(options), ...(options.podSelectors ?? [])],
    lenient: options.lenient === true,
    ...(options.cni !== undefined ? { cni: cniOption(options.cni) } : {}),
  });
  if (ingressController) warnOfControllerTypo(ingressController.namespace, parsed.cluster, io);
  if (parsed.cni.name === 'cilium' && podCidrs.length > 0) {
    io.stderr('netdiagram: warning: --pod-cidr is not used under the cilium CNI profile: Cilium\u2019s CIDR rules and ipBlocks do not match pods (policy-cidr-match-mode unset)\n');
  }
  const openFlows = graph.openFlows?.(parsed.cluster) ?? 'edges';
  const graphOptions = { podCidrs, openFlows, ...(ingressController ? { ingressController } : {}) };
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
  // staged Calico policies are never enforced: say what each would change
  const diagnostics: Diagnostic[] = [...readDiagnostics, ...parsed.diagnostics, ...trafficGraph.getAttribute('diagnostics'), ...stagedPolicyChanges(parsed.cluster, trafficGraph, graphOptions)];
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
    io.stderr(`${formatDiagnostic(d, d.severity === 'error' ? linesOf(d.location?.file ?? '') : undefined)}\n`);
  }
  for (const [code, count] of held) io.stderr(`… and ${count} more ${code} warning${count === 1 ? '' : 's'} (--verbose shows them all)\n`);
  if (options.verbose && parsed.skippedKinds.length > 0) {
    io.stderr(`skipped kinds: ${parsed.skippedKinds.map((k) => `${k.kind} (${k.count})`).join(', ')}\n`);
  }
  return { parsed, graph: trafficGraph, sourceTexts, failed: hasErrors(diagnostics), diagnostics: sortDiagnostics(diagnostics) };
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
  'ingress/controller-blocked', 'ingress/unknown-service-port', 'netpol/cidr-host-bits', 'k8s/owner-label-gap', 'k8s/duplicate-object',
  // a Service route that forwards nothing is drawn broken: say why
  'service/unresolved-target-port',
  // a policy the output leaves out changes what every arrow means, and so does the plugin judged for
  'policy/not-evaluated', 'cni/inferred',
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
function warnOfControllerTypo(namespace: string, cluster: Cluster, io: Io): void {
  // the namespaces the input has, and those its policies name (`kubernetes.io/metadata.name: ingress-nginx`)
  const named = cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.peers ?? [])
    .flatMap((peer) => (peer.kind === 'pods' ? peer.namespaces?.requirements ?? [] : []))
    .flatMap((r) => (r.key === 'kubernetes.io/metadata.name' && r.operator === 'In' ? r.values : []));
  const names = [...new Set([...cluster.namespaces.map((n) => n.name), ...cluster.workloads.map((w) => w.namespace), ...named])];
  if (names.includes(namespace)) return;
  const near = didYouMean(namespace, names);
  if (near) io.stderr(`netdiagram: warning: --ingress-controller namespace "${terminalText(namespace)}" is neither in the input nor named by its policies; did you mean ${terminalText(near)}?\n`);
}

/** `NAMESPACE[/KEY=VALUE,...]` → the ingress controller's namespace and pod labels. */
export function parseController(text: string): IngressController {
  const slash = text.indexOf('/');
  const namespace = slash < 0 ? text : text.slice(0, slash);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) throw new UsageError(`--ingress-controller: "${namespace}" is not a namespace name`);
  const labels: Record<string, string> = {};
  if (slash >= 0) {
    for (const pair of text.slice(slash + 1).split(',').filter((p) => p !== '')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--ingress-controller: "${pair}" is not KEY=VALUE`);
      labels[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return { namespace, labels };
}
