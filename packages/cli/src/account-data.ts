import { resolve } from 'node:path';
import {
  auditAccountData, computeAccountData, formatDiagnostic, formatPorts, hasErrors, parseParties, portsToJson,
  type AccountDataModel, type CdeScope, type Cluster, type Finding, type Party, type TrafficGraph,
} from '@netdiagram/core';
import type { Command } from 'commander';
import { csvCell, markdownCell } from './escape.js';
import { describeError, MAX_INPUT_BYTES, readBounded, type Io } from './io.js';
import { jsonText } from './json-text.js';
import { UsageError } from './usage-error.js';

/** The options of the account-data view, shared by dataflow, audit and evidence. */
export interface AccountDataCliOptions {
  readonly parties?: string;
  readonly strictFlows?: boolean;
}

/** Adds `--parties FILE` and `--strict-flows`. */
export function addAccountDataOptions(command: Command): Command {
  return command
    .option('--parties <file>', 'YAML file naming the acquirers, processors and third parties outside the cluster (name, kind, cidrs, flows); see docs/pci-evidence.md')
    .option('--strict-flows', 'an allowed path between account-data workloads (or to a party) that no common netdiagram.io/data-flows name explains is an error');
}

/** Reads and parses the parties file, printing its diagnostics; undefined when it has errors (exit 2). */
export function readParties(file: string, io: Io): readonly Party[] | undefined {
  const read = readBounded(resolve(io.cwd, file), MAX_INPUT_BYTES, { allowFifo: true });
  switch (read.kind) {
    case 'error': throw new UsageError(`--parties ${file}: cannot read (${describeError(read.error)})`);
    case 'not-a-file': throw new UsageError(`--parties ${file}: ${read.what}, not a file; not read`);
    case 'too-large': throw new UsageError(`--parties ${file}: larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, the most netdiagram reads (MAX_INPUT_BYTES); not read`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    throw new UsageError(`--parties ${file}: not valid UTF-8; save the file as UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseParties({ name: file, text });
  for (const d of parsed.diagnostics) io.stderr(`${formatDiagnostic(d, text)}\n`);
  return hasErrors(parsed.diagnostics) ? undefined : parsed.parties;
}

/** The account-data model and its findings, or undefined when the input states nothing and no parties file is given. */
export interface AccountDataRun {
  readonly model: AccountDataModel;
  readonly findings: readonly Finding[];
}

/**
 * Joins the annotations and parties with the graph. The findings apply once the input uses the
 * annotations (or a parties file is given): from then on every CDE workload must state its role.
 */
export function accountDataRun(cluster: Cluster, graph: TrafficGraph, scope: CdeScope, parties: readonly Party[] | undefined, options: AccountDataCliOptions): AccountDataRun | undefined {
  const model = computeAccountData(cluster, graph, scope, parties ?? []);
  if (!model.annotated && parties === undefined) return undefined;
  return { model, findings: auditAccountData(cluster, graph, scope, model, { strictFlows: options.strictFlows ?? false }) };
}

function endText(model: AccountDataModel, id: string): string {
  const o = model.outside.find((x) => x.id === id);
  if (!o) return id;
  return o.parties.length > 0 ? `${o.parties.map((p) => `${p.name} (${p.kind})`).join(', ')}: ${o.label}` : o.ingress ? `untrusted network, through ${o.label}` : `untrusted network: ${o.label}`;
}

/** Every account-data flow as rows: D-number, CDE boundary number, kind, ends, ports, policies, rules, data flows, the Services and Ingresses that expose it. */
export function dataFlowRows(model: AccountDataModel): string[][] {
  return [
    ['flow', 'boundary', 'kind', 'from', 'to', 'ports', 'policies', 'rules', 'data flows', 'exposed by'],
    ...model.flows.map((f) => [
      f.id, f.boundary ?? '', f.kind, endText(model, f.from), endText(model, f.to), formatPorts(f.ports),
      f.policies.join(' ') || (f.via.length === 0 && f.exposedBy.length > 0 ? '(none: the Service exposes it)' : '(none: default-allow)'), f.via.join(' '), f.explainedBy.join(', '), f.exposedBy.join(', '),
    ]),
  ];
}

/** The account-data workloads as rows: id, roles, data flows, zone, where the statement is. */
export function handlerRows(model: AccountDataModel): string[][] {
  return [
    ['workload', 'account data', 'data flows', 'zone', 'stated on'],
    ...model.handlers.map((h) => [h.id, h.roles.join(', '), h.flows.join(', '), h.zone, h.declaredOn]),
    ...model.noneStatements.map((n) => [n.id, 'none', '', n.zone, n.declaredOn]),
    ...model.unreadable.filter((u) => u.what === 'role').map((u) => [u.id, 'NOT READ: see the INCOMPLETE line', '', '', u.declaredOn]),
  ];
}

export function csvTable(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
}

export function markdownTable(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  return [`| ${head!.map(markdownCell).join(' | ')} |`, `| ${head!.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.map(markdownCell).join(' | ')} |`)]
    .map((l) => `${l}\n`).join('');
}

/** The data-flow record as Markdown: the workloads, the parties, the flows, and what the tool cannot know. */
export function dataFlowMarkdown(run: AccountDataRun, incomplete?: string, provenance: readonly string[] = []): string {
  const { model, findings } = run;
  const errors = findings.filter((f) => f.severity === 'error').length;
  return [
    '# Account data flows (PCI DSS 1.2.4)',
    '',
    ...(incomplete ? [`**${markdownCell(incomplete)}**`, ''] : []),
    ...(provenance.length > 0 ? [...provenance, ''] : []),
    'The account-data roles and data flows are the team\'s statement (netdiagram.io/account-data and netdiagram.io/data-flows annotations, and the parties file), joined with the flows the NetworkPolicies allow. netdiagram does not observe traffic.',
    '',
    '## Account-data workloads',
    '',
    markdownTable(handlerRows(model)).trimEnd(),
    '',
    ...(model.parties.length > 0 ? ['## Parties', '', markdownTable([['party', 'kind', 'cidrs', 'data flows'], ...model.parties.map((p) => [p.name, p.kind, p.cidrs.join(' '), p.flows.join(', ')])]).trimEnd(), ''] : []),
    `## Flows (${model.flows.length})`,
    '',
    ...(model.flows.length > 0 ? [markdownTable(dataFlowRows(model)).trimEnd()] : ['No allowed flow carries account data, as the annotations state it.']),
    '',
    ...(model.otherFlows > 0 ? [`${model.otherFlows} other allowed flow${model.otherFlows === 1 ? '' : 's'} connect${model.otherFlows === 1 ? 's' : ''} an account-data workload with a workload that states no role; the network diagram shows ${model.otherFlows === 1 ? 'it' : 'them'}.`, ''] : []),
    `## Findings: ${findings.length} (${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'})`,
    '',
    ...findings.map((f) => `- **${f.severity}** \`${f.code}\` ${markdownCell(f.message)} (PCI DSS ${f.requirements.join(', ')}${f.location ? `; ${markdownCell(`${f.location.file}:${f.location.line}:${f.location.column}`)}` : ''})`),
    '',
  ].join('\n');
}

/** The data-flow record as JSON. */
export function dataFlowJson(run: AccountDataRun, incomplete?: string): string {
  const { model, findings } = run;
  return jsonText({
    ...(incomplete ? { incomplete } : {}),
    handlers: model.handlers.map((h) => ({ id: h.id, roles: h.roles, flows: h.flows, zone: h.zone, declaredOn: h.declaredOn })),
    declaredNone: model.declaredNone,
    unreadable: model.unreadable.map((u) => ({ id: u.id, what: u.what, declaredOn: u.declaredOn })),
    parties: model.parties.map((p) => ({ name: p.name, kind: p.kind, cidrs: p.cidrs, flows: p.flows })),
    outside: model.outside,
    flows: model.flows.map((f) => ({ ...f, ports: portsToJson(f.ports) })),
    otherFlows: model.otherFlows,
    findings: findings.map((f) => ({
      code: f.code, severity: f.severity, object: f.object, message: f.message, requirements: f.requirements,
      ...(f.location ? { location: { file: f.location.file, line: f.location.line, column: f.location.column } } : {}),
    })),
  });
}
