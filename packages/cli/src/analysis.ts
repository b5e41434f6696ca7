import {
  buildTrafficGraph, formatDiagnostic, hasErrors, parseManifests, parseCidr,
  type Diagnostic, type Parsed, type TrafficGraph, type IngressController,
} from '@netdiagram/core';
import { collectSources, type Io } from './io.js';
import { UsageError } from './usage-error.js';

/** Options every command that analyses manifests shares. */
export interface AnalysisOptions {
  readonly podCidr?: readonly string[];
  readonly ingressController?: string;
  readonly namespace?: string;
  readonly verbose?: boolean;
}

export interface Analysis {
  readonly parsed: Parsed;
  readonly graph: TrafficGraph;
  readonly sourceTexts: ReadonlyMap<string, string>;
  /** Whether any input problem was an error (exit code 2 after the output is written). */
  readonly failed: boolean;
}

/** Reads the inputs, parses them, builds the graph, and prints every diagnostic to stderr. */
export async function analyse(inputs: readonly string[], options: AnalysisOptions, io: Io): Promise<Analysis> {
  const podCidrs = (options.podCidr ?? []).map((text) => {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new UsageError(`--pod-cidr "${text}" is not a valid CIDR: ${parsed.reason}`);
    return parsed.canonical;
  });
  const ingressController = options.ingressController !== undefined ? parseController(options.ingressController) : undefined;
  const collected = await collectSources(inputs, io);
  const parsed = parseManifests(collected.sources, options.namespace !== undefined ? { namespace: options.namespace } : {});
  const graph = buildTrafficGraph(parsed.cluster, { podCidrs, ...(ingressController ? { ingressController } : {}) });
  const sourceTexts = new Map(collected.sources.map((s) => [s.name, s.text]));
  const diagnostics: Diagnostic[] = [...collected.diagnostics, ...parsed.diagnostics, ...graph.getAttribute('diagnostics')];
  for (const d of diagnostics) {
    if (d.severity === 'warning' && !options.verbose && d.code !== 'ingress/controller-blocked' && d.code !== 'netpol/cidr-host-bits') continue;
    io.stderr(`${formatDiagnostic(d, d.severity === 'error' ? sourceTexts.get(d.location?.file ?? '') : undefined)}\n`);
  }
  if (options.verbose && parsed.skippedKinds.length > 0) {
    io.stderr(`skipped kinds: ${parsed.skippedKinds.map((k) => `${k.kind} (${k.count})`).join(', ')}\n`);
  }
  if (collected.sources.length === 0 && !hasErrors(diagnostics)) {
    throw new UsageError('no manifests found in the given inputs');
  }
  return { parsed, graph, sourceTexts, failed: hasErrors(diagnostics) };
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
