import { addRecordCommandOptions } from '../command-options.js';
import { toolVersion } from '../version.js';
import {
  auditCluster, buildScopeRecord, planSegmentationTests, sortFindings, boundaryNumbers, computeExposure, boundaryPortsText, checkExpectations, findLeftOut, formatIncomplete, formatPorts, toGraphJson, portsToJson,
  type CdeScope, type Diagnostic, type Exposure, type ExpectationResult, type Finding, type TrafficGraph,
} from '@netdiagram/core';
import { titleBlockCni } from '../cni-text.js';
import { Command } from 'commander';
import { analyse, notEvaluatedNotices, drawnBesideFlows, type AnalysisOptions } from '../analysis.js';
import { csvCell, markdownCell, terminalText } from '../escape.js';
import { EVIDENCE_MARKER, openEvidenceDir, writeEvidenceDir } from '../evidence-dir.js';
import type { Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { gitState, inputDigest, recordedDate, sha256 } from '../provenance.js';
import { describeScope, renderFindings, scopeFromOptions, type ScopeCliOptions } from './audit.js';
import { expectationSelectors, readExpectations, renderResults } from './check.js';
import { exposureCsvRows } from '../exposure-output.js';
import { evidencePdf } from '../evidence-pdf.js';
import { pngOf } from '../png-output.js';
import { accountDataRun, csvTable, dataFlowMarkdown, dataFlowRows, readParties, type AccountDataCliOptions } from '../account-data.js';
import { drawDataFlow } from './dataflow.js';
import { htmlOf } from './diagram.js';
import { scopeRecordJson, scopeRecordMarkdown } from './scope.js';
import { recordInfo, type RecordCliOptions } from '../record-options.js';
import { renderPlan } from './segmentation-plan.js';

interface EvidenceOptions extends AnalysisOptions, ScopeCliOptions, AccountDataCliOptions, RecordCliOptions {
  /** Set by options-file.ts when netdiagram.yaml supplied options. */
  readonly optionsFile?: string;
  readonly output: string;
  readonly date?: string;
  readonly expect?: string;
}

/** `netdiagram evidence`: one reproducible folder of PCI DSS requirement 1 evidence per run. */
export function evidenceCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('evidence')
    .description('write a PCI DSS evidence bundle: flow and boundary tables, audit findings, scope, metadata')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .requiredOption('-o, --output <dir>', `directory to write the bundle into: new, empty, or written by an earlier run (it holds ${EVIDENCE_MARKER})`)
    .option('--date <date>', 'date recorded in the bundle (YYYY-MM-DD or an ISO 8601 UTC time); default: SOURCE_DATE_EPOCH, else the commit date of the inputs\' git HEAD, else "undated"')
    .option('-e, --expect <file>', 'also check this expectations file and include the results')
    .addHelpText('after', `
Examples:
  $ netdiagram evidence examples/pci-demo --cde app=pci -o evidence/
  $ netdiagram evidence k8s/ --cde pci=true --expect expectations.yaml -o evidence/ --date 2025-07-01

The date is --date, else SOURCE_DATE_EPOCH, else the commit date of the git HEAD the inputs are in
(the state an assessor is shown), else the bundle says "undated": the clock is never read, and the
same inputs, options and date always give byte-identical files, whatever order the inputs are named in.

The output directory belongs to netdiagram: ${EVIDENCE_MARKER} lists the files a run wrote. The
next run builds its bundle in a new directory and swaps it in, replacing those files (and only
those): no file of an earlier run is left in the bundle, and a run that fails leaves the previous
bundle as it was. A non-empty directory without that file is refused.

Input errors (exit code 2): the bundle is still written for inspection, but README.md, the diagram's
title block and metadata.json start with "INCOMPLETE:" and name what was left out.

Evidence is a record, not a gate: failed expectations are recorded (README.md names them, and
expectations.md, metadata.json and the summary line on standard error count them) but the exit code
stays 0. The gate is \`netdiagram check --expect FILE\`, which exits 1 when an expectation fails.`);
  addRecordCommandOptions(command, { accountData: true });
  return command.action(async (inputs: string[], options: EvidenceOptions) => {
    const { optionsFile: _named, ...record } = recordInfo(options); // prepared/approved by, review date: in the diagrams, README and metadata (the options file has its own field)
    recordedDate(options.date, io.env.SOURCE_DATE_EPOCH); // a bad --date or SOURCE_DATE_EPOCH is refused before any work
    const output = openEvidenceDir(options.output, io); // refuse a foreign directory before any work
    const expected = options.expect !== undefined ? readExpectations(options.expect, io) : undefined;
    if (options.expect !== undefined && !expected) return setExit(2);
    const parties = options.parties !== undefined ? readParties(options.parties, io) : undefined;
    if (options.parties !== undefined && !parties) return setExit(2);
    const analysis = await analyse(inputs, { ...options, podSelectors: expected ? expectationSelectors(expected, options.expect!) : [] }, io);
    const { cluster } = analysis.parsed;
    const exposure = computeExposure(cluster, { podCidrs: options.podCidr ?? [] });
    const scope = scopeFromOptions(cluster, analysis.graph, options, { io, exposure });
    // --- account data (PCI DSS 1.2.4): only when the input states roles or names parties
    const accountData = accountDataRun(cluster, analysis.graph, scope, parties, options);
    const findings = sortFindings([...auditCluster(cluster, analysis.graph, scope, { unevaluated: analysis.parsed.unevaluated, stagedChanges: analysis.stagedChanges }), ...(accountData?.findings ?? [])]);
    const notEvaluated = notEvaluatedNotices(analysis);
    const results = expected ? checkExpectations(cluster, expected, { podCidrs: options.podCidr ?? [] }) : undefined;
    const sortedInputs = [...inputs].sort(); // the order inputs are named in changes no byte of the bundle
    const git = gitState(sortedInputs, io);
    const { date, origin } = recordedDate(options.date, io.env.SOURCE_DATE_EPOCH, git?.date);
    const sources = [...analysis.sourceTexts].map(([name, text]) => ({ name, text }));
    const leftOut = findLeftOut(sources, analysis.diagnostics, options.namespace !== undefined ? { namespace: options.namespace } : {});
    const incomplete = formatIncomplete(analysis.diagnostics, leftOut);

    const files = new Map<string, string | Uint8Array>();
    const digest = `sha256:${inputDigest(analysis.sourceTexts)}`;
    // the diagram shows the same scope as the tables: CDE zone, shading, numbered boundary flows,
    // and the representative peers among them, as `diagram --cde` draws them by default
    const { boundaryExposureRows, layoutGraph, renderSvg } = await import('@netdiagram/render'); // only drawing needs elkjs
    const drawnExposure = scope.defined ? boundaryExposureRows(exposure.rows, scope) : [];
    const diagramInfo = {
      title: 'Allowed network traffic (PCI DSS requirement 1 evidence)',
      source: sortedInputs.join(' '), inputDigest: digest, toolVersion: toolVersion(),
      clusterPolicies: (analysis.parsed.cluster.clusterPolicies ?? []).length,
      gateways: analysis.parsed.cluster.ingresses.filter((i) => i.kind === 'Gateway').length,
      cni: titleBlockCni(analysis.parsed.cni),
      ...(git ? { commit: `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` } : {}),
      date: date ?? 'undated',
      notices: [...(incomplete ? [incomplete] : []), ...notEvaluated],
      ...record,
    };
    const layoutOptions = { scope, exposure: drawnExposure, ...drawnBesideFlows(analysis) };
    const layout = await layoutGraph(analysis.graph, layoutOptions);
    const svg = renderSvg(layout, diagramInfo);
    files.set('diagram.svg', svg);
    // the same drawing to explore offline: search, highlight, the rules of each flow, collapsed namespaces expanded
    files.set('diagram.html', await htmlOf({ svg, layout, layoutOptions, renderOptions: diagramInfo, graph: analysis.graph, cluster, scope, title: diagramInfo.title }));
    files.set('diagram.png', await pngOf(svg, 1.5, io, undefined));
    files.set('diagram.pdf', await evidencePdf(analysis.graph, layoutOptions, diagramInfo, date ?? undefined, io));
    if (accountData) {
      const dataflowSvg = await drawDataFlow(analysis.graph, accountData, scope, 'right', 'auto', { ...diagramInfo, title: 'Account data flows (PCI DSS 1.2.4 evidence)' });
      files.set('dataflow.svg', dataflowSvg);
      files.set('dataflow.png', await pngOf(dataflowSvg, 1.5, io, undefined));
      files.set('dataflow.csv', csvTable(dataFlowRows(accountData.model)));
      files.set('dataflow.md', dataFlowMarkdown(accountData));
    }
    files.set('flows.csv', flowTable(analysis.graph, scope, 'csv'));
    files.set('flows.md', flowTable(analysis.graph, scope, 'md'));
    files.set('boundary.csv', boundaryTable(scope, 'csv'));
    files.set('boundary.md', boundaryTable(scope, 'md'));
    files.set('exposure.csv', exposureTable(exposure, 'csv'));
    files.set('exposure.md', exposureTable(exposure, 'md'));
    files.set('findings.md', renderFindings(findings, scope, 'md'));
    files.set('findings.json', renderFindings(findings, scope, 'json'));
    files.set('findings.sarif', renderFindings(findings, scope, 'sarif'));
    files.set('scope.json', scopeJson(scope));
    // --- 12.5.2 scoping record and 11.4.5 segmentation test plan, when a CDE is marked
    if (scope.defined) {
      const header = {
        inputs: sortedInputs, digest, date, commit: git ? `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` : null, commitAsked: true,
        toolVersion: toolVersion(), scope: describeScope(scope), ...record,
      };
      const scopeRecord = buildScopeRecord(cluster, analysis.graph, scope, parties ?? []);
      files.set('scope-record.md', scopeRecordMarkdown(scopeRecord, header));
      files.set('scope-record.json', scopeRecordJson(scopeRecord, header));
      const plan = planSegmentationTests(cluster, analysis.graph, scope);
      files.set('segmentation-plan.csv', renderPlan(plan, 'csv'));
      // the Markdown plan carries the notes (what the plan leaves to the tester), which CSV rows cannot
      files.set('segmentation-plan.md', renderPlan(plan, 'md'));
    }
    files.set('graph.json', jsonText(toGraphJson(analysis.graph)));
    if (results) {
      files.set('expectations.md', renderResults(results, 'md'));
      files.set('expectations.json', renderResults(results, 'json'));
    }
    const listed = [...files.keys()].sort().map((name) => ({ name, sha256: sha256(files.get(name)!) }));
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
    const metadata = {
      // first, so that no reader of the metadata can miss it
      status: incomplete ?? 'complete',
      // policies of APIs netdiagram does not evaluate yet: what is drawn may not be what the cluster enforces
      notEvaluated: analysis.parsed.unevaluated,
      tool: { name: 'netdiagram', version: toolVersion() },
      date,
      dateFrom: origin,
      inputs: {
        paths: sortedInputs,
        sources: analysis.sourceTexts.size,
        digest,
        files: [...analysis.sourceTexts].map(([name, text]) => ({ name, sha256: sha256(text) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      },
      git,
      // who made and approved the evidence, and when it is next reviewed (PCI DSS 1.2.3, 12.5.2); only what the options say
      ...(Object.keys(record).length > 0 ? { record } : {}),
      options: {
        cde: options.cde ?? [], outOfScope: options.outOfScope ?? [], podCidrs: options.podCidr ?? [],
        ingressController: options.ingressController ?? null,
        ...(options.gatewayController !== undefined ? { gatewayController: options.gatewayController } : {}), namespace: options.namespace ?? null, expect: options.expect ?? null,
        ...(options.parties !== undefined ? { parties: options.parties } : {}), ...(options.strictFlows ? { strictFlows: true } : {}),
        // the options file the values above partly came from (netdiagram.yaml)
        ...(options.optionsFile !== undefined ? { optionsFile: options.optionsFile } : {}),
      },
      // the network plugin the input was judged for, and how it was chosen (--cni, or inferred)
      cni: { profile: analysis.parsed.cni.name, chosen: analysis.parsed.cni.chosen, ...(analysis.parsed.cni.reason ? { reason: analysis.parsed.cni.reason } : {}) },
      summary: {
        workloads: cluster.workloads.length,
        flows: countFlows(analysis.graph),
        cdeWorkloads: scope.cde.length,
        connectedTo: scope.connected.length,
        boundaryFlows: scope.boundary.length,
        ...(accountData ? { accountData: { workloads: accountData.model.handlers.length, flows: accountData.model.flows.length, parties: accountData.model.parties.length } } : {}),
        findings: { errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length },
        ...(results ? { expectations: { passed: results.filter((r) => r.passed).length, failed: results.filter((r) => !r.passed).length } } : {}),
        diagnostics: { errors, warnings: analysis.diagnostics.length - errors },
        leftOut: leftOut.length,
      },
      // the segmentation controls' identities (1.2.3 "unique identifiers for each control"), as scope-record.md lists them
      ...(scope.defined ? { segmentationControls: buildScopeRecord(cluster, analysis.graph, scope, parties ?? []).controls.map((c) => ({
        identifier: c.identifier, id: c.id, kind: c.kind, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}), name: c.name, tier: c.tier,
        ...(c.priority !== undefined ? { priority: c.priority } : {}),
        ...(c.uid !== undefined ? { uid: c.uid } : {}), ...(c.resourceVersion !== undefined ? { resourceVersion: c.resourceVersion } : {}),
      })) } : {}),
      diagnostics: analysis.diagnostics.map(diagnosticJson),
      leftOut: leftOut.map((l) => ({
        what: l.what, kind: l.kind, file: l.file, document: l.document,
        ...(l.object ? { object: l.object } : {}),
        errors: l.errors.map(diagnosticJson),
      })),
      files: listed,
    };
    files.set('README.md', readme(metadata, scope, findings, results, incomplete, notEvaluated, accountData !== undefined));
    files.set('metadata.json', jsonText(metadata));
    writeEvidenceDir(output, files);
    if (output.foreign.length > 0) {
      io.stderr(`evidence: left alone in ${terminalText(options.output)} (not written by netdiagram, not part of the bundle): ${output.foreign.map(terminalText).join(', ')}\n`);
    }
    // failed expectations do not change the exit code (evidence records, `check` is the gate), so the summary line must say so
    const tally = results ? `; ${expectationTally(results)}${results.some((r) => !r.passed) ? ' (see expectations.md)' : ''}` : '';
    io.stderr(incomplete
      ? `evidence: wrote ${files.size} files to ${terminalText(options.output)} for inspection only; ${incomplete}${tally}\n`
      : `evidence: wrote ${files.size} files to ${terminalText(options.output)}; ${describeScope(scope)}${tally}\n`);
    if (analysis.failed) setExit(2);
  });
}

/** A diagnostic as metadata.json lists it: code, severity, message, and where. */
function diagnosticJson(d: Diagnostic) {
  return {
    severity: d.severity, code: d.code, message: d.message,
    location: d.location ? { file: d.location.file, line: d.location.line, column: d.location.column } : null,
  };
}

function countFlows(graph: TrafficGraph): number {
  let n = 0;
  graph.forEachEdge((_k, a) => {
    if (a.type === 'flow') n++;
  });
  return n;
}

function table(rows: readonly (readonly string[])[], format: 'csv' | 'md'): string {
  if (format === 'csv') return rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
  const [head, ...body] = rows;
  return [`| ${head!.map(markdownCell).join(' | ')} |`, `| ${head!.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.map(markdownCell).join(' | ')} |`)]
    .map((l) => `${l}\n`).join('');
}

/** Every allowed flow, with the zones of its ends and its boundary number when it crosses the CDE boundary. */
export function flowTable(graph: TrafficGraph, scope: CdeScope, format: 'csv' | 'md'): string {
  const numbers = new Map([...boundaryNumbers(scope)].map(([pair, f]) => [pair, f.id]));
  const rows: string[][] = [['#', 'boundary', 'from', 'from zone', 'to', 'to zone', 'ports', 'allowed by']];
  const flows: string[][] = [];
  graph.forEachEdge((_k, a, s, t) => {
    if (a.type !== 'flow') return;
    flows.push([numbers.get(`${s}\u0000${t}`) ?? '', s, scope.zones[s] ?? '', t, scope.zones[t] ?? '', formatPorts(a.ports), a.via.join(' ')]);
  });
  flows.sort((x, y) => (x[1]! < y[1]! ? -1 : x[1]! > y[1]! ? 1 : x[3]! < y[3]! ? -1 : x[3]! > y[3]! ? 1 : 0));
  flows.forEach((f, i) => rows.push([String(i + 1), ...f]));
  return table(rows, format);
}

/** What every workload's policies admit beyond the input: one row per direction and representative peer. */
export function exposureTable(exposure: Exposure, format: 'csv' | 'md'): string {
  return table([['direction', 'from', 'to', 'ports', 'rules'], ...exposureCsvRows(exposure)], format);
}

/** The flows crossing the CDE boundary, F1, F2, …, with the policies that allow them. */
export function boundaryTable(scope: CdeScope, format: 'csv' | 'md'): string {
  const rows: string[][] = [['flow', 'direction', 'from', 'to', 'ports', 'policies', 'rules']];
  for (const f of scope.boundary) {
    rows.push([f.id, f.direction, f.from, f.to, boundaryPortsText(f), f.policies.join(' ') || '(none: default-allow)', f.via.join(' ')]);
  }
  return table(rows, format);
}

function scopeJson(scope: CdeScope): string {
  return jsonText({
    defined: scope.defined,
    selectors: scope.selectors,
    cde: scope.cde,
    connected: scope.connected,
    declaredOutOfScope: scope.declaredOutOfScope,
    namespaces: scope.namespaces,
    zones: scope.zones,
    boundary: scope.boundary.map((f) => ({ ...f, ports: portsToJson(f.ports) })),
  });
}

/** `Expectations: 3 passed, 2 failed`, the same words in README.md and on standard error. */
function expectationTally(results: readonly ExpectationResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  return `Expectations: ${results.length - failed} passed, ${failed} failed`;
}

function readme(
  metadata: {
    tool: { version: string }; date: string | null; dateFrom: string | null;
    inputs: { paths: readonly string[]; digest: string }; git: { commit: string; dirty: boolean } | null;
    record?: { preparedBy?: string; approvedBy?: string; reviewDate?: string };
    cni: { profile: string; chosen: string; reason?: string };
  },
  scope: CdeScope,
  findings: readonly Finding[],
  results: readonly ExpectationResult[] | undefined,
  incomplete: string | undefined,
  notEvaluated: readonly string[],
  dataFlows = false,
): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return [
    // the first line says what an assessor must know before reading anything else
    ...(incomplete ? [
      `**${markdownCell(incomplete)}**`,
      '',
      'This bundle was written for inspection only: the parts of the input left out are not in the diagram, the tables or the findings,',
      'so the traffic shown may differ from what the cluster allows. metadata.json lists every diagnostic and every part left out.',
      '',
    ] : []),
    ...notEvaluated.flatMap((n) => [`**${markdownCell(n)}**`, '']),
    '# Network segmentation evidence (PCI DSS requirement 1)',
    '',
    `- Generated by netdiagram ${metadata.tool.version}, ${metadata.date ? `dated ${metadata.date} (from ${metadata.dateFrom})` : 'undated (no --date, SOURCE_DATE_EPOCH or git commit)'}`,
    `- Inputs: ${metadata.inputs.paths.map(markdownCell).join(', ')} (${metadata.inputs.digest})`,
    `- CNI profile: ${markdownCell(metadata.cni.profile)} (${metadata.cni.chosen === 'option' ? `--cni ${markdownCell(metadata.cni.profile)}` : metadata.cni.chosen === 'inferred' ? `inferred: ${markdownCell(metadata.cni.reason ?? '')}` : metadata.cni.reason ? markdownCell(metadata.cni.reason) : 'the default'})`,
    `- Git: ${metadata.git ? `${metadata.git.commit}${metadata.git.dirty ? ' with uncommitted changes to the inputs' : ''}` : 'not in a git repository'}`,
    ...(metadata.record?.preparedBy !== undefined ? [`- Prepared by: ${markdownCell(metadata.record.preparedBy)}`] : []),
    ...(metadata.record?.approvedBy !== undefined ? [`- Approved by: ${markdownCell(metadata.record.approvedBy)}`] : []),
    ...(metadata.record?.reviewDate !== undefined ? [`- Next review: ${metadata.record.reviewDate}`] : []),
    `- ${markdownCell(describeScope(scope))}`,
    `- Audit: ${findings.length} findings (${errors} errors, ${findings.length - errors} warnings)`,
    ...(results ? [
      `- ${expectationTally(results)}${results.some((r) => !r.passed) ? ' (see expectations.md):' : ''}`,
      ...results.filter((r) => !r.passed).map((r) => `  - FAIL: ${markdownCell(r.expectation.name)}`),
    ] : []),
    '',
    '| file | what it is |',
    '| --- | --- |',
    '| diagram.svg, diagram.png | the diagram of the allowed traffic, with the CDE zone, the boundary flows numbered as in boundary.csv, and out-of-scope areas shaded |',
    '| diagram.html | the same diagram to explore in a browser, offline (one self-contained file that loads nothing): search, click a workload, namespace or edge to highlight its flows and list the policy rules (file:line) that allow them, filters, collapsed namespaces expanded, a permalink to the view |',
    '| diagram.pdf | the same diagram for print, on A3 landscape: one page, or an overview and a page per namespace where one page would print its text under 7 pt |',
    ...(dataFlows ? ['| dataflow.svg, dataflow.png, dataflow.csv, dataflow.md | the account-data flow diagram (PCI DSS 1.2.4): the workloads the netdiagram.io/account-data annotations name, their flows D1, D2, … (with the F-numbers of boundary.csv), parties, entry and exit points |'] : []),
    '| flows.csv, flows.md | every allowed flow, numbered, with the zone of each end; boundary flows carry their F-number |',
    '| boundary.csv, boundary.md | the flows crossing the CDE boundary (F1, F2, …) and the policies that allow them |',
    '| exposure.csv, exposure.md | per workload and direction, the pods its policies admit whether or not they are in the input (representative peers, as `connections --exposure` lists them) |',
    '| findings.md, findings.json, findings.sarif | audit findings with code, severity, object, file:line and PCI DSS requirement |',
    '| scope.json | the zone of every workload, Service and address set, and why each CDE workload is in the CDE |',
    ...(scope.defined ? [
      '| scope-record.md, scope-record.json | the PCI DSS 12.5.2 scoping record: CDE, connected-to and security-impacting components, segmentation controls with identifiers, why each out-of-scope workload is out of scope, connections with outside addresses |',
      '| segmentation-plan.csv | the PCI DSS 11.4.5 probe matrix: what a segmentation test must probe and the answer each probe must give (check the outcomes with `netdiagram segmentation-plan --results`) |',
      '| segmentation-plan.md | the same plan to read, with its notes: what it leaves to the tester (sampled or merged workloads, ports to give with --probe-port) |',
    ] : []),
    '| graph.json | the allowed-traffic graph (endpoints, connections, routes) |',
    '| expectations.md, expectations.json | results of the expectations file, when one was given |',
    '| metadata.json | status (complete or INCOMPLETE), tool version, date, inputs and their sha256, git commit, options, every diagnostic, every part of the input left out, and the sha256 of every file |',
    `| ${EVIDENCE_MARKER} | the files netdiagram wrote here; the next run into this directory deletes them, and only them |`,
    '',
  ].join('\n');
}
