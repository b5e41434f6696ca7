import { toolVersion } from '../version.js';
import { join } from 'node:path';
import {
  auditCluster, checkExpectations, formatPorts, toGraphJson, portsToJson,
  type CdeScope, type Finding, type TrafficGraph,
} from '@netdiagram/core';
import { Command } from 'commander';
import { analyse, type AnalysisOptions } from '../analysis.js';
import { csvCell, markdownCell } from '../escape.js';
import { writeOutput, type Io } from '../io.js';
import { addAnalysisOptions } from '../options.js';
import { evidenceDate, gitState, inputDigest, sha256 } from '../provenance.js';
import { addScopeOptions, describeScope, renderFindings, scopeFromOptions, type ScopeCliOptions } from './audit.js';
import { readExpectations, renderResults } from './check.js';

interface EvidenceOptions extends AnalysisOptions, ScopeCliOptions {
  readonly output: string;
  readonly date?: string;
  readonly expect?: string;
}

/** `netdiagram evidence`: one reproducible folder of PCI DSS requirement 1 evidence per run. */
export function evidenceCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('evidence')
    .description('write a PCI DSS evidence bundle: flow and boundary tables, audit findings, scope, metadata')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .requiredOption('-o, --output <dir>', 'directory to write the bundle into (created if missing)')
    .option('--date <date>', 'date recorded in metadata.json (YYYY-MM-DD or an ISO 8601 UTC time); default: SOURCE_DATE_EPOCH, else none')
    .option('-e, --expect <file>', 'also check this expectations file and include the results')
    .addHelpText('after', `
Examples:
  $ netdiagram evidence examples/pci-demo --cde app=pci -o evidence/
  $ SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) netdiagram evidence k8s/ --cde pci=true --expect expectations.yaml -o evidence/

The same inputs, options and date always give byte-identical files; the clock is never read.`);
  addScopeOptions(command);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: EvidenceOptions) => {
    const date = evidenceDate(options.date, io.env.SOURCE_DATE_EPOCH);
    const expected = options.expect !== undefined ? readExpectations(options.expect, io) : undefined;
    if (options.expect !== undefined && !expected) return setExit(2);
    const analysis = await analyse(inputs, options, io);
    const { cluster } = analysis.parsed;
    const scope = scopeFromOptions(cluster, analysis.graph, options);
    const findings = auditCluster(cluster, analysis.graph, scope);
    const results = expected ? checkExpectations(cluster, expected, { podCidrs: options.podCidr ?? [] }) : undefined;

    const files = new Map<string, string | Uint8Array>();
    const digest = `sha256:${inputDigest(analysis.sourceTexts)}`;
    const git = gitState(inputs, io);
    // the diagram shows the same scope as the tables: CDE zone, shading, numbered boundary flows
    const { layoutGraph, renderPng, renderSvg } = await import('@netdiagram/render'); // only drawing needs elkjs
    const svg = renderSvg(await layoutGraph(analysis.graph, { scope }), {
      title: 'Allowed network traffic (PCI DSS requirement 1 evidence)',
      source: inputs.join(' '), inputDigest: digest, toolVersion: toolVersion(),
      ...(git ? { commit: `${git.commit}${git.dirty ? ' (inputs modified)' : ''}` } : {}),
      ...(date ? { date } : {}),
    });
    files.set('diagram.svg', svg);
    files.set('diagram.png', renderPng(svg));
    files.set('flows.csv', flowTable(analysis.graph, scope, 'csv'));
    files.set('flows.md', flowTable(analysis.graph, scope, 'md'));
    files.set('boundary.csv', boundaryTable(scope, 'csv'));
    files.set('boundary.md', boundaryTable(scope, 'md'));
    files.set('findings.md', renderFindings(findings, scope, 'md'));
    files.set('findings.json', renderFindings(findings, scope, 'json'));
    files.set('findings.sarif', renderFindings(findings, scope, 'sarif'));
    files.set('scope.json', scopeJson(scope));
    files.set('graph.json', `${JSON.stringify(toGraphJson(analysis.graph), null, 2)}\n`);
    if (results) {
      files.set('expectations.md', renderResults(results, 'md'));
      files.set('expectations.json', renderResults(results, 'json'));
    }
    const listed = [...files.keys()].sort().map((name) => ({ name, sha256: sha256(files.get(name)!) }));
    const metadata = {
      tool: { name: 'netdiagram', version: toolVersion() },
      date,
      inputs: {
        paths: inputs,
        sources: analysis.sourceTexts.size,
        digest,
      },
      git,
      options: {
        cde: options.cde ?? [], outOfScope: options.outOfScope ?? [], podCidrs: options.podCidr ?? [],
        ingressController: options.ingressController ?? null, namespace: options.namespace ?? null, expect: options.expect ?? null,
      },
      summary: {
        workloads: cluster.workloads.length,
        flows: countFlows(analysis.graph),
        cdeWorkloads: scope.cde.length,
        connectedTo: scope.connected.length,
        boundaryFlows: scope.boundary.length,
        findings: { errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length },
        ...(results ? { expectations: { passed: results.filter((r) => r.passed).length, failed: results.filter((r) => !r.passed).length } } : {}),
      },
      files: listed,
    };
    files.set('README.md', readme(metadata, scope, findings));
    files.set('metadata.json', `${JSON.stringify(metadata, null, 2)}\n`);
    for (const [name, content] of files) writeOutput(join(options.output, name), content, io);
    io.stderr(`evidence: wrote ${files.size} files to ${options.output}; ${describeScope(scope)}\n`);
    if (analysis.failed) setExit(2);
  });
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
  const numbers = new Map(scope.boundary.map((f) => [`${f.from}\u0000${f.to}`, f.id]));
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

/** The flows crossing the CDE boundary, F1, F2, …, with the policies that allow them. */
export function boundaryTable(scope: CdeScope, format: 'csv' | 'md'): string {
  const rows: string[][] = [['flow', 'direction', 'from', 'to', 'ports', 'policies', 'rules']];
  for (const f of scope.boundary) {
    rows.push([f.id, f.direction, f.from, f.to, formatPorts(f.ports), f.policies.join(' ') || '(none: default-allow)', f.via.join(' ')]);
  }
  return table(rows, format);
}

function scopeJson(scope: CdeScope): string {
  return `${JSON.stringify({
    defined: scope.defined,
    selectors: scope.selectors,
    cde: scope.cde,
    connected: scope.connected,
    declaredOutOfScope: scope.declaredOutOfScope,
    namespaces: scope.namespaces,
    zones: scope.zones,
    boundary: scope.boundary.map((f) => ({ ...f, ports: portsToJson(f.ports) })),
  }, null, 2)}\n`;
}

function readme(
  metadata: { tool: { version: string }; date: string | null; inputs: { paths: readonly string[]; digest: string }; git: { commit: string; dirty: boolean } | null },
  scope: CdeScope,
  findings: readonly Finding[],
): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return [
    '# Network segmentation evidence (PCI DSS requirement 1)',
    '',
    `- Generated by netdiagram ${metadata.tool.version}${metadata.date ? ` for ${metadata.date}` : ''}`,
    `- Inputs: ${metadata.inputs.paths.map(markdownCell).join(', ')} (${metadata.inputs.digest})`,
    `- Git: ${metadata.git ? `${metadata.git.commit}${metadata.git.dirty ? ' with uncommitted changes to the inputs' : ''}` : 'not in a git repository'}`,
    `- ${markdownCell(describeScope(scope))}`,
    `- Audit: ${findings.length} findings (${errors} errors, ${findings.length - errors} warnings)`,
    '',
    '| file | what it is |',
    '| --- | --- |',
    '| diagram.svg, diagram.png | the diagram of the allowed traffic, with the CDE zone, the boundary flows numbered as in boundary.csv, and out-of-scope areas shaded |',
    '| flows.csv, flows.md | every allowed flow, numbered, with the zone of each end; boundary flows carry their F-number |',
    '| boundary.csv, boundary.md | the flows crossing the CDE boundary (F1, F2, …) and the policies that allow them |',
    '| findings.md, findings.json, findings.sarif | audit findings with code, severity, object, file:line and PCI DSS requirement |',
    '| scope.json | the zone of every workload, Service and address set, and why each CDE workload is in the CDE |',
    '| graph.json | the allowed-traffic graph (endpoints, connections, routes) |',
    '| expectations.md, expectations.json | results of the expectations file, when one was given |',
    '| metadata.json | tool version, date, input digest, git commit, options, and the sha256 of every file |',
    '',
  ].join('\n');
}
