import { Option, type Command } from 'commander';
import { loadClusterTarget } from './cluster/kubeconfig.js';
import { clusterLabel } from './cluster/read-cluster.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Options shared by every command that analyses manifests. */
export function addAnalysisOptions(command: Command): Command {
  command
    .option('--pod-cidr <cidr>', 'pod CIDR of the cluster (repeatable); ipBlocks then also match pods', collect)
    .option('--ingress-controller <ns[/key=value,...]>', 'namespace and pod labels of the ingress controller')
    .option('--gateway-controller <ns[/key=value,...]>', 'namespace and pod labels of the Gateway API data plane, for Gateways whose own Deployment (labelled gateway.networking.k8s.io/gateway-name) is not in the input')
    .option('-n, --namespace <name>', 'namespace for objects without metadata.namespace (default: "default"); with --cluster, the one namespace to read')
    .option('--cni <name>', 'network plugin whose policies to evaluate: calico, cilium or generic (default: inferred from the Calico or Cilium objects in the input, else generic)')
    .option('--lenient', 'unknown fields (manifests of a newer API version) are warnings, not errors')
    .option('-v, --verbose', 'print warnings and the kinds that were skipped');
  addClusterOptions(command);
  return command;
}

/** The options that pick a live cluster to read (cluster/read-cluster.ts). */
export interface ClusterOptions {
  readonly cluster?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly allNamespaces?: boolean;
  /** `cluster:CONTEXT`, set before the command runs and appended to its inputs (nameClusterInput). */
  readonly clusterInput?: string;
}

/** Options that choose where the input comes from: the command line's business, never an options file's. */
export const CLUSTER_OPTION_NAMES: readonly string[] = ['cluster', 'context', 'kubeconfig', 'all-namespaces'];

/**
 * `--cluster`, `--context`, `--kubeconfig` and `--all-namespaces`. With them the file inputs
 * become optional: the objects are listed from the API server (and files named as well are read
 * with them, a file's object winning over the cluster's of the same kind and name).
 */
function addClusterOptions(command: Command): void {
  command
    .option('--cluster', 'read the objects from the cluster of the current kubeconfig context, read-only (get and list, never Secrets; the ClusterRole it needs: examples/rbac/netdiagram-reader.yaml in the netdiagram repository)')
    .option('--context <name>', 'read the cluster of this kubeconfig context (implies --cluster)')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config, else the pod\'s service account; implies --cluster)')
    .addOption(new Option('-A, --all-namespaces', 'with --cluster: read every namespace (the default, unlike kubectl: flows cross namespaces)').conflicts('namespace'));
  // the inputs may all come from the cluster; without it, analyse() asks for them
  for (const argument of command.registeredArguments) {
    if (argument.name() !== 'inputs') continue;
    argument.argOptional();
    if (!argument.description.includes('--cluster')) argument.description += '; none, or more, with --cluster';
  }
}

/** Whether the options ask for a live cluster. */
export function wantsCluster(options: ClusterOptions): boolean {
  return options.cluster === true || options.context !== undefined || options.kubeconfig !== undefined;
}

/**
 * Before a command that reads a cluster runs: names the cluster (`cluster:CONTEXT`) and appends
 * that name to the command's inputs, so every output that records its inputs (title blocks, the
 * evidence bundle, the scope record) names the cluster as it names files. analyse() reads the
 * cluster instead of a file for it.
 */
export async function nameClusterInput(command: Command, io: Io): Promise<void> {
  const options = command.opts() as ClusterOptions;
  if (!wantsCluster(options)) return;
  const target = await loadClusterTarget(options, io);
  const label = clusterLabel(target.context);
  command.setOptionValue('clusterInput', label);
  const inputs = command.processedArgs[0];
  if (Array.isArray(inputs)) inputs.push(label);
  else throw new UsageError('--cluster: this command reads no manifests');
}

/** The inputs that are files (or `-`): without the cluster's name that nameClusterInput appended. */
export function fileInputs(inputs: readonly string[], options: ClusterOptions): readonly string[] {
  return options.clusterInput !== undefined && inputs[inputs.length - 1] === options.clusterInput ? inputs.slice(0, -1) : inputs;
}
