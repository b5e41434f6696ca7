import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '@netdiagram/core';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo, tempDir } from '../robustness/support.js';

// Cilium's objects are checked against Cilium's policy API types (pkg/policy/api): a misspelt field is
// pruned by the API server, so the rule netdiagram would read without it allows more (a lost
// ingressDeny, toPorts) or selects more (a lost matchLabels) than was written. It must never be silent.

const GUARD = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: guard, namespace: star}
specs:
- endpointSelector:
    matchLabels: {class: deathstar}
  ingress:
  - fromEndpoints:
    - matchLabels: {class: tiefighter}
    toPorts:
    - ports:
      - port: "80"
        protocol: TCP
      rules:
        http:
        - method: POST
          path: /v1/request-landing
  ingressDeny:
  - fromEndpoints:
    - matchLabels: {class: xwing}
- endpointSelector:
    matchLabels: {class: tiefighter}
  egress:
  - toEndpoints:
    - matchLabels: {class: deathstar}
  - toFQDNs:
    - matchName: example.com
  enableDefaultDeny: {egress: false}
`;
const OTHER = `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: other}
spec:
  endpointSelector: {matchLabels: {class: xwing}}
  egress:
  - toEntities: [world]
    icmps:
    - fields: [{type: 8, family: IPv4}]
`;
const text = (guard: string) => `${guard}---\n${OTHER}`;

// [the field as written, its misspelling, the path the diagnostic names]
const TYPOS: [string, string, string][] = [
  ['endpointSelector:', 'endpointSelectr:', 'specs[0].endpointSelectr'],
  ['ingressDeny:', 'ingresDeny:', 'specs[0].ingresDeny'],
  ['matchLabels: {class: xwing}', 'matchLabel: {class: xwing}', 'specs[0].ingressDeny[0].fromEndpoints[0].matchLabel'],
  ['protocol:', 'protcol:', 'specs[0].ingress[0].toPorts[0].ports[0].protcol'],
  ['method:', 'metod:', 'specs[0].ingress[0].toPorts[0].rules.http[0].metod'],
  ['toEndpoints:', 'toEndpoint:', 'specs[1].egress[0].toEndpoint'],
  ['matchName:', 'matchNme:', 'specs[1].egress[1].toFQDNs[0].matchNme'],
  ['egress: false', 'egres: false', 'specs[1].enableDefaultDeny.egres'],
];

/** 1-based line and column of the first occurrence of `needle` in `haystack`. */
function lineColumnOf(haystack: string, needle: string): { line: number; column: number } {
  const before = haystack.slice(0, haystack.indexOf(needle)).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** The Cilium objects the cluster holds policies of (a rule compiles into one policy per tier and direction). */
const policyIds = (r: ReturnType<typeof parseManifests>) => [...new Set((r.cluster.cilium?.policies ?? []).map((p) => p.id.split('#')[0]))].sort();

describe('strict Cilium input', () => {
  it('reads the intact policies without a diagnostic', () => {
    const r = parseManifests([{ name: 'p.yaml', text: text(GUARD) }], { cni: 'cilium' });
    expect(r.diagnostics.filter((d) => d.code.startsWith('k8s/'))).toEqual([]);
    expect(policyIds(r)).toEqual(['cilium:other', 'cilium:star/guard']);
  });

  it.each(TYPOS)('refuses %s misspelt as %s at its line and column, leaving that policy out and keeping the other', (right, wrong, path) => {
    expect(GUARD).toContain(right);
    const input = text(GUARD.replace(right, wrong));
    const r = parseManifests([{ name: 'p.yaml', text: input }], { cni: 'cilium' });
    const unknown = r.diagnostics.filter((d) => d.code === 'k8s/unknown-field');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.severity).toBe('error');
    expect(unknown[0]!.message).toContain(`unknown field "${path}"`);
    expect(unknown[0]!.message).toContain('CiliumNetworkPolicy star/guard left out');
    expect(unknown[0]!.location).toMatchObject({ file: 'p.yaml', ...lineColumnOf(input, wrong) });
    expect(policyIds(r)).toEqual(['cilium:other']);

    const lenient = parseManifests([{ name: 'p.yaml', text: input }], { cni: 'cilium', lenient: true });
    const warned = lenient.diagnostics.filter((d) => d.code === 'k8s/unknown-field');
    expect(warned.map((d) => d.severity)).toEqual(['warning']);
    expect(warned[0]!.message).toContain('ignored (--lenient)');
    if (path.endsWith('endpointSelectr')) {
      // read without its selector the rule selects nothing Cilium would accept: it is refused as Cilium refuses it
      expect(lenient.diagnostics.find((d) => d.code === 'cilium/invalid')?.message).toContain('a rule needs an endpointSelector');
    } else expect(policyIds(lenient)).toEqual(['cilium:other', 'cilium:star/guard']);
  });

  it('checks a clusterwide policy\'s spec as well, and names the field it meant', () => {
    const input = `${GUARD}---\n${OTHER.replace('icmps:', 'icmp:')}`;
    const r = parseManifests([{ name: 'p.yaml', text: input }], { cni: 'cilium' });
    const d = r.diagnostics.find((x) => x.code === 'k8s/unknown-field');
    expect(d?.message).toContain('unknown field "spec.egress[0].icmp" (did you mean icmps?)');
    expect(d?.message).toContain('CiliumClusterwideNetworkPolicy other left out');
    expect(d?.location).toMatchObject(lineColumnOf(input, 'icmp:'));
    expect(policyIds(r)).toEqual(['cilium:star/guard']);
  });

  it('refuses a value of the wrong type, as the CRD schema does', () => {
    const r = parseManifests([{ name: 'p.yaml', text: text(GUARD.replace('{egress: false}', '{egress: "no"}')) }], { cni: 'cilium' });
    expect(r.diagnostics.find((d) => d.code === 'k8s/wrong-type')?.message).toContain('specs[1].enableDefaultDeny.egress must be true or false');
    // PortProtocol.port is a string in Cilium's types and CRD schema: `port: 80` is refused, even with --lenient
    const numeric = parseManifests([{ name: 'p.yaml', text: text(GUARD.replace('port: "80"', 'port: 80')) }], { cni: 'cilium', lenient: true });
    expect(numeric.diagnostics.find((d) => d.code === 'k8s/wrong-type')?.message).toContain('specs[0].ingress[0].toPorts[0].ports[0].port must be a string, not the number 80');
    expect(policyIds(numeric)).toEqual(['cilium:other']);
  });

  it('leaves Cilium objects unchecked by their schema under another profile, where they are not evaluated', () => {
    const r = parseManifests([{ name: 'p.yaml', text: text(GUARD.replace('ingressDeny:', 'ingresDeny:')) }], { cni: 'generic' });
    expect(r.diagnostics.filter((d) => d.code === 'k8s/unknown-field')).toEqual([]);
  });

  it('exits 2 on the command line, and 0 with --lenient, which warns', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.yaml'), text(GUARD.replace('ingressDeny:', 'ingresDeny:')));
    const strict = fakeIo(dir);
    expect(await main(['connections', 'p.yaml', '--cni', 'cilium'], strict)).toBe(2);
    const at = lineColumnOf(text(GUARD), 'ingressDeny:');
    expect(strict.err).toContain(`p.yaml:${at.line}:${at.column}: error k8s/unknown-field: unknown field "specs[0].ingresDeny" (did you mean ingressDeny?)`);
    const lenient = fakeIo(dir);
    expect(await main(['connections', 'p.yaml', '--cni', 'cilium', '--lenient'], lenient)).toBe(0);
    expect(lenient.err).toContain('warning k8s/unknown-field');
  });
});

describe('Cilium policies as published', () => {
  const yamlFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []);
  const dirs = ['examples/pci-demo-cilium', 'examples/star-wars-cilium', 'test/fixtures/cilium-policies'];

  it.each(dirs)('%s: every field is one Cilium\'s types know', (dir) => {
    const files = yamlFiles(dir);
    const r = parseManifests(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })), { cni: 'cilium' });
    expect(r.diagnostics.filter((d) => d.code.startsWith('k8s/'))).toEqual([]);
    expect(r.cluster.cilium?.policies.length ?? 0).toBeGreaterThan(0);
  });
});
