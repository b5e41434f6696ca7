#!/usr/bin/env node
// Regenerates the committed renders examples/<name>/diagram.svg and diagram.png with
// `netdiagram diagram` (run `npm run examples`, which builds first). test/render/examples.test.ts
// fails when the committed files differ from what the code produces, using the same arguments.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The examples with manifests to draw, and their options beyond the defaults. */
export const EXAMPLES = {
  // the seed demo with its CDE marked as the seed marks it: the pci app
  'pci-demo': ['--title', 'PCI demo: CDE = the pci app (--cde app=pci), segmented from the other app', '--cde', 'app=pci'],
  // the same intent written as Calico policies (a GlobalNetworkPolicy default-deny, NetworkPolicies that allow)
  'pci-demo-calico': ['--title', 'PCI demo with Calico policies: CDE = the pci app (--cde app=pci)', '--cde', 'app=pci', '--cni', 'calico'],
  // and as Cilium policies (CiliumNetworkPolicies, a CIDR set with an exception)
  'pci-demo-cilium': ['--title', 'PCI demo with Cilium policies: CDE = the pci app (--cde app=pci)', '--cde', 'app=pci', '--cni', 'cilium'],
  // Cilium's own getting-started demo with its L7 policy (examples/star-wars-cilium/SOURCE.md)
  'star-wars-cilium': ['--title', 'Cilium Star Wars demo: only Empire ships may land, by POST /v1/request-landing', '--cni', 'cilium'],
  // Google's microservices demo with its network-policies component (examples/online-boutique/SOURCE.md)
  'online-boutique': ['--title', 'Online Boutique (GoogleCloudPlatform/microservices-demo) with its network-policies component'],
  // the payment namespace carries the label pci-dss/scope=cde
  // the shop under a platform team's cluster-wide guardrails (ClusterNetworkPolicy, Admin and Baseline tiers)
  // (its networks peers match pod addresses too, so the pod CIDR is given)
  guardrails: ['examples/shop', '--title', 'shop under cluster-wide guardrails (Admin and Baseline ClusterNetworkPolicies)', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde', '--pod-cidr', '10.244.0.0/16'],
  // 50 workloads in 10 namespaces of the author's making (examples/marketplace/README.md): Ingresses, egress to
  // outside services, the payments namespace as the CDE; on A3 it takes an overview and a page per namespace
  marketplace: ['--title', 'marketplace: 50 workloads in 10 namespaces, the payments CDE (--cde pci-dss/scope=cde)', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde'],
  shop: ['--title', 'shop: storefront, checkout, and the payment CDE (--cde pci-dss/scope=cde)', '--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde'],
  // the same shop exposed through a Gateway and HTTPRoutes instead of its Ingresses (examples/shop-gateway/README.md);
  // the Gateway's own data-plane Deployment is in the input, so no --gateway-controller is needed
  'shop-gateway': ['--title', 'shop through the Gateway API: a Gateway, two HTTPRoutes, the payment CDE (--cde pci-dss/scope=cde)', '--cde', 'pci-dss/scope=cde'],
};

/**
 * The examples with account-data annotations, whose data-flow diagrams (`netdiagram dataflow`) are
 * committed beside them as dataflow.svg, dataflow.png and dataflow.md.
 */
export const DATAFLOW_EXAMPLES = {
  'pci-demo': ['--cde', 'app=pci'],
  shop: ['--ingress-controller', 'ingress-nginx', '--cde', 'pci-dss/scope=cde', '--parties', 'examples/shop/parties.yaml'],
};

/** The `netdiagram` arguments that render an example's data-flow diagram (or table, for md) to `format`. */
export function dataflowArgs(name, format) {
  return ['dataflow', `examples/${name}`, '-o', `examples/${name}/dataflow.${format}`, '--no-commit', ...DATAFLOW_EXAMPLES[name]];
}

/**
 * The scoping record (`netdiagram scope`, scope.md) and the segmentation test plan
 * (`netdiagram segmentation-plan`, segmentation-plan.csv) committed beside the same examples.
 */
export function recordArgs(name, command) {
  const file = command === 'scope' ? 'scope.md' : 'segmentation-plan.csv';
  const options = DATAFLOW_EXAMPLES[name].filter((_a, i, all) => all[i] !== '--parties' && all[i - 1] !== '--parties');
  return [command, `examples/${name}`, '-o', `examples/${name}/${file}`, ...(command === 'scope' ? ['--no-commit', ...DATAFLOW_EXAMPLES[name]] : options)];
}

/** The examples with a data-flow render, sorted. */
export function dataflowExampleNames() {
  return Object.keys(DATAFLOW_EXAMPLES).sort();
}

/** The rendered examples, sorted. */
export function exampleNames() {
  return Object.keys(EXAMPLES).sort();
}

/**
 * The `netdiagram` arguments that render one example to `format`, run from the repository root.
 * No commit and no date, so the renders only change when the inputs or the code do.
 */
export function exampleArgs(name, format) {
  return ['diagram', `examples/${name}`, '-o', `examples/${name}/diagram.${format}`, '--no-commit', ...EXAMPLES[name]];
}

/** An Io for `main` that writes through, with an empty environment (no SOURCE_DATE_EPOCH). */
export function quietIo(stderr = (text) => process.stderr.write(text)) {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr,
    readStdin: async () => '',
    env: {},
    cwd: ROOT,
  };
}

async function renderAll() {
  process.chdir(ROOT);
  const { main } = await import(pathToFileURL(join(ROOT, 'packages/cli/dist/index.js')).href);
  for (const name of exampleNames()) {
    for (const format of ['svg', 'png']) {
      const started = Date.now();
      const code = await main(exampleArgs(name, format), quietIo());
      if (code !== 0) throw new Error(`examples/${name}: netdiagram exited with ${code}`);
      process.stdout.write(`examples/${name}/diagram.${format} (${Date.now() - started} ms)\n`);
    }
  }
  for (const name of dataflowExampleNames()) {
    for (const format of ['svg', 'png', 'md']) {
      // the data-flow findings go to standard error, as in any run; dataflow.md records them
      const code = await main(dataflowArgs(name, format), quietIo(() => {}));
      if (code !== 0) throw new Error(`examples/${name}: netdiagram dataflow exited with ${code}`);
      process.stdout.write(`examples/${name}/dataflow.${format}\n`);
    }
    for (const command of ['scope', 'segmentation-plan']) {
      // the plan's notes (what it leaves to the tester) go to standard error
      const code = await main(recordArgs(name, command), quietIo(() => {}));
      if (code !== 0) throw new Error(`examples/${name}: netdiagram ${command} exited with ${code}`);
      process.stdout.write(`${recordArgs(name, command)[3]}\n`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  renderAll().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
