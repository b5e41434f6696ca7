import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Options shared by every command that analyses manifests. */
export function addAnalysisOptions(command: Command): Command {
  return command
    .option('--pod-cidr <cidr>', 'pod CIDR of the cluster (repeatable); ipBlocks then also match pods', collect)
    .option('--ingress-controller <ns[/key=value,...]>', 'namespace and pod labels of the ingress controller')
    .option('--gateway-controller <ns[/key=value,...]>', 'namespace and pod labels of the Gateway API data plane, for Gateways whose own Deployment (labelled gateway.networking.k8s.io/gateway-name) is not in the input')
    .option('-n, --namespace <name>', 'namespace for objects without metadata.namespace (default: "default")')
    .option('--cni <name>', 'network plugin whose policies to evaluate: calico, cilium or generic (default: inferred from the Calico or Cilium objects in the input, else generic)')
    .option('--lenient', 'unknown fields (manifests of a newer API version) are warnings, not errors')
    .option('-v, --verbose', 'print warnings and the kinds that were skipped');
}
