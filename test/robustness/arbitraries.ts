import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * fast-check generators for the fuzz test: well-formed manifests, manifests with hostile values put
 * into random fields, text mutations of valid YAML, and plain noise.
 */

/** Strings that have broken parsers, escaping or prototype lookups before. */
export const hostileStrings: readonly string[] = [
  '', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'List', 'PodList',
  '=cmd|"/c calc"!A1', '+1', '-1', '@SUM(1)', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  '| a | b |', '`code`', '\u0000', '\u001b[31mred', 'a\nb', '\r\n', '\u2028', '\ud800', '💥', 'ø'.repeat(3),
  '0.0.0.0/0', '::/0', '10.0.0.0/8', '10.1.2.3/8', '300.0.0.0/8', '10.0.0.0/33', '1.2.3.4', 'fe80::1%eth0/64',
  '0', '65535', '65536', '-1', '1e309', 'NaN', 'http', 'In', 'NotIn', 'Exists', 'DoesNotExist', 'TCP', 'udp',
  'networking.k8s.io/v1', 'v1', 'apps/v1', 'extensions/v1beta1', 'Ingress', 'Egress', 'a'.repeat(300),
];

const hostileString = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 12 }));

/** Any JSON-ish value a manifest field might hold by mistake. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small', withCrossShrink: true },
  hostileString,
  fc.constantFrom(0, -1, 1, 80, 65535, 65536, 1.5, -0, Number.MAX_SAFE_INTEGER, 1e300, true, false, null),
  fc.integer(),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  // objects that shadow Object.prototype: String(x) and Number(x) throw on them
  fc.constantFrom({ toString: '' }, { valueOf: 1, toString: 2 }, { constructor: 'x' }, JSON.parse('{"__proto__": {"polluted": true}}')),
  fc.jsonValue({ maxDepth: 3 }),
);

const labelKey = fc.constantFrom('app', 'tier', 'role', 'pci', 'kubernetes.io/metadata.name', 'team');
const labelValue = fc.constantFrom('web', 'db', 'redis', 'frontend', 'true', 'shop', 'default', 'other');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const namespace = fc.constantFrom('default', 'shop', 'pci', 'other');
const name = fc.constantFrom('a', 'b', 'web', 'db', 'redis', 'frontend');
const protocol = fc.constantFrom('TCP', 'UDP', 'SCTP');

const ipv4Cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`);
const ipv6Cidr = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => `${ip}/${p}`);
const cidr = fc.oneof(ipv4Cidr, ipv6Cidr, fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/16', '::/0'));

const selector = fc.record(
  {
    matchLabels: labels,
    matchExpressions: fc.array(
      fc.record({
        key: labelKey,
        operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
        values: fc.array(labelValue, { maxLength: 2 }),
      }, { requiredKeys: ['key', 'operator'] }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

const peer = fc.oneof(
  fc.record({ podSelector: selector, namespaceSelector: selector }, { requiredKeys: [] }),
  fc.record({ ipBlock: fc.record({ cidr, except: fc.array(cidr, { maxLength: 2 }) }, { requiredKeys: ['cidr'] }) }),
);

const portEntry = fc.record(
  {
    protocol,
    port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'dns', 'metrics')),
    endPort: fc.integer({ min: 1, max: 65535 }),
  },
  { requiredKeys: [] },
);

const rule = (peerField: 'from' | 'to') =>
  fc.record({ [peerField]: fc.array(peer, { maxLength: 3 }), ports: fc.array(portEntry, { maxLength: 3 }) }, { requiredKeys: [] });

const networkPolicy = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('NetworkPolicy'),
  metadata: fc.record({ name, namespace }),
  spec: fc.record(
    {
      podSelector: selector,
      policyTypes: fc.subarray(['Ingress', 'Egress']),
      ingress: fc.array(rule('from'), { maxLength: 2 }),
      egress: fc.array(rule('to'), { maxLength: 2 }),
    },
    { requiredKeys: ['podSelector'] },
  ),
});

const containerPorts = fc.array(
  fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), name: fc.constantFrom('http', 'dns', 'metrics'), protocol }, { requiredKeys: ['containerPort'] }),
  { maxLength: 3 },
);

const pod = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Pod'),
  metadata: fc.record({ name, namespace, labels }),
  spec: fc.record({ containers: fc.tuple(fc.record({ name: fc.constant('main'), ports: containerPorts })) }),
  status: fc.record({ podIP: fc.ipV4() }, { requiredKeys: [] }),
});

const deployment = fc.record({
  apiVersion: fc.constant('apps/v1'),
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet'),
  metadata: fc.record({ name, namespace }),
  spec: fc.record({
    replicas: fc.integer({ min: 0, max: 5 }),
    template: fc.record({
      metadata: fc.record({ labels }),
      spec: fc.record({ containers: fc.tuple(fc.record({ name: fc.constant('main'), ports: containerPorts })) }),
    }),
  }),
});

const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: fc.record({ name, namespace }),
  spec: fc.record(
    {
      type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
      selector: labels,
      ports: fc.array(fc.record({
        port: fc.integer({ min: 1, max: 65535 }),
        targetPort: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'dns')),
        protocol,
      }, { requiredKeys: ['port'] }), { maxLength: 2 }),
      loadBalancerSourceRanges: fc.array(cidr, { maxLength: 2 }),
    },
    { requiredKeys: ['ports'] },
  ),
});

const ingress = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('Ingress'),
  metadata: fc.record({ name, namespace }),
  spec: fc.record({
    rules: fc.array(fc.record({
      host: fc.domain(),
      http: fc.record({
        paths: fc.array(fc.record({
          path: fc.constant('/'),
          backend: fc.record({ service: fc.record({ name, port: fc.oneof(fc.record({ number: fc.integer({ min: 1, max: 65535 }) }), fc.record({ name: fc.constant('http') })) }) }),
        }), { maxLength: 2 }),
      }),
    }), { maxLength: 2 }),
  }),
});

const namespaceObject = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Namespace'),
  metadata: fc.record({ name: namespace, labels }),
});

/** A well-formed Kubernetes object of a kind netdiagram models. */
export const manifest: fc.Arbitrary<Record<string, unknown>> = fc.oneof(networkPolicy, pod, deployment, service, ingress, namespaceObject);

/** Every field path (object keys and list indexes) in a value, the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function replaceAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, k === head ? replaceAt(v, rest, replacement) : v]));
}

/** A valid manifest with one to three fields (or whole subtrees) replaced by hostile values. */
export const mutatedManifest: fc.Arbitrary<unknown> = fc
  .tuple(manifest, fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 3 }))
  .map(([object, mutations]) => {
    let current: unknown = object;
    for (const [pick, value] of mutations) {
      const paths = pathsOf(current);
      current = replaceAt(current, paths[pick % paths.length]!, value);
    }
    return current;
  });

/** A multi-document YAML (or JSON) text of manifests, some of them mutated. */
export const manifestText: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.oneof(manifest, mutatedManifest), { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([objects, asJson]) =>
    asJson
      ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects })
      : objects.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n'));

const yamlToken = fc.constantFrom(
  'apiVersion: v1\n', 'kind: Pod\n', 'kind: NetworkPolicy\n', 'metadata:\n', '  name: x\n', 'spec:\n', '- ', ': ', '\n', '  ',
  '\t', '{', '}', '[', ']', ',', '&a ', '*a', '!!str ', '!!binary ', '!<tag:x> ', '? ', '|\n', '>-\n', '"', "'", '#', '---\n',
  '...\n', '%YAML 1.2\n', '%YAML 1.1\n---\n', '<<: *a\n', 'a: &a\n', '- &a [*a]\n', '!!set ', '!!omap ', '!!timestamp ', '\ufeff', '\u0000', '\\', '~', 'null', '.nan', '0x1F', '1e400',
);

/** Text made of YAML tokens glued at random: exercises the parser's error paths. */
export const yamlNoise: fc.Arbitrary<string> = fc.array(yamlToken, { maxLength: 40 }).map((tokens) => tokens.join(''));

/** A valid manifest text with a few characters deleted, duplicated or inserted. */
export const mutatedText: fc.Arbitrary<string> = fc
  .tuple(manifestText, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.oneof(yamlToken, fc.string({ maxLength: 3 }))), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [at, length, insert] of edits) {
      const start = out.length === 0 ? 0 : at % out.length;
      out = out.slice(0, start) + insert + out.slice(start + length);
    }
    return out;
  });

/** Any of the above, or raw noise. */
export const anyInputText: fc.Arbitrary<string> = fc.oneof(
  manifestText,
  mutatedText,
  yamlNoise,
  fc.string({ unit: 'binary', maxLength: 200 }),
);
