import { computeExposure, type Exposure, type TrafficGraph } from '@netdiagram/core';
import { Command, Option } from 'commander';
import { analyse, type AnalysisOptions } from '../analysis.js';
import { connectionChunks, type ConnectionFormat } from '../connection-chunks.js';
import { writeOutputChunks, type Io } from '../io.js';
import { addAnalysisOptions } from '../options.js';
import { outputFormatOf } from '../output-format.js';

const FORMATS: readonly ConnectionFormat[] = ['txt', 'json', 'csv', 'md'];
type OpenPairs = 'list' | 'summarize';

/** `netdiagram connections`: every allowed flow, as text, JSON, CSV or Markdown. */
export function connectionsCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('connections')
    .description('list the connections the NetworkPolicies allow')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else txt)').choices(FORMATS))
    .option('-o, --output <file>', 'write to a file instead of standard output (- for stdout)', '-')
    .addOption(new Option('--open-pairs <mode>', 'list: every pair default-allow admits on both sides; summarize: one line per workload no policy isolates, instead of its pairs')
      .choices(['list', 'summarize']).default('list'))
    .option('--exposure', 'also list, per workload and direction, the pods the policies admit beyond the input (representative peers)')
    .addHelpText('after', `
Examples:
  $ netdiagram connections examples/pci-demo
  $ netdiagram connections examples/shop --exposure
  $ helm template ./chart | netdiagram connections - --format json
  $ netdiagram connections k8s/ --pod-cidr 10.244.0.0/16 --ingress-controller ingress-nginx/app.kubernetes.io/name=ingress-nginx
  $ netdiagram connections k8s/ --open-pairs summarize
  $ netdiagram connections --cluster                      # the live cluster of the current kubeconfig context

Workloads that no NetworkPolicy selects accept (and send) any traffic: n of them make n² pairs, all
listed by default. --open-pairs summarize lists the flows policies decide, then one line per
workload that is unrestricted for ingress or egress ("ns/name[Kind] : ingress unrestricted"); in
JSON an "openWorkloads" field is added, in CSV an "unrestricted" column, in Markdown a second table.

--exposure adds, per workload and direction, the pods its policies admit whether or not the input
holds them ("representative peers": default/[pod with {app=web}], [namespace with {team=ops}]/[all
pods], entire-cluster), independent of the other pods in the input: a section in txt, an "exposure"
field in JSON, rows with a leading direction column in CSV, a second table in Markdown.`);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: AnalysisOptions & { format?: ConnectionFormat; output: string; openPairs: OpenPairs; exposure?: boolean }) => {
    const format = outputFormatOf('connections', options.output, options.format, FORMATS, 'txt');
    // default-allow pairs are listed from the workloads' isolation while they are written, never held
    const analysis = await analyse(inputs, options, io, { openFlows: () => 'omit' });
    const exposure = options.exposure ? computeExposure(analysis.parsed.cluster, { podCidrs: options.podCidr ?? [] }) : undefined;
    await writeOutputChunks(options.output, connectionChunks(analysis.graph, { format, openPairs: options.openPairs, stagedChanges: analysis.stagedChanges, notEvaluatedPeers: analysis.notEvaluatedPeers, ...(exposure ? { exposure } : {}) }), io);
    if (analysis.failed) setExit(2);
  });
}

/** The connection list in one of the four formats, as one string (for a graph of any size a test builds). */
export function renderConnections(graph: TrafficGraph, format: ConnectionFormat, openPairs: OpenPairs = 'list', exposure?: Exposure): string {
  return Buffer.concat([...connectionChunks(graph, { format, openPairs, ...(exposure ? { exposure } : {}) })]).toString('utf8');
}
