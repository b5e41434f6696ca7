import { parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { formatFloat32, kubectlKey, kubectlValue } from '../../packages/core/src/manifests/kubectl-scalars.js';
import { parseSource, parseSourceExactly } from '../../packages/core/src/manifests/parse.js';
import { parseSourceFast } from '../../packages/core/src/manifests/fast-parse.js';
import { flowsOf } from '../support/analyse.js';

const web = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
`;

/** A policy that admits only `port` (written as given) into web. */
function policyWithPort(port: string, extra = ''): string {
  return `${web}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-in
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports:
    - port: ${port}
${extra}`;
}

const CLIENT_TO_WEB = 'shop/client[Pod] => shop/web[Pod]';
const valuesOf = (text: string) => parseSource({ name: 'm.yaml', text }).documents.map((d) => d.value);

describe('reading plain scalars as kubectl applies them', () => {
  it.each([
    ['0443', 291], ['0b1010000', 80], ['0x1F', 31], ['0X1f', 31], ['0o17', 15], ['-0x1F', -31], ['+0443', 291],
    ['1_000', 1000], ['0_443', 291], ['08', 8], ['0999', 999], ['-0', 0], ['1.5', 1.5], ['.5', 0.5], ['1e3', 1000],
    ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['On', true], ['ON', true],
    ['no', false], ['N', false], ['off', false], ['OFF', false], ['True', true], ['FALSE', false],
    ['~', null], ['null', null], ['Null', null], ['NULL', null], ['', null],
    ['yEs', 'yEs'], ['0x', '0x'], ['0b2', '0b2'], ['1.2.3', '1.2.3'], ['2001-12-14', '2001-12-14'], ['12:30', '12:30'],
    ['_1', '_1'], ['1e400', '1e400'], ['0x1FFFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFFF'], ['+.nan', '+.nan'],
  ])('reads the plain scalar %j as %j (go-yaml v2 resolve.go)', (text, value) => {
    expect(kubectlValue(text)).toBe(value);
  });

  it('reads .inf and .nan as the floats go-yaml makes of them', () => {
    expect(kubectlValue('.inf')).toBe(Number.POSITIVE_INFINITY);
    expect(kubectlValue('-.Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(kubectlValue('.NaN')).toBeNaN();
  });

  it.each([
    ['on', 'true'], ['no', 'false'], ['0x50', '80'], ['0443', '291'], ['1.5', '1.5'], ['1e6', '1e+06'],
    ['3.14159265358979', '3.1415927'], ['.inf', '.inf'], ['app', 'app'], ['9223372036854775807', '9223372036854775807'],
  ])('spells the map key %j as %j, as sigs.k8s.io/yaml turns keys into strings', (text, key) => {
    expect(kubectlKey(text)).toEqual({ key });
  });

  it('refuses a null key and an unsigned 64-bit key, which convertToJSONableObject cannot spell', () => {
    expect(kubectlKey('~')).toHaveProperty('problem');
    expect(kubectlKey('18446744073709551615')).toHaveProperty('problem');
  });

  it.each([
    [1e6, '1e+06'], [100000, '100000'], [0.1, '0.1'], [1.5e-7, '1.5e-07'], [0.0001, '0.0001'], [-0, '-0'],
    [16777217, '1.6777216e+07'], [1e39, '.inf'], [Number.NaN, '.nan'], [-2.5, '-2.5'],
  ])('formats the float %s as strconv.FormatFloat(f, \'g\', -1, 32) does: %s', (value, text) => {
    expect(formatFloat32(value)).toBe(text);
  });
});

describe('manifests read as kubectl applies them', () => {
  it('reads port: 0443 as port 291, the port the cluster opens, and warns where it is', () => {
    const text = policyWithPort('0443');
    expect(flowsOf(text).get(CLIENT_TO_WEB)).toBe('TCP 291');
    const warning = parseManifests([{ name: 'm.yaml', text }]).diagnostics.find((d) => d.code === 'yaml/kubectl-scalar');
    expect(warning?.message).toBe('port: 0443 is read as 291, as kubectl applies it (not 443)');
    const line = text.split('\n').indexOf('    - port: 0443') + 1;
    expect(warning?.location).toMatchObject({ file: 'm.yaml', line, column: 13 });
  });

  it('reads containerPort: 0443 as container port 291', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 0443\n';
    const parsed = parseManifests([{ name: 'p.yaml', text }]);
    expect(parsed.cluster.workloads[0]?.ports.map((p) => p.port)).toEqual([291]);
  });

  it('sees hostNetwork: yes as true', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostNetwork: yes\n  containers: [{name: c, image: x}]\n';
    const parsed = parseManifests([{ name: 'p.yaml', text }]);
    expect(parsed.cluster.workloads[0]?.hostNetwork).toBe(true);
    expect(parsed.diagnostics.map((d) => d.message)).toContain('hostNetwork: yes is read as true, as kubectl applies it (not the string "yes")');
  });

  it('reads port: 0b1010000 as TCP 80 whether or not an unrelated anchor sends the file to the exact reader', () => {
    const anchored = policyWithPort('0b1010000', '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: &shared x, b: *shared}\n');
    expect(parseSourceFast({ name: 'm.yaml', text: anchored })).toBeUndefined(); // the anchor: exact reader
    expect(flowsOf(policyWithPort('0b1010000')).get(CLIENT_TO_WEB)).toBe('TCP 80');
    expect(flowsOf(anchored).get(CLIENT_TO_WEB)).toBe('TCP 80');
  });

  it('keeps a quoted scalar a string: port: "0443" is a port name, not a number', () => {
    const [, , policy] = valuesOf(policyWithPort('"0443"')) as { spec: { ingress: { ports: { port: unknown }[] }[] } }[];
    expect(policy!.spec.ingress[0]!.ports[0]!.port).toBe('0443');
    expect(parseSource({ name: 'm.yaml', text: 'a: "yes"\nb: \'0443\'\nc: |\n  on\n' }).diagnostics).toEqual([]);
  });

  it('makes a label value yes a boolean, as the API server receives it', () => {
    const [pod] = valuesOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    enabled: yes\n') as { metadata: { labels: Record<string, unknown> } }[];
    expect(pod!.metadata.labels.enabled).toBe(true);
  });

  it('reads a key on: as the key "true", and warns', () => {
    const parsed = parseSource({ name: 'ci.yml', text: 'on:\n  push: {}\n' });
    expect(parsed.documents[0]?.value).toEqual({ true: { push: {} } });
    expect(parsed.diagnostics).toMatchObject([{ severity: 'warning', code: 'yaml/kubectl-scalar', message: 'key on: is read as the key "true", as kubectl applies it (not "on")', location: { line: 1, column: 1 } }]);
  });

  it('reads explicit tags as go-yaml does: !!int "0443" is 291, !!str 0443 stays text', () => {
    const parsed = parseSource({ name: 't.yaml', text: 'a: !!int "0443"\nb: !!str 0443\nc: !!float 1\n' });
    expect(parsed.documents[0]?.value).toEqual({ a: 291, b: '0443', c: 1 });
  });

  it('lets a merge key override the explicit keys written before it, as go-yaml v2 applies it', () => {
    const text = 'defaults: &d {port: 80, protocol: TCP}\nrule:\n  port: 8080\n  <<: *d\n  protocol: UDP\n';
    expect(parseSource({ name: 'm.yaml', text }).documents[0]?.value).toEqual({
      defaults: { port: 80, protocol: 'TCP' }, rule: { port: 80, protocol: 'UDP' },
    });
  });

  it('does not warn where both readings agree', () => {
    const text = 'replicas: 0\nport: 443\nratio: 0.5\nok: true\nnone: ~\nname: web\nimage: 123456789.dkr.ecr.us-east-1.amazonaws.com/my_app:1.0\n';
    expect(parseSource({ name: 'm.yaml', text }).diagnostics).toEqual([]);
    expect(parseSourceExactly({ name: 'm.yaml', text }).diagnostics).toEqual([]);
  });

  it('gives the same warnings from the fast reader as from the exact one', () => {
    const text = 'a: 0443\nb: [yes, off, 1_0]\nname: ok\n';
    const fast = parseSourceFast({ name: 'm.yaml', text });
    expect(fast).toBeDefined();
    const strip = (ds: readonly { code: string; message: string; location?: { line: number; column: number } }[]) =>
      ds.map((d) => [d.code, d.message, d.location?.line, d.location?.column]);
    expect(strip(fast!.diagnostics)).toEqual(strip(parseSourceExactly({ name: 'm.yaml', text }).diagnostics));
    expect(fast!.diagnostics).toHaveLength(4);
  });
});

describe('documents kubectl cannot turn into JSON', () => {
  it('skips a document holding .nan (JSON has no NaN) and keeps the others', () => {
    const parsed = parseSource({ name: 'm.yaml', text: 'a: .nan\n---\nb: 1\n' });
    expect(parsed.documents.map((d) => d.value)).toEqual([{ b: 1 }]);
    expect(parsed.diagnostics).toMatchObject([{ severity: 'error', code: 'yaml/not-json', location: { line: 1, column: 4 } }]);
  });

  it('skips a document with a null key', () => {
    const parsed = parseSource({ name: 'm.yaml', text: 'metadata:\n  ~: x\n' });
    expect(parsed.documents).toEqual([]);
    expect(parsed.diagnostics).toMatchObject([{ severity: 'error', code: 'yaml/not-json', location: { line: 2, column: 3 } }]);
  });

  it('reports keys that become one key (yes and true; 80 and 0x50) as duplicates', () => {
    for (const text of ['labels:\n  yes: a\n  true: b\n', 'ports:\n  80: a\n  0x50: b\n']) {
      const parsed = parseSource({ name: 'm.yaml', text });
      expect(parsed.documents).toEqual([]);
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toMatchObject([{ code: 'yaml/duplicate-key', location: { line: 3, column: 3 } }]);
    }
  });
});

describe('keys compared as kubectl spells them', () => {
  it("keeps 'yes' and yes as two keys, \"yes\" and \"true\", as kubectl does", () => {
    const parsed = parseSource({ name: 'm.yaml', text: "labels:\n  'yes': a\n  yes: b\n" });
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.documents[0]?.value).toEqual({ labels: { yes: 'a', true: 'b' } });
  });
});

describe('unrendered Helm and Go templates', () => {
  const chart = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "x.fullname" . }}
  labels:
    {{- include "x.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
      - name: {{ .Chart.Name }}
        ports: [{{ range .Values.ports }}{containerPort: {{ . }}},{{ end }}]
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "x.fullname" . }}
`;

  it('gives one error for a template file, saying to render it first, not one per broken line', () => {
    const parsed = parseSource({ name: 'templates/deployment.yaml', text: chart });
    expect(parsed.documents).toEqual([]);
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]).toMatchObject({ severity: 'error', code: 'input/template', location: { file: 'templates/deployment.yaml' } });
    expect(parsed.diagnostics[0]!.message).toContain('helm template NAME DIR | netdiagram … -');
  });

  it('handles 100 KB of {{{{ with one error', () => {
    const parsed = parseSource({ name: 'hostile.yaml', text: `${'{{'.repeat(50_000)}\n: : bad` });
    expect(parsed.diagnostics).toHaveLength(1);
    expect(parsed.diagnostics[0]!.code).toBe('input/template');
  });

  it('leaves a file that parses alone, even with {{ }} inside a string', () => {
    const parsed = parseSource({ name: 'm.yaml', text: 'metadata:\n  annotations: {note: "{{ not a template }}"}\n' });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.documents).toHaveLength(1);
  });
});
