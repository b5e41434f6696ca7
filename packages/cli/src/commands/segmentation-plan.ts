import { resolve } from 'node:path';
import {
  compareSegmentationResults, computeExposure, formatDiagnostic, hasErrors, parsePortSpec, planSegmentationTests, readSegmentationResults,
  type ProbeMismatch, type Protocol, type SegmentationPlan,
} from '@netdiagram/core';
import { Command, Option } from 'commander';
import { csvTable, markdownTable } from '../account-data.js';
import { analyse, incompleteOf, notEvaluatedNotices, type AnalysisOptions } from '../analysis.js';
import { markdownCell, terminalText } from '../escape.js';
import { describeError, MAX_INPUT_BYTES, readBounded, writeOutput, type Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { addAnalysisOptions } from '../options.js';
import { outputFormatOf } from '../output-format.js';
import { UsageError } from '../usage-error.js';
import { addScopeOptions, scopeFromOptions, type ScopeCliOptions } from './audit.js';

type Format = 'csv' | 'json' | 'md' | 'txt';
const FORMATS: readonly Format[] = ['csv', 'json', 'md', 'txt'];
const collect = (value: string, previous: string[] = []) => [...previous, value];

interface PlanOptions extends AnalysisOptions, ScopeCliOptions {
  readonly output: string;
  readonly format?: Format;
  readonly sample?: string;
  readonly probePort?: string[];
  readonly results?: string;
}

/** `netdiagram segmentation-plan`: the probe matrix of a PCI DSS 11.4.5 segmentation test, and the check of its results. */
export function segmentationPlanCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('segmentation-plan')
    .description('write the probe matrix of a segmentation test (PCI DSS 11.4.5): every out-of-scope workload against every CDE port, expected deny, and the boundary flows as positive controls; --results checks a tester\'s outcomes')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .option('-o, --output <file>', 'file to write (.csv, .json, .md; with --results also .txt); - for standard output', '-')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else csv; with --results, txt)').choices(FORMATS))
    .option('--sample <n>', 'probe at most N out-of-scope label sets per namespace (default: all)')
    .option('--probe-port <port>', 'also probe this port (80/TCP) on every target, for workloads that declare no container port (repeatable)', collect)
    .option('--results <file>', 'the plan\'s CSV with the outcome column filled in (connected or blocked): report every probe whose outcome differs, exit 1 on an error; rows of another plan (its identity is in the plan column) are refused, exit 2')
    .addHelpText('after', `
Examples:
  $ netdiagram segmentation-plan examples/pci-demo --cde app=pci -o plan.csv
  $ netdiagram segmentation-plan k8s/ --cde pci=true --sample 2 --format md -o plan.md
  $ netdiagram segmentation-plan k8s/ --cde pci=true --results plan-with-outcomes.csv

Each probe row carries the command to run it (kubectl exec … -- nc -zv -w 3 HOST PORT; a # line
where an end is outside the cluster). The tester fills in the outcome column with connected or
blocked and passes the file back with --results: a probe that connected where the policies deny is
an error (the network plugin does not enforce what the manifests say), a probe not run is an error
(the test is incomplete), a positive control that was blocked is a warning. Exit code 1 on an error.

netdiagram does not run the test and does not replace the penetration test: it says what the test
must probe and what each answer must be, from the manifests.`);
  addScopeOptions(command);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: PlanOptions) => {
    const format = outputFormatOf('segmentation-plan', options.output, options.format, FORMATS, options.results !== undefined ? 'txt' : 'csv');
    if (options.results === undefined && format === 'txt') throw new UsageError('segmentation-plan writes csv, json or md; txt is the report of --results');
    const sample = options.sample === undefined ? undefined : Number(options.sample);
    if (sample !== undefined && (!Number.isSafeInteger(sample) || sample < 1)) throw new UsageError(`--sample "${options.sample}" is not a whole number of at least 1`);
    const probePorts = (options.probePort ?? []).flatMap((text) => {
      const parsed = parsePortSpec(text);
      if (!parsed.ok) throw new UsageError(`--probe-port "${text}": ${parsed.reason}`);
      const out: { protocol: Protocol; port: number }[] = [];
      for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
        for (const [lo, hi] of parsed.ports[protocol]) {
          if (lo !== hi) throw new UsageError(`--probe-port "${text}": give single ports, not a range`);
          out.push({ protocol, port: lo });
        }
      }
      return out;
    });
    const analysis = await analyse(inputs, options, io);
    const { cluster } = analysis.parsed;
    const scope = scopeFromOptions(cluster, analysis.graph, options, { io, exposure: computeExposure(cluster, { podCidrs: options.podCidr ?? [] }) });
    if (!scope.defined) throw new UsageError('a segmentation test isolates the CDE: mark it with --cde SELECTOR or the netdiagram.io/zone: cde annotation');
    const planned = planSegmentationTests(cluster, analysis.graph, scope, { ...(sample !== undefined ? { sample } : {}), probePorts });
    // a plan built from input with errors says so first, in every format that has room for it
    const incomplete = incompleteOf(analysis, options);
    // the plan's expected verdicts rest on what was evaluated: what was not is a note of its own
    const notes = [...(incomplete ? [incomplete] : []), ...notEvaluatedNotices(analysis), ...planned.notes];
    const plan = notes.length > planned.notes.length ? { ...planned, notes } : planned;
    for (const n of plan.notes) io.stderr(`segmentation-plan: ${terminalText(n)}\n`);
    // a CDE workload nothing probes into is a hole in the test, not a footnote: fail closed
    for (const id of plan.unprobedCde) io.stderr(`netdiagram: segmentation-plan: error: CDE workload ${terminalText(id)} declares no container port, so no probe tests its isolation: give the ports it listens on with --probe-port PORT/PROTOCOL\n`);
    if (plan.unprobedCde.length > 0) setExit(2);
    if (options.results === undefined) {
      writeOutput(options.output, renderPlan(plan, format as Exclude<Format, 'txt'>), io);
    } else {
      const text = readResultsFile(options.results, io);
      const results = readSegmentationResults(options.results, text, plan);
      for (const d of results.diagnostics) io.stderr(`${formatDiagnostic(d, text)}\n`);
      if (hasErrors(results.diagnostics)) return setExit(2);
      const mismatches = compareSegmentationResults(plan, results.outcomes);
      writeOutput(options.output, renderMismatches(plan, mismatches, format), io);
      if (mismatches.some((m) => m.severity === 'error')) setExit(1);
    }
    if (analysis.failed) setExit(2);
  });
}

const HEADER = ['plan', 'probe', 'kind', 'expected', 'from', 'to', 'protocol', 'port', 'boundary', 'command', 'outcome'];

/** The plan as CSV (with an empty outcome column for the tester), JSON or Markdown. */
export function renderPlan(plan: SegmentationPlan, format: 'csv' | 'json' | 'md'): string {
  const rows = plan.probes.map((p) => [plan.identity, p.id, p.kind, p.expected, p.from, p.to, p.protocol, String(p.port), p.boundary ?? '', p.command, '']);
  if (format === 'csv') return csvTable([HEADER, ...rows]);
  if (format === 'json') return jsonText({ plan: plan.identity, ...(plan.notes[0]?.startsWith('INCOMPLETE') ? { incomplete: plan.notes[0] } : {}), probes: plan.probes, notes: plan.notes });
  const isolation = plan.probes.filter((p) => p.kind === 'isolation').length;
  return [
    '# Segmentation test plan (PCI DSS 11.4.5)',
    '',
    ...(plan.notes[0]?.startsWith('INCOMPLETE') ? [`**${markdownCell(plan.notes[0])}**`, ''] : []),
    `Plan ${plan.identity}: results are accepted only on rows that carry this identity.`,
    '',
    `${plan.probes.length} probes: ${isolation} isolation probes (out-of-scope ↔ CDE, expected as the policies decide: deny) and ${plan.probes.length - isolation} positive controls (allowed boundary flows, expected allow).`,
    'Run each command, record connected or blocked in the outcome column of the CSV plan, and check it with `netdiagram segmentation-plan … --results FILE`.',
    'netdiagram does not run the test and does not replace the penetration test.',
    '',
    markdownTable([HEADER.slice(1, -1), ...rows.map((r) => r.slice(1, -1))]).trimEnd(),
    '',
    ...(plan.notes.length > 0 ? ['## Notes', '', ...plan.notes.map((n) => `- ${markdownCell(n)}`), ''] : []),
  ].join('\n');
}

function renderMismatches(plan: SegmentationPlan, mismatches: readonly ProbeMismatch[], format: Format): string {
  const errors = mismatches.filter((m) => m.severity === 'error').length;
  const summary = `${plan.probes.length} probes, ${plan.probes.length - mismatches.length} as expected, ${errors} error${errors === 1 ? '' : 's'}, ${mismatches.length - errors} warning${mismatches.length - errors === 1 ? '' : 's'}`;
  switch (format) {
    case 'json':
      return jsonText({ summary: { probes: plan.probes.length, errors, warnings: mismatches.length - errors }, mismatches: mismatches.map((m) => ({ probe: m.probe.id, severity: m.severity, expected: m.probe.expected, outcome: m.outcome ?? null, message: m.message })) });
    case 'md':
      return [`## Segmentation test results (PCI DSS 11.4.5)`, '', `**${summary}**`, '', ...mismatches.map((m) => `- **${m.severity}** ${markdownCell(m.message)}`), ''].join('\n');
    case 'csv':
      return csvTable([['probe', 'severity', 'expected', 'outcome', 'message'], ...mismatches.map((m) => [m.probe.id, m.severity, m.probe.expected, m.outcome ?? '', m.message])]);
    case 'txt':
      return [...mismatches.map((m) => `${m.severity} segmentation/${m.outcome === undefined ? 'not-run' : m.outcome === 'inconclusive' ? 'inconclusive' : m.probe.expected === 'deny' ? 'not-enforced' : 'control-failed'}: ${m.message} [PCI DSS 11.4.5]`), summary].map((l) => `${terminalText(l)}\n`).join('');
  }
}

function readResultsFile(file: string, io: Io): string {
  const read = readBounded(resolve(io.cwd, file), MAX_INPUT_BYTES, { allowFifo: true });
  switch (read.kind) {
    case 'error': throw new UsageError(`--results ${file}: cannot read (${describeError(read.error)})`);
    case 'not-a-file': throw new UsageError(`--results ${file}: ${read.what}, not a file; not read`);
    case 'too-large': throw new UsageError(`--results ${file}: larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB; not read`);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new UsageError(`--results ${file}: not valid UTF-8; save the file as UTF-8`);
  }
}
