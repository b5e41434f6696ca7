import { addRecordCommandOptions } from '../command-options.js';
import { buildScopeRecord, computeExposure, type ScopeRecord } from '@netdiagram/core';
import { Command, Option } from 'commander';
import { markdownTable, readParties, type AccountDataCliOptions } from '../account-data.js';
import { analyse, incompleteOf, notEvaluatedNotices, type AnalysisOptions } from '../analysis.js';
import { markdownCell } from '../escape.js';
import { writeOutput, type Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { outputFormatOf } from '../output-format.js';
import { evidenceDate, gitState, inputDigest } from '../provenance.js';
import { UsageError } from '../usage-error.js';
import { toolVersion } from '../version.js';
import { recordInfo, type RecordCliOptions } from '../record-options.js';
import { describeScope, scopeFromOptions, type ScopeCliOptions } from './audit.js';

type Format = 'md' | 'json';
const FORMATS: readonly Format[] = ['md', 'json'];

interface ScopeCommandOptions extends AnalysisOptions, ScopeCliOptions, Pick<AccountDataCliOptions, 'parties'>, RecordCliOptions {
  readonly output: string;
  readonly format?: Format;
  readonly date?: string;
  /** false for `--no-commit`: git is not asked, so only --date or SOURCE_DATE_EPOCH date the record. */
  readonly commit?: false;
}

/** Where a record came from: the same provenance as the evidence bundle's. */
export interface RecordHeader {
  readonly inputs: readonly string[];
  readonly digest: string;
  readonly date: string | null;
  readonly commit: string | null;
  /** False with --no-commit: git was not asked. */
  readonly commitAsked: boolean;
  readonly toolVersion: string;
  readonly scope: string;
  readonly preparedBy?: string;
  readonly approvedBy?: string;
  readonly reviewDate?: string;
  /** The options file that filled in options (netdiagram.yaml): the record cannot be reproduced without it. */
  readonly optionsFile?: string;
  /** The NOT EVALUATED lines (analysis.ts notEvaluatedNotices): what the record's statements cannot cover. Absent: none. */
  readonly notEvaluated?: readonly string[];
  /** The INCOMPLETE line: input errors, what they left out and what they left unread. Absent: none. */
  readonly incomplete?: string;
}

/** `netdiagram scope`: the PCI DSS 12.5.2 scoping record. */
export function scopeCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('scope')
    .description('write the PCI DSS 12.5.2 scoping record: CDE, connected-to and security-impacting components, segmentation controls with identifiers, why each out-of-scope workload is out of scope, third-party connections')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .option('-o, --output <file>', 'file to write (.md or .json); - for standard output', '-')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else md)').choices(FORMATS))
    .option('--date <date>', 'date of the record (YYYY-MM-DD or ISO 8601 UTC); default: SOURCE_DATE_EPOCH, else the commit date of the inputs\' git HEAD, else "undated"')
    .option('--no-commit', 'leave the git commit, and the date taken from it, out of the record')
    .addHelpText('after', `
Examples:
  $ netdiagram scope examples/pci-demo --cde app=pci
  $ netdiagram scope k8s/ --cde pci=true --parties parties.yaml --format json -o scope-record.json

Each out-of-scope workload is justified by the controls that decide the denial of each direction
between it and each CDE workload, as explain reads the verdict (the side that refuses: its isolating
NetworkPolicies and the cluster-wide Deny rules; a side that admits the peer is not listed);
each segmentation control gets an identifier (sc-…, from what it means) that changes exactly when
the control does. Reproducible: the same inputs, options and date give the same bytes.`);
  addRecordCommandOptions(command, { accountData: true });
  return command.action(async (inputs: string[], options: ScopeCommandOptions) => {
    const recorded = recordInfo(options);
    const format = outputFormatOf('scope', options.output, options.format, FORMATS, 'md');
    evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH);
    const parties = options.parties !== undefined ? readParties(options.parties, io) : undefined;
    if (options.parties !== undefined && !parties) return setExit(2);
    const analysis = await analyse(inputs, options, io);
    const { cluster } = analysis.parsed;
    const scope = scopeFromOptions(cluster, analysis.graph, options, { io, exposure: computeExposure(cluster, { podCidrs: options.podCidr ?? [] }) });
    if (!scope.defined) throw new UsageError('a scoping record needs a CDE: mark it with --cde SELECTOR or the netdiagram.io/zone: cde annotation');
    const record = buildScopeRecord(cluster, analysis.graph, scope, parties ?? []);
    const sortedInputs = [...inputs].sort();
    const git = options.commit === false ? null : gitState(sortedInputs, io);
    const header: RecordHeader = {
      inputs: sortedInputs, digest: `sha256:${inputDigest(analysis.sourceTexts)}`, date: evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH, git?.date) ?? null,
      commit: git ? `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` : null, commitAsked: options.commit !== false, toolVersion: toolVersion(), scope: describeScope(scope), ...recorded,
      ...incompleteField(incompleteOf(analysis, options)), ...notEvaluatedField(notEvaluatedNotices(analysis)),
    };
    writeOutput(options.output, format === 'json' ? scopeRecordJson(record, header) : scopeRecordMarkdown(record, header), io);
    if (analysis.failed) setExit(2);
  });
}

/** Where a record comes from, as its Markdown lists it: tool, date, inputs and digest, commit, people, scope. */
export function provenanceLines(header: RecordHeader): string[] {
  return [
    `- Generated by netdiagram ${header.toolVersion}, ${header.date ? `dated ${header.date}` : 'undated'}`,
    `- Inputs: ${header.inputs.map(markdownCell).join(', ')} (${header.digest})`,
    `- Git: ${header.commit ?? (header.commitAsked ? 'not in a git repository' : 'not recorded (--no-commit)')}`,
    ...(header.preparedBy !== undefined ? [`- Prepared by: ${markdownCell(header.preparedBy)}`] : []),
    ...(header.approvedBy !== undefined ? [`- Approved by: ${markdownCell(header.approvedBy)}`] : []),
    ...(header.reviewDate !== undefined ? [`- Next review: ${header.reviewDate}`] : []),
    ...(header.optionsFile !== undefined ? [`- Options file: ${markdownCell(header.optionsFile)}`] : []),
    `- ${markdownCell(header.scope)}`,
    // a scope resting on traffic netdiagram could not evaluate must say so where the reader looks
    ...(header.notEvaluated ?? []).map((line) => `- **${markdownCell(line)}**`),
  ];
}

function incompleteField(incomplete: string | undefined): { incomplete?: string } {
  return incomplete ? { incomplete } : {};
}

export function notEvaluatedField(notEvaluated: readonly string[]): { notEvaluated?: readonly string[] } {
  return notEvaluated.length > 0 ? { notEvaluated } : {};
}

export function scopeRecordJson(record: ScopeRecord, header: RecordHeader): string {
  return jsonText({ ...header, ...record, controls: record.controls.map(({ fingerprint: _f, ...c }) => c) });
}

export function scopeRecordMarkdown(record: ScopeRecord, header: RecordHeader): string {
  const where = (l: { file: string; line: number } | undefined) => (l ? `${l.file}:${l.line}` : '');
  return [
    '# PCI DSS scope confirmation (12.5.2)',
    '',
    ...(header.incomplete ? [`**${markdownCell(header.incomplete)}**`, ''] : []),
    ...provenanceLines(header),
    '',
    `## CDE components (${record.cde.length})`,
    '',
    markdownTable([['workload', 'in the CDE because'], ...record.cde.map((m) => [m.id, m.reasons.join('; ')])]).trimEnd(),
    '',
    `## Connected-to components (${record.connected.length})`,
    '',
    ...(record.connected.length > 0 ? [markdownTable([['component', 'boundary flows'], ...record.connected.map((c) => [c.id, c.flows.join(', ')])]).trimEnd()] : ['None: no workload outside the CDE has an allowed flow to or from it.']),
    '',
    `## Security-impacting: pods the CDE's policies admit, deployed or not (${record.securityImpacting.length})`,
    '',
    ...(record.securityImpacting.length > 0 ? [markdownTable([['flow', 'peer', 'in the input'], ...record.securityImpacting.map((s) => [s.flow, s.peer, s.holds.join(', ') || 'none'])]).trimEnd()] : ['None: every policy of the CDE names its peers within the CDE.']),
    '',
    `## Segmentation controls (${record.controls.length})`,
    '',
    markdownTable([['identifier', 'control', 'tier', 'selects in the CDE', 'defined at', 'uid / resourceVersion'],
      ...record.controls.map((c) => [c.identifier, c.id, c.priority !== undefined ? `${c.tier} (priority ${c.priority})` : c.tier, c.selectsCde.join(', ') || 'none (it selects workloads beside the CDE)', where(c.location),
        c.uid !== undefined || c.resourceVersion !== undefined ? `${c.uid ?? '?'} / ${c.resourceVersion ?? '?'}` : '(not in the manifest)'])]).trimEnd(),
    '',
    'Enforced by the cluster\'s network plugin, which the manifests do not name: record its make and version beside this record.',
    '',
    `## Out of scope, and why (${record.outOfScope.length})`,
    '',
    ...(record.outOfScope.length > 0 ? [markdownTable([['workload', 'towards the CDE denied by', 'from the CDE denied by'], ...record.outOfScope.map((o) => [o.id, o.toCde.join(', '), o.fromCde.join(', ')])]).trimEnd()] : ['None.']),
    '',
    `## Connections with addresses outside the cluster (${record.thirdParty.length})`,
    '',
    ...(record.thirdParty.length > 0 ? [markdownTable([['flow', 'from', 'to', 'ports', 'party', 'policies'], ...record.thirdParty.map((t) => [t.boundary ?? '', t.from, t.to, t.ports, t.party ?? '(none declared: --parties)', t.policies.join(', ')])]).trimEnd()] : ['None.']),
    '',
    '## What this record cannot say',
    '',
    ...record.limits.map((l) => `- ${l}`),
    '',
  ].join('\n');
}
