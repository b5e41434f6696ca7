import {
  auditCluster, computeExposure, computeScope, describeUnmatchedSelector, findUnmatchedSelectors, FINDING_RULES, findingsToSarif, formatDiagnostic,
  hasFindingsAtLeast, parseSelectorText, sortFindings, zoneAnnotationDiagnostics,
  type CdeScope, type Exposure, type Cluster, type Finding, type TrafficGraph,
} from '@netdiagram/core';
import { Command, Option } from 'commander';
import { analyse, type AnalysisOptions } from '../analysis.js';
import { markdownCell, terminalText } from '../escape.js';
import { writeOutput, type Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { addAnalysisOptions } from '../options.js';
import { outputFormatOf } from '../output-format.js';
import { UsageError } from '../usage-error.js';

type Format = 'txt' | 'json' | 'md' | 'sarif';
const FORMATS: readonly Format[] = ['txt', 'json', 'md', 'sarif'];

/** The options that mark the CDE, shared by audit, diff and evidence. */
export interface ScopeCliOptions {
  readonly cde?: readonly string[];
  readonly outOfScope?: readonly string[];
  /** Pod CIDRs (`--pod-cidr`): cluster-wide `networks` peers then speak for pods in the exposure too. */
  readonly podCidr?: readonly string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds `--cde` and `--out-of-scope` (both repeatable). */
export function addScopeOptions(command: Command): Command {
  return command
    .option('--cde <selector>', 'label selector (kubectl syntax) marking the cardholder data environment, matched against workload and namespace labels (repeatable)', collect)
    .option('--out-of-scope <selector>', 'label selector for workloads meant to stay out of PCI DSS scope; a CDE flow to one is an error (repeatable)', collect);
}

/** What else `scopeFromOptions` needs to know beyond the one cluster it scopes. */
export interface ScopeContext {
  /**
   * Other inputs the same selectors apply to (diff: the other side). A selector must match a
   * workload in at least one of them, so a diff that removes every CDE workload is still a diff.
   */
  readonly alsoIn?: readonly Cluster[];
  /** Where warnings about zone annotations that mark nothing are printed. */
  readonly io?: Io;
  /** The cluster's exposure, when the caller computed it already (diagram draws it too). */
  readonly exposure?: Exposure;
}

/**
 * Validates the selectors and computes the scope. A selector that does not parse, or that matches
 * no workload (a typo would otherwise give an empty CDE and a passing gate), is a usage error:
 * exit code 2, naming the selector and the nearest labels of the input.
 */
export function scopeFromOptions(cluster: Cluster, graph: TrafficGraph, options: ScopeCliOptions, context: ScopeContext = {}): CdeScope {
  for (const [flag, list] of [['--cde', options.cde], ['--out-of-scope', options.outOfScope]] as const) {
    for (const text of list ?? []) {
      const parsed = parseSelectorText(text);
      if (!parsed.ok) throw new UsageError(`${flag} "${text}": ${parsed.reason}`);
    }
  }
  const unmatched = findUnmatchedSelectors([cluster, ...(context.alsoIn ?? [])], options);
  if (unmatched.length > 0) throw new UsageError(unmatched.map(describeUnmatchedSelector).join('; '));
  const emptyZones = zoneAnnotationDiagnostics(cluster, context.alsoIn ?? []);
  if (emptyZones.length > 0) {
    for (const d of emptyZones) context.io?.stderr(`${formatDiagnostic(d)}\n`);
    throw new UsageError(`${emptyZones.length === 1 ? 'a zone annotation marks' : `${emptyZones.length} zone annotations mark`} no workload; the scope would be empty`);
  }
  return computeScope(cluster, graph, { cde: options.cde ?? [], outOfScope: options.outOfScope ?? [], exposure: context.exposure ?? computeExposure(cluster, { podCidrs: options.podCidr ?? [] }) });
}

import { toolVersion } from '../version.js';
import { accountDataRun, addAccountDataOptions, readParties, type AccountDataCliOptions } from '../account-data.js';

/** `netdiagram audit`: PCI DSS findings about the NetworkPolicies, with their location and requirement. */
export function auditCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('audit')
    .description('report PCI DSS network segmentation findings (default-deny, isolation, CDE boundary, exposure, stale policies)')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format (sarif: for GitHub code scanning; default: from the extension of --output, else txt)').choices(FORMATS))
    .option('-o, --output <file>', 'write to a file instead of standard output (- for stdout)', '-')
    .addOption(new Option('--fail-on <severity>', 'exit with code 1 when a finding has this severity or worse').choices(['error', 'warning']))
    .addHelpText('after', `
Examples:
  $ netdiagram audit examples/pci-demo --cde app=pci
  $ netdiagram audit k8s/ --cde 'app in (pay,vault)' --fail-on error
  $ netdiagram audit k8s/ --cde pci=true --format sarif -o netdiagram.sarif
  $ netdiagram audit k8s/ --cde pci=true --parties parties.yaml --strict-flows --fail-on error

Once a workload or namespace carries netdiagram.io/account-data (or --parties is given), the
data-flow findings (data/…) join the audit: see netdiagram dataflow.

Finding codes, severities and the PCI DSS requirement each touches: docs/pci-evidence.md.`);
  addScopeOptions(command);
  addAccountDataOptions(command);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: AnalysisOptions & ScopeCliOptions & AccountDataCliOptions & { format?: Format; output: string; failOn?: 'error' | 'warning' }) => {
    const format = outputFormatOf('audit', options.output, options.format, FORMATS, 'txt');
    const parties = options.parties !== undefined ? readParties(options.parties, io) : undefined;
    if (options.parties !== undefined && !parties) return setExit(2);
    const analysis = await analyse(inputs, options, io);
    const scope = scopeFromOptions(analysis.parsed.cluster, analysis.graph, options, { io });
    // the data-flow findings join the audit once the input states account-data roles (or names parties)
    const accountData = accountDataRun(analysis.parsed.cluster, analysis.graph, scope, parties, options);
    const findings = sortFindings([...auditCluster(analysis.parsed.cluster, analysis.graph, scope, { unevaluated: analysis.parsed.unevaluated, stagedChanges: analysis.stagedChanges }), ...(accountData?.findings ?? [])]);
    writeOutput(options.output, renderFindings(findings, scope, format), io);
    if (options.failOn && hasFindingsAtLeast(findings, options.failOn)) setExit(1);
    if (analysis.failed) setExit(2);
  });
}

/** Audit findings in one of the four formats. */
export function renderFindings(findings: readonly Finding[], scope: CdeScope, format: Format): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary = `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`;
  const where = (f: Finding) => (f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '');
  switch (format) {
    case 'txt': {
      const lines = findings.map((f) => `${where(f) ? `${where(f)}: ` : ''}${f.severity} ${f.code}: ${f.message} [PCI DSS ${f.requirements.join(', ')}]`);
      lines.push(`${summary}; ${describeScope(scope)}`);
      return lines.map((l) => `${terminalText(l)}\n`).join('');
    }
    case 'json':
      return jsonText({
        summary: { findings: findings.length, errors, warnings: findings.length - errors },
        scope: { defined: scope.defined, selectors: scope.selectors, cde: scope.cde.map((m) => m.id), connected: scope.connected },
        findings: findings.map((f) => ({
          code: f.code, severity: f.severity, object: f.object, message: f.message, requirements: f.requirements,
          ...(f.location ? { location: { file: f.location.file, line: f.location.line, column: f.location.column } } : {}),
        })),
      });
    case 'md': {
      const lines = ['## netdiagram audit', '', `**${summary}**; ${markdownCell(describeScope(scope))}.`, ''];
      if (findings.length > 0) {
        lines.push('| severity | code | object | where | PCI DSS | finding |', '| --- | --- | --- | --- | --- | --- |');
        for (const f of findings) {
          lines.push(`| ${[f.severity, f.code, f.object, where(f), f.requirements.join(', '), f.message].map(markdownCell).join(' | ')} |`);
        }
        lines.push('', '<details><summary>What the codes mean</summary>', '');
        for (const code of [...new Set(findings.map((f) => f.code))]) lines.push(`- **${code}**: ${markdownCell(FINDING_RULES[code].help)}`);
        lines.push('', '</details>');
      }
      return `${lines.join('\n')}\n`;
    }
    case 'sarif':
      return jsonText(findingsToSarif(findings, { toolVersion: toolVersion() }));
  }
}

/** `CDE: 2 workloads (app=pci), 1 connected-to` */
export function describeScope(scope: CdeScope): string {
  if (!scope.defined) return 'no CDE marked (use --cde)';
  const by = scope.selectors.length > 0 ? ` (${scope.selectors.join('; ')})` : ' (annotation netdiagram.io/zone: cde)';
  return `CDE: ${scope.cde.length} workload${scope.cde.length === 1 ? '' : 's'}${by}, ${scope.connected.length} connected-to, ${scope.boundary.length} boundary flow${scope.boundary.length === 1 ? '' : 's'}`;
}
