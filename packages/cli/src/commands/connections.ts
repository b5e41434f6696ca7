import { computeExposure, formatConnectionLines, formatPorts, toGraphJson, type Exposure, type TrafficGraph } from '@netdiagram/core';
import { Command, Option } from 'commander';
import { analyse, type AnalysisOptions } from '../analysis.js';
import { writeOutput, type Io } from '../io.js';
import { csvCell, markdownCell, terminalText } from '../escape.js';
import { jsonText } from '../json-text.js';
import { addAnalysisOptions } from '../options.js';
import { outputFormatOf } from '../output-format.js';
import { exposureCsvRows, exposureMarkdown, exposureText, exposureToJson } from '../exposure-output.js';

type Format = 'txt' | 'json' | 'csv' | 'md';
const FORMATS: readonly Format[] = ['txt', 'json', 'csv', 'md'];

/** `netdiagram connections`: every allowed flow, as text, JSON, CSV or Markdown. */
export function connectionsCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('connections')
    .description('list the connections the NetworkPolicies allow')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else txt)').choices(FORMATS))
    .option('-o, --output <file>', 'write to a file instead of standard output (- for stdout)', '-')
    .option('--exposure', 'also list, per workload and direction, the pods the policies admit beyond the input (representative peers)')
    .addHelpText('after', `
Examples:
  $ netdiagram connections examples/pci-demo
  $ netdiagram connections examples/shop --exposure
  $ helm template ./chart | netdiagram connections - --format json
  $ netdiagram connections k8s/ --pod-cidr 10.244.0.0/16 --ingress-controller ingress-nginx/app.kubernetes.io/name=ingress-nginx`);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: AnalysisOptions & { format?: Format; output: string; exposure?: boolean }) => {
    const format = outputFormatOf('connections', options.output, options.format, FORMATS, 'txt');
    const analysis = await analyse(inputs, options, io);
    const exposure = options.exposure ? computeExposure(analysis.parsed.cluster) : undefined;
    writeOutput(options.output, renderConnections(analysis.graph, format, exposure), io);
    if (analysis.failed) setExit(2);
  });
}

/** The connection list in one of the four formats. */
export function renderConnections(graph: TrafficGraph, format: Format, exposure?: Exposure): string {
  switch (format) {
    case 'txt':
      return formatConnectionLines(graph).map((l) => `${terminalText(l)}\n`).join('') + (exposure ? exposureText(exposure) : '');
    case 'json':
      return jsonText(exposure ? { ...toGraphJson(graph), exposure: exposureToJson(exposure) } : toGraphJson(graph));
    case 'csv': {
      // with --exposure one table: a leading direction column, `connection` for the allowed flows
      const rows = [exposure ? ['direction', 'from', 'to', 'ports', 'via'] : ['from', 'to', 'ports', 'via']];
      graph.forEachEdge((_k, a, s, t) => {
        if (a.type === 'flow') rows.push([...(exposure ? ['connection'] : []), s, t, formatPorts(a.ports), a.via.join(' ')]);
      });
      if (exposure) rows.push(...exposureCsvRows(exposure));
      return rows.map((r) => r.map(csvCell).join(',')).map((l) => `${l}\r\n`).join('');
    }
    case 'md': {
      const lines = ['| from | to | ports | allowed by |', '| --- | --- | --- | --- |'];
      graph.forEachEdge((_k, a, s, t) => {
        if (a.type === 'flow') lines.push(`| ${[s, t, formatPorts(a.ports), a.via.join(', ')].map(markdownCell).join(' | ')} |`);
      });
      return `${lines.join('\n')}\n${exposure ? exposureMarkdown(exposure) : ''}`;
    }
  }
}
