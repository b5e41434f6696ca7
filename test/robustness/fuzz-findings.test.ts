import { buildTrafficGraph, parseManifests, toGraphJson, type DiagnosticCode } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';

// Each case is an input the fuzz test (fuzz.test.ts) once found to crash or hang the pipeline,
// shrunk to its essence and kept as a regression test.

function analyse(text: string) {
  const parsed = parseManifests([{ name: 'found.yaml', text }]);
  const json = toGraphJson(buildTrafficGraph(parsed.cluster));
  return { parsed, json, codes: parsed.diagnostics.map((d) => d.code) };
}

const policy = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - ports:
${ports}`;

describe('inputs the fuzzer found', () => {
  // a map with a `toString` or `valueOf` key shadows Object.prototype: Number(x) and String(x) throw on it
  it.each<[string, string, DiagnosticCode | undefined]>([
    ['a container port', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: c\n      ports:\n        - containerPort: {toString: ""}\n', undefined],
    ['a container name', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: {valueOf: 1, toString: 2}\n', undefined],
    ['a Service port', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: a}\n  ports:\n    - port: {toString: ""}\n', undefined],
    // the API server's decoding fails on these (a map where an int-or-string or a string is due)
    ['a NetworkPolicy port', policy('        - port: {valueOf: 1, toString: 2}\n'), 'k8s/wrong-type'],
    ['a NetworkPolicy port list', policy('        - port: [{toString: ""}]\n'), 'k8s/wrong-type'],
    ['an ipBlock except entry', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/8, except: [{toString: 2}]}\n', 'k8s/wrong-type'],
  ])('reads a map with a toString key as %s without throwing', (_where, text, code) => {
    const { codes } = analyse(text);
    if (code) expect(codes).toContain(code);
  });

  it('refuses a recursive alias instead of building a cyclic value', () => {
    // JSON.stringify in a diagnostic message threw "Converting circular structure to JSON"
    const { codes, parsed } = analyse(policy('        - &ports\n          port: *ports\n'));
    expect(codes).toEqual(['yaml/alias-limit']);
    expect(parsed.diagnostics[0]!.message).toContain('recursive alias');
  });

  it('refuses a recursive merge key', () => {
    expect(analyse('apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: m\n  <<: *m\n').codes).toEqual(['yaml/alias-limit']);
  });

  it('refuses a map used as a mapping key instead of turning it into "[object Object]"', () => {
    // the yaml package stringified the key and printed a warning on the console
    expect(analyse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: {? {a: 1} : x}\n').codes).toEqual(['yaml/syntax']);
  });

  it('reports nesting that exhausts the parser\'s stack as too deep, not as a syntax error', () => {
    const { codes } = analyse(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`);
    expect(codes).toEqual(['yaml/too-deep']);
  });

  it('keeps YAML 1.1 documents with merge keys, timestamps and sets', () => {
    // a set is a map of nulls: kubectl sends it as one, so it goes where a map of strings is valid
    const { parsed } = analyse('%YAML 1.1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  <<: {namespace: shop}\n  name: a\n  labels: {built: 2001-12-14}\nspec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n' +
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, namespace: shop}\ndata: !!set {80}\n');
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['shop/a[Pod]']);
    expect(parsed.cluster.configs.map((c) => c.id)).toEqual(['shop/m[ConfigMap]']);
  });
});
