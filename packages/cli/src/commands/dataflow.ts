import { addLayoutOptions, addRecordCommandOptions, addTitleBlockOptions, type LayoutCliOptions, type TitleBlockCliOptions } from '../command-options.js';
import type { DetailOption, Direction } from '@netdiagram/render';
import { computeExposure, hasFindingsAtLeast } from '@netdiagram/core';
import { Command, Option } from 'commander';
import { accountDataRun, csvTable, dataFlowJson, dataFlowMarkdown, dataFlowRows, readParties, type AccountDataCliOptions } from '../account-data.js';
import { analyse, notEvaluatedNotices, describeSources, incompleteOf, type AnalysisOptions } from '../analysis.js';
import { terminalText } from '../escape.js';
import { writeOutput, type Io } from '../io.js';
import { outputFormatOf } from '../output-format.js';
import { pngOf } from '../png-output.js';
import { evidenceDate, gitState, inputDigest } from '../provenance.js';
import { UsageError } from '../usage-error.js';
import { toolVersion } from '../version.js';
import { describeScope, scopeFromOptions, type ScopeCliOptions } from './audit.js';
import { notEvaluatedField, provenanceLines } from './scope.js';
import { recordInfo, type RecordCliOptions } from '../record-options.js';

type Format = 'svg' | 'png' | 'md' | 'csv' | 'json';
const FORMATS: readonly Format[] = ['svg', 'png', 'md', 'csv', 'json'];

interface DataFlowOptions extends AnalysisOptions, ScopeCliOptions, AccountDataCliOptions, RecordCliOptions, TitleBlockCliOptions, LayoutCliOptions {
  readonly output: string;
  readonly format?: Format;
  readonly scale: string;
  readonly failOn?: 'error' | 'warning';
}

export const DATAFLOW_TITLE = 'Account data flows (PCI DSS 1.2.4)';

/** `netdiagram dataflow`: the account-data flow diagram (PCI DSS 1.2.4) and its table. */
export function dataflowCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('dataflow')
    .description('draw the account-data flow diagram (PCI DSS 1.2.4) from the netdiagram.io/account-data annotations and the allowed traffic')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .option('-o, --output <file>', 'file to write (.svg, .png, .md, .csv or .json); - for standard output', '-')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else svg)').choices(FORMATS));
  addLayoutOptions(addTitleBlockOptions(command, DATAFLOW_TITLE))
    .option('--scale <factor>', 'PNG pixels per SVG unit', '1.5')
    .addOption(new Option('--fail-on <severity>', 'exit with code 1 when a data-flow finding has this severity or worse').choices(['error', 'warning']))
    .addHelpText('after', `
Examples:
  $ netdiagram dataflow examples/shop --cde pci-dss/scope=cde --parties examples/shop/parties.yaml -o dataflow.svg
  $ netdiagram dataflow k8s/ --cde pci=true --parties parties.yaml --format csv -o dataflow.csv
  $ netdiagram dataflow k8s/ --cde pci=true --strict-flows --fail-on error -o dataflow.png

Workloads and namespaces state their role with the annotation netdiagram.io/account-data (stores,
processes, transmits, or none) and optionally netdiagram.io/data-flows (authorization, capture).
The diagram draws only those workloads, the allowed flows between them and to the parties (the
--parties file) and untrusted networks, each flow numbered D1, D2, … with its ports and policies,
its CDE boundary number (F3) where it has one, storage as a cylinder, and ENTRY / EXIT on the
outside addresses. Findings (printed on standard error): a stores workload reachable from outside
(1.4.4), a handler reachable from an untrusted network (1.4.2), a CDE workload without a statement,
a handler outside the CDE, and with --strict-flows a path no declared data flow explains.

The annotations are the team's statement, not discovered facts; arrows are what the NetworkPolicies
allow, assuming a CNI that enforces them, not observed traffic.`);
  addRecordCommandOptions(command, { accountData: true });
  return command.action(async (inputs: string[], options: DataFlowOptions) => {
    const record = recordInfo(options);
    const format = outputFormatOf('dataflow', options.output, options.format, FORMATS, 'svg');
    const scale = Number(options.scale);
    if (!Number.isFinite(scale) || scale <= 0 || scale > 8) throw new UsageError(`--scale "${options.scale}" is not a number between 0 and 8`);
    evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH);
    const parties = options.parties !== undefined ? readParties(options.parties, io) : undefined;
    if (options.parties !== undefined && !parties) return setExit(2);
    const analysis = await analyse(inputs, options, io);
    const { cluster } = analysis.parsed;
    const scope = scopeFromOptions(cluster, analysis.graph, options, { io, exposure: computeExposure(cluster, { podCidrs: options.podCidr ?? [] }) });
    const run = accountDataRun(cluster, analysis.graph, scope, parties, options);
    if (!run) throw new UsageError('no workload or namespace carries the netdiagram.io/account-data annotation, so there are no account data flows to draw; see docs/pci-evidence.md');
    for (const f of run.findings) {
      const where = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}: ` : '';
      io.stderr(`${terminalText(`${where}${f.severity} ${f.code}: ${f.message} [PCI DSS ${f.requirements.join(', ')}]`)}\n`);
    }
    const incomplete = incompleteOf(analysis, options);
    let bytes: string | Uint8Array;
    if (format === 'md') {
      // the record says where it comes from, as the scoping record does
      const sortedInputs = [...inputs].sort();
      const git = options.commit === false ? null : gitState(sortedInputs, io);
      bytes = dataFlowMarkdown(run, incomplete, provenanceLines({
        inputs: sortedInputs, digest: `sha256:${inputDigest(analysis.sourceTexts)}`, date: evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH, git?.date) ?? null,
        commit: typeof options.commit === 'string' ? options.commit : git ? `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` : null,
        commitAsked: options.commit !== false, toolVersion: toolVersion(), scope: describeScope(scope), ...record,
        ...notEvaluatedField(notEvaluatedNotices(analysis)),
      }));
    }
    else if (format === 'json') bytes = dataFlowJson(run, incomplete);
    else if (format === 'csv') bytes = csvTable(dataFlowRows(run.model));
    else {
      const sortedInputs = [...inputs].sort();
      const git = options.commit === undefined ? gitState(sortedInputs, io) : null;
      const commit = options.commit === false ? undefined : options.commit ?? (git ? `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` : undefined);
      const date = evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH, git?.date);
      const svg = await drawDataFlow(analysis.graph, run, scope, options.direction, options.detail, {
        title: options.title ?? DATAFLOW_TITLE,
        source: `${sortedInputs.join(' ')} (${describeSources(analysis)})`,
        inputDigest: `sha256:${inputDigest(analysis.sourceTexts)}`,
        toolVersion: toolVersion(),
        clusterPolicies: (cluster.clusterPolicies ?? []).length,
        gateways: cluster.ingresses.filter((i) => i.kind === 'Gateway').length,
        ...(commit !== undefined ? { commit } : {}),
        date: date ?? 'undated',
        notices: [...(incomplete ? [incomplete] : []), ...notEvaluatedNotices(analysis)],
        ...record,
      });
      bytes = format === 'svg' ? svg : await pngOf(svg, scale, io, command.getOptionValueSource('scale') === 'default' ? undefined : '--scale');
    }
    writeOutput(options.output, bytes, io);
    if (options.failOn && hasFindingsAtLeast(run.findings, options.failOn)) setExit(1);
    if (analysis.failed) setExit(2);
  });
}

/** Lays out and draws the data-flow diagram (loads elkjs only here). */
export async function drawDataFlow(
  graph: Parameters<typeof import('@netdiagram/render').buildDataFlowView>[0],
  run: NonNullable<ReturnType<typeof accountDataRun>>,
  scope: import('@netdiagram/core').CdeScope,
  direction: Direction, detail: DetailOption,
  info: import('@netdiagram/render').RenderOptions,
): Promise<string> {
  const { buildDataFlowView, layoutView, renderDataFlowSvg } = await import('@netdiagram/render');
  const view = buildDataFlowView(graph, run.model, { detail, ...(scope.defined ? { scope } : {}) });
  return renderDataFlowSvg(await layoutView(view, direction), run.model, info);
}
