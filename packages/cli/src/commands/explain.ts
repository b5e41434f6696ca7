import { explainTraffic, formatPorts, isEmptyPorts, portsToJson, type Explanation, type PortSet } from '@netdiagram/core';
import { Command, Option } from 'commander';
import { analyse, parseController, type AnalysisOptions } from '../analysis.js';
import { terminalText } from '../escape.js';
import { writeOutput, type Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { addAnalysisOptions } from '../options.js';
import { UsageError } from '../usage-error.js';

type Format = 'txt' | 'json';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `netdiagram explain`: why traffic between two endpoints is allowed or denied, rule by rule. */
export function explainCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('explain')
    .description('explain why traffic from one endpoint to another is allowed or denied, per direction and rule')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .requiredOption('--from <endpoint>', 'source: a workload (ns/name or ns/name[Kind]), a Service (ns/name[Service]), an Ingress (ns/name[Ingress]), an IP address, a CIDR, or a set of pods in or beyond the input ("pods app=x in namespace shop", "any pod in namespaces team=ops", "any pod in the cluster")')
    .requiredOption('--to <endpoint>', 'destination: a workload, a Service (judged on its backends), an IP address, a CIDR, or a set of pods as for --from')
    .option('-p, --port <port>', 'port to judge, e.g. 80/TCP, 53/UDP, 8000-8080/TCP (repeatable; default: report every allowed port)', collect)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['txt', 'json']).default('txt'))
    .option('-o, --output <file>', 'write to a file instead of standard output (- for stdout)', '-')
    .addHelpText('after', `
Examples:
  $ netdiagram explain examples/pci-demo --from default/other-frontend --to default/pci-backend --port 6379/TCP
  $ netdiagram explain examples/pci-demo --from 203.0.113.7 --to 'default/pci-frontend[Service]'
  $ netdiagram explain examples/shop --from 'pods app=prometheus in namespace monitoring' --to payment/payment-api
  $ netdiagram explain examples/shop --from 'any pod in the cluster' --to payment/card-vault --port 5432/TCP
  $ netdiagram explain k8s/ --from 'shop/web[Ingress]' --to shop/api --ingress-controller ingress-nginx/app.kubernetes.io/name=ingress-nginx
  $ netdiagram explain k8s/ --from 'shop/web[Gateway]' --to shop/api --gateway-controller istio-ingress/istio=ingressgateway`);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: AnalysisOptions & { from: string; to: string; port?: string[]; format: Format; output: string }) => {
    const analysis = await analyse(inputs, options, io);
    const result = explainTraffic(analysis.parsed.cluster, { from: options.from, to: options.to, ports: options.port ?? [] }, {
      podCidrs: options.podCidr ?? [],
      ...(options.ingressController !== undefined ? { ingressController: parseController(options.ingressController) } : {}),
      ...(options.gatewayController !== undefined ? { gatewayController: parseController(options.gatewayController, '--gateway-controller') } : {}),
    });
    if (!result.ok) throw new UsageError(result.reason);
    writeOutput(options.output, options.format === 'json' ? explanationJson(result.explanation) : explanationText(result.explanation), io);
    if (analysis.failed) setExit(2);
  });
}

/** The explanation as indented text, one block per (source, destination) pair. */
export function explanationText(e: Explanation): string {
  const lines = [`${e.from.id} → ${e.to.id}: ${e.allowed ? 'allowed' : 'denied'}`];
  for (const p of e.pairs) {
    const asked = p.requested ? ` (asked: ${formatPorts(p.requested)})` : '';
    lines.push(`  ${p.from} → ${p.to}: ${isEmptyPorts(p.allowed) ? 'denied' : `allowed on ${formatPorts(p.allowed)}`}${asked}`);
    if (p.note) lines.push(`    note: ${p.note}`);
    for (const v of p.ports) lines.push(`    ${v.port}: ${v.allowed ? 'allowed' : `denied by ${v.deniedBy.join(' and ')}`}`);
    for (const d of p.directions) lines.push(`    ${d.summary}`);
  }
  return lines.map((l) => `${terminalText(l)}\n`).join('');
}

/** The explanation as JSON with ports in the `portsToJson` form. */
export function explanationJson(e: Explanation): string {
  const ports = (p: PortSet) => portsToJson(p);
  return jsonText({
    from: e.from, to: e.to, allowed: e.allowed,
    pairs: e.pairs.map((p) => ({
      from: p.from, to: p.to,
      ...(p.requested ? { requested: ports(p.requested) } : {}),
      allowed: ports(p.allowed),
      ports: p.ports,
      directions: p.directions.map((d) => ({
        direction: d.direction, pod: d.pod, isolatedBy: d.isolatedBy,
        rules: d.rules.map((r) => ({ ref: r.ref, ports: ports(r.ports) })), ports: ports(d.ports), summary: d.summary,
      })),
      ...(p.note ? { note: p.note } : {}),
    })),
  });
}
