import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests, type Diagnostic } from '@netdiagram/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const parse = (text: string, options: { lenient?: boolean } = {}) => parseManifests([{ name: 'in.yaml', text }], options);
const codes = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => d.code);
const at = (d: Diagnostic | undefined) => (d?.location ? `${d.location.line}:${d.location.column}` : undefined);

/** A policy that is valid on its own: it must survive whatever is wrong with the documents around it. */
const GOOD_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: good, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
`;

const policy = (spec: string, name = 'bad') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
${spec}---
${GOOD_POLICY}`;

const policyIds = (text: string, options: { lenient?: boolean } = {}) => parse(text, options).cluster.policies.map((p) => p.id);

describe('unknown fields', () => {
  it('rejects a misspelt matchLabels at its key, with the field kubectl would name, and keeps the other policy', () => {
    // `matchLabel` made the policy select every pod and deny all ingress: `audit` even counted it as a default-deny
    const { cluster, diagnostics } = parse(policy('  podSelector:\n    matchLabel:\n      app: web\n  ingress: []\n'));
    const d = diagnostics.find((x) => x.code === 'k8s/unknown-field');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('unknown field "spec.podSelector.matchLabel" (did you mean matchLabels?)');
    expect(at(d)).toBe('6:5');
    expect(cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
  });

  it('rejects `ingres:` and suggests ingress, pointing at the key rather than at the list under it', () => {
    const { diagnostics } = parse(policy('  podSelector: {}\n  ingres:\n  - from: [{podSelector: {}}]\n'));
    expect(diagnostics.map((d) => [d.code, at(d), d.message.includes('did you mean ingress?')])).toEqual([['k8s/unknown-field', '6:3', true]]);
    expect(policyIds(policy('  podSelector: {}\n  ingres:\n  - from: [{podSelector: {}}]\n'))).toEqual(['shop/good']);
  });

  it('finds unknown fields in every part it interprets: peers, ports, ipBlocks, Services, Ingress and Route backends, containers, metadata', () => {
    const cases: [string, string][] = [
      [policy('  podSelector: {}\n  ingress:\n  - from: [{podSelectr: {}}]\n'), 'spec.ingress[0].from[0].podSelectr'],
      [policy('  podSelector: {}\n  egress:\n  - ports: [{port: 53, protocl: UDP}]\n'), 'spec.egress[0].ports[0].protocl'],
      [policy('  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: 10.0.0.0/8, excpt: [10.1.0.0/16]}}]\n'), 'spec.egress[0].to[0].ipBlock.excpt'],
      [policy('  podSelector: {matchExpressions: [{key: app, operater: In, values: [a]}]}\n'), 'spec.podSelector.matchExpressions[0].operater'],
      ['apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selectr: {app: web}\n  ports: [{port: 80}]\n', 'spec.selectr'],
      ['apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetport: 8080}]\n', 'spec.ports[0].targetport'],
      ['apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend: {service: {name: web, prot: {number: 80}}}\n', 'spec.defaultBackend.service.prot'],
      ['apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r}\nspec:\n  to: {kind: Service, name: web, wieght: 10}\n', 'spec.to.wieght'],
      ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {lables: {app: web}}\n    spec: {containers: [{name: c}]}\n', 'spec.template.metadata.lables'],
      ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec: {containers: [{name: c, ports: [{contanerPort: 80}]}]}\n', 'spec.template.spec.containers[0].ports[0].contanerPort'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwrk: true\n  containers: [{name: c}]\n', 'spec.hostNetwrk'],
      ['apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, label: {team: a}}\n', 'metadata.label'],
      ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespce: shop}\ndata: {a: b}\n', 'metadata.namespce'],
    ];
    for (const [text, field] of cases) {
      const { diagnostics, cluster } = parse(text);
      expect(diagnostics.filter((d) => d.code === 'k8s/unknown-field').map((d) => d.message.split('"')[1]), field).toEqual([field]);
      expect(cluster.workloads.length + cluster.services.length + cluster.ingresses.length + cluster.configs.length, field).toBe(0);
    }
  });

  it('accepts every field of a realistic Deployment, including those it does not interpret', () => {
    const { diagnostics } = parse(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
  annotations: {deployment.kubernetes.io/revision: "3"}
  creationTimestamp: null
  ownerReferences: [{apiVersion: v1, kind: X, name: x, uid: "1", controller: false, blockOwnerDeletion: true}]
spec:
  replicas: 2
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 600
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: web}, annotations: {netdiagram.io/zone: cde}}
    spec:
      serviceAccountName: web
      securityContext: {runAsNonRoot: true}
      topologySpreadConstraints: []
      initContainers: [{name: init, image: busybox, restartPolicy: Always, ports: [{containerPort: 9000, name: sidecar}]}]
      containers:
      - name: web
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080, protocol: TCP, hostPort: 0}]
        resources: {limits: {cpu: 500m}}
        readinessProbe: {httpGet: {path: /, port: http}}
        env: [{name: A, valueFrom: {configMapKeyRef: {name: cm, key: a}}}]
      volumes: [{name: v, configMap: {name: cm}}]
status: {replicas: 2}
`);
    expect(diagnostics).toEqual([]);
  });

  it('finds nothing to object to in the examples that ship with netdiagram', () => {
    const root = join(import.meta.dirname, '../../examples');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => ({ name: f, text: readFileSync(join(root, f), 'utf8') }));
    expect(sources.length).toBeGreaterThan(3);
    const strict = parseManifests(sources).diagnostics.filter((d) => /^k8s\/(unknown-field|wrong-type|invalid-)/.test(d.code));
    expect(strict).toEqual([]);
  });

  it('with lenient, warns about an unknown field and keeps the object; a wrong type stays an error', () => {
    const text = policy('  podSelector: {}\n  ingress:\n  - from: [{podSelector: {}}]\n    newField: true\n');
    const lenient = parse(text, { lenient: true });
    expect(lenient.diagnostics.map((d) => [d.code, d.severity])).toEqual([['k8s/unknown-field', 'warning']]);
    expect(lenient.cluster.policies.map((p) => p.id)).toEqual(['shop/bad', 'shop/good']);
    expect(policyIds(text)).toEqual(['shop/good']);
    const wrong = parse(policy('  podSelector: {}\n  ingress:\n  - ports: [80]\n'), { lenient: true });
    expect(wrong.diagnostics.map((d) => [d.code, d.severity])).toEqual([['k8s/wrong-type', 'error']]);
  });

  it('with lenient, says that a selector without its misspelt field selects every pod, as the API server reads it', () => {
    // `matchLabel` under --validate=false: the field is dropped, the podSelector is empty, the policy isolates every pod
    const messages = (spec: string) => parse(policy(spec), { lenient: true }).diagnostics.filter((d) => d.code === 'k8s/unknown-field').map((d) => d.message);
    expect(messages('  podSelector:\n    matchLabel: {app: web}\n  ingress: []\n')).toEqual([
      'unknown field "spec.podSelector.matchLabel" (did you mean matchLabels?); ignored (--lenient): the selector is read without it, ' +
      "as the API server drops it, and this empty podSelector selects every pod of the policy's namespace",
    ]);
    expect(messages('  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabel: {team: a}}}]\n')).toEqual([
      expect.stringMatching(/ignored \(--lenient\): the selector is read without it, as the API server drops it, and this empty namespaceSelector selects every namespace$/),
    ]);
    expect(messages('  podSelector: {}\n  egress:\n  - to: [{namespaceSelector: {}, podSelector: {matchLabel: {app: db}}}]\n')).toEqual([
      expect.stringMatching(/this empty podSelector selects every pod of the namespaces its namespaceSelector selects$/),
    ]);
    expect(messages('  podSelector: {matchLabels: {app: db}, matchExpresions: [{key: tier, operator: Exists}]}\n')).toEqual([
      expect.stringMatching(/the selector is read without it, as the API server drops it, so it may select more than was meant$/),
    ]);
    // a field beside the selectors is only ignored: nothing is widened
    expect(messages('  podSelector: {}\n  ingress:\n  - from: [{podSelector: {}}]\n    newField: true\n')).toEqual([
      'unknown field "spec.ingress[0].newField"; ignored (--lenient)',
    ]);
  });
});

describe('values of the wrong type', () => {
  it.each([
    ['ports: [80]', '  podSelector: {}\n  ingress:\n  - ports: [80]\n', '7:13', 'write `- port: 80`'],
    ['ports: ["http"]', '  podSelector: {}\n  ingress:\n  - ports: ["http"]\n', '7:13', 'write `- port: "http"`'],
    ['ports: [[80]]', '  podSelector: {}\n  ingress:\n  - ports: [[80]]\n', '7:13', 'not a list'],
    ['port: true', '  podSelector: {}\n  ingress:\n  - ports: [{port: true}]\n', '7:20', 'must be a number or a name'],
    ['endPort: "90"', '  podSelector: {}\n  ingress:\n  - ports: [{port: 80, endPort: "90"}]\n', '7:33', 'must be an integer'],
    ['policyTypes: Ingress', '  podSelector: {}\n  policyTypes: Ingress\n', '6:16', 'must be a list'],
    ['matchLabels: {tier: 1}', '  podSelector: {matchLabels: {tier: 1}}\n', '5:37', 'quote it: "1"'],
  ])('rejects %s, which today opens every TCP port or changes the selector silently', (_name, spec, where, hint) => {
    const { diagnostics, cluster } = parse(policy(spec));
    const d = diagnostics.find((x) => x.code === 'k8s/wrong-type');
    expect(d?.message).toContain(hint);
    expect(at(d)).toBe(where);
    expect(cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
  });

  it('rejects `spec: [a]`, once read as a deny-all policy', () => {
    const { diagnostics, cluster } = parse(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad}\nspec: [a]\n---\n${GOOD_POLICY}`);
    expect(diagnostics.map((d) => [d.code, at(d)])).toEqual([['k8s/wrong-type', '4:7']]);
    expect(diagnostics[0]!.message).toContain('spec must be a map (NetworkPolicySpec), not a list');
    expect(cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
  });

  it('rejects labels written as a list, which were dropped, and a number or boolean label value', () => {
    const list = parse('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: [app, web]\n    spec: {containers: [{name: c}]}\n');
    expect(list.diagnostics.map((d) => [d.code, at(d)])).toEqual([['k8s/wrong-type', '7:15']]);
    expect(list.cluster.workloads).toEqual([]);
    const number = parse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {version: 2, canary: true}\nspec: {containers: [{name: c}]}\n');
    expect(number.diagnostics.map((d) => d.message.split(';')[0])).toEqual([
      'metadata.labels.version must be a string, not the number 2 (quote it: "2")',
      'metadata.labels.canary must be a string, not the boolean true (quote it: "true")',
    ]);
  });

  it('quotes a number label value as it is written, never as its parsed value, which is another string', () => {
    // `version: 1.10` parses as 1.1 and `rel: 010` (YAML 1.1 octal, as kubectl reads it) as 8: "1.1" and "8" are other labels
    const hints = (text: string) => parse(text).diagnostics.filter((d) => d.code === 'k8s/wrong-type').map((d) => /\(([^)]*)\)/.exec(d.message)?.[1]);
    const block = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    version: 1.10   # the release\n    rel: 010\n    build: 0x1F\n    canary: yes\nspec: {containers: [{name: c}]}\n';
    expect(hints(block)).toEqual(['quote it: "1.10"', 'quote it: "010"', 'quote it: "0x1F"', 'quote it: "yes"']);
    const flow = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {version: 1.10, rel: 010}}\nspec: {containers: [{name: c}]}\n';
    expect(hints(flow)).toEqual(['quote it: "1.10"', 'quote it: "010"']);
  });

  it('gives the quote hint without a value where the value is written elsewhere, as an alias', () => {
    const alias = parse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {release: &v 1.10}\n  labels:\n    version: *v\nspec: {containers: [{name: c}]}\n');
    const d = alias.diagnostics.filter((x) => x.code === 'k8s/wrong-type').find((x) => x.message.includes('labels'));
    expect(d?.message).toContain('(quote it in the manifest, as it is written)');
  });

  it('rejects `namespace: 42` instead of putting the object in the default namespace', () => {
    const { diagnostics, cluster } = parse('apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: 42}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n');
    expect(diagnostics.map((d) => [d.code, at(d)])).toEqual([['k8s/wrong-type', '3:34']]);
    expect(cluster.services).toEqual([]);
  });

  it('reads `podSelector: null` as the empty selector, as the API server decodes it', () => {
    // Go's JSON decoding leaves a null struct at its zero value: an empty LabelSelector selects every pod
    const { diagnostics, cluster } = parse(policy('  podSelector: null\n  policyTypes: [Ingress]\n'));
    expect(diagnostics).toEqual([]);
    expect(cluster.policies.find((p) => p.id === 'shop/bad')?.podSelector).toEqual({ requirements: [] });
  });

  it('rejects hostNetwork: "true" and a quoted containerPort', () => {
    const { diagnostics } = parse('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: "true"\n  containers: [{name: c, ports: [{containerPort: "80"}]}]\n');
    expect(codes(diagnostics)).toEqual(['k8s/wrong-type', 'k8s/wrong-type']);
  });
});

describe('values the API server refuses', () => {
  it('rejects names with "/" or capitals, so `a` + `b/c` and `a/b` + `c` can no longer merge into one workload', () => {
    const pod = (ns: string, name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: "${name}", namespace: "${ns}"}\nspec: {containers: [{name: c}]}\n`;
    const { diagnostics, cluster } = parse([pod('a', 'b/c'), pod('a/b', 'c'), pod('shop', 'Web'), pod('shop', 'web')].join('---\n'));
    expect(diagnostics.map((d) => [d.code, at(d)])).toEqual([
      ['k8s/invalid-name', '3:18'], ['k8s/invalid-name', '8:34'], ['k8s/invalid-name', '13:18'],
    ]);
    expect(diagnostics[0]!.message).toContain('Pod name "b/c" must be a DNS-1123 subdomain');
    expect(diagnostics[1]!.message).toContain('namespace "a/b" must be a DNS-1123 label');
    expect(cluster.workloads.map((w) => w.id)).toEqual(['shop/web[Pod]']);
  });

  it('wants a DNS-1123 label for Namespaces and Services, where other kinds take a subdomain', () => {
    expect(codes(parse('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop.eu}\n').diagnostics)).toEqual(['k8s/invalid-name']);
    expect(codes(parse('apiVersion: v1\nkind: Service\nmetadata: {name: web.eu}\nspec: {selector: {a: b}, ports: [{port: 80}]}\n').diagnostics)).toEqual(['k8s/invalid-name']);
    expect(codes(parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web.eu}\n').diagnostics)).toEqual([]);
  });

  it('rejects a zone annotation netdiagram does not know, naming the values it accepts', () => {
    // `CDE` in capitals silently left the workload out of the CDE; the cluster accepts any
    // annotation value, so the Namespace stays (its workloads run) and only its zone is not read
    const { diagnostics, cluster } = parse('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pay\n  annotations: {netdiagram.io/zone: CDE}\n');
    expect(diagnostics.map((d) => [d.code, at(d)])).toEqual([['k8s/invalid-annotation', '5:37']]);
    expect(diagnostics[0]!.message).toContain('use "cde" or "out-of-scope"');
    expect(cluster.namespaces).toEqual([expect.objectContaining({ name: 'pay', declared: true })]);
  });

  it('validates matchExpressions keys and values as it validates matchLabels', () => {
    const expr = (e: string) => policyIds(policy(`  podSelector: {matchExpressions: [${e}]}\n`));
    const bad = parse(policy('  podSelector: {matchExpressions: [{key: "bad key", operator: Exists}]}\n'));
    expect(bad.diagnostics.map((d) => [d.code, at(d)])).toEqual([['k8s/invalid-label', '5:42']]);
    expect(bad.cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
    expect(expr(`{key: app, operator: In, values: ["${'x'.repeat(64)}"]}`)).toEqual(['shop/good']);
    expect(expr('{key: app, operator: In, values: ["a b"]}')).toEqual(['shop/good']);
    expect(expr('{key: app, operator: In}')).toEqual(['shop/good']);
    expect(expr('{key: app, operator: Exists, values: [a]}')).toEqual(['shop/good']);
    expect(expr('{key: app, operator: in, values: [a]}')).toEqual(['shop/good']);
    expect(expr(`{key: example.com/app, operator: NotIn, values: ["${'x'.repeat(63)}", ""]}`)).toEqual(['shop/bad', 'shop/good']);
  });

  it('reads CIDRs as Go\'s net.ParseCIDR: no zone, no leading zero, and IPv4-embedded IPv6 as Go reads it', () => {
    const block = (cidr: string) => parse(policy(`  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: "${cidr}"}}]\n`));
    const zone = block('fe80::1%eth0/64');
    expect(zone.diagnostics.map((d) => [d.code, at(d)])).toEqual([['netpol/invalid-cidr', '7:27']]);
    expect(zone.diagnostics[0]!.message).toContain('zone');
    expect(zone.cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
    expect(codes(block('010.0.0.0/8').diagnostics)).toEqual(['netpol/invalid-cidr']);
    // ::10.0.0.0 is ::a00:0; its /100 network is ::/100 (the old reader made it ::ffff:0:0/100)
    const embedded = block('::10.0.0.0/100');
    expect(embedded.diagnostics.map((d) => d.message)).toEqual(['"::10.0.0.0/100" has host bits set; it is read as ::/100']);
    expect(embedded.cluster.policies.find((p) => p.id === 'shop/bad')?.egress[0]?.peers).toMatchObject([{ kind: 'ipblock', cidr: '::/100' }]);
  });

  it('validates port names and numbers of containers and Services as the API server does', () => {
    const pod = (port: string) => codes(parse(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, ports: [${port}]}]}\n`).diagnostics);
    expect(pod('{containerPort: 80, name: Http}')).toEqual(['k8s/invalid-port']);
    expect(pod('{containerPort: 80, name: web--api}')).toEqual(['k8s/invalid-port']);
    expect(pod('{containerPort: 80, name: metrics-endpoint}')).toEqual(['k8s/invalid-port']);
    expect(pod('{containerPort: 70000}')).toEqual(['k8s/invalid-port']);
    expect(pod('{containerPort: 80, protocol: tcp}')).toEqual(['k8s/invalid-port']);
    expect(pod('{containerPort: 80, name: http-alt}')).toEqual([]);
    const svc = (ports: string, type = 'ClusterIP') => codes(parse(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: ${type}, selector: {a: b}, ports: ${ports}}\n`).diagnostics);
    expect(svc('[{port: 80, targetPort: "8080"}]')).toEqual(['k8s/invalid-port']);
    // unnamed ports of a multi-port Service: refused by the API server, but they change no flow, so a warning
    const unnamed = parse('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {a: b}, ports: [{port: 80}, {port: 443}]}\n');
    expect(unnamed.diagnostics.map((d) => [d.code, d.severity])).toEqual([['k8s/invalid-port', 'warning'], ['k8s/invalid-port', 'warning']]);
    expect(unnamed.cluster.services).toHaveLength(1);
    expect(svc('[{port: 80, name: a}, {port: 443, name: a}]')).toEqual(['k8s/invalid-port']);
    expect(svc('[{port: 80, name: HTTP}]')).toEqual(['k8s/invalid-port']);
    expect(svc('[{port: 80, name: http}, {port: 443, name: https, targetPort: https}]')).toEqual([]);
    expect(svc('[{port: 80}]', 'Nodeport')).toEqual(['k8s/invalid-field']);
    expect(codes(parse('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: "pay ment"}, ports: [{port: 80}]}\n').diagnostics)).toEqual(['k8s/invalid-label']);
  });
});

describe('invalid matchExpressions never become a policy', () => {
  const invalidKey = fc.oneof(
    fc.string({ minLength: 1, maxLength: 8 }).map((s) => `${s} x`), // a space
    fc.string({ minLength: 64, maxLength: 70, unit: fc.constantFrom('a', 'b', '1') }), // too long
    fc.constantFrom('-app', 'app-', 'a/b/c', '/app', 'Example.com/app', 'app!'),
  );
  const invalidValue = fc.oneof(
    fc.string({ minLength: 64, maxLength: 70, unit: fc.constantFrom('a', 'z', '9') }),
    fc.constantFrom('-x', 'x-', 'a b', 'x/y', 'ä'),
  );
  const json = (v: unknown) => JSON.stringify(v);

  it('reports an error and keeps no policy for an invalid key, whatever the operator', () => {
    fc.assert(fc.property(invalidKey, fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), (key, operator) => {
      const values = operator === 'In' || operator === 'NotIn' ? ['a'] : [];
      const { diagnostics, cluster } = parse(policy(`  podSelector: {matchExpressions: [{key: ${json(key)}, operator: ${operator}, values: ${json(values)}}]}\n`));
      expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
    }));
  });

  it('reports an error and keeps no policy for an invalid value, in a podSelector or a peer\'s namespaceSelector', () => {
    fc.assert(fc.property(invalidValue, fc.boolean(), (value, inPeer) => {
      const selector = `{matchExpressions: [{key: app, operator: In, values: [${json(value)}]}]}`;
      const spec = inPeer ? `  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: ${selector}}]\n` : `  podSelector: ${selector}\n`;
      const { diagnostics, cluster } = parse(policy(spec));
      expect(codes(diagnostics)).toContain('selector/invalid-values');
      expect(cluster.policies.map((p) => p.id)).toEqual(['shop/good']);
    }));
  });
});

describe('the zone annotation', () => {
  it('keeps an object whose zone does not read, places it in no zone, and names it at the value', () => {
    const text = [
      'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: pay', '  annotations:', '    netdiagram.io/zone: CDE',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: vault', '  namespace: pay', '  labels: {app: vault}',
      '  annotations:', '    netdiagram.io/zone: cdee', 'spec: {containers: [{name: c, image: x}]}',
    ].join('\n');
    const parsed = parse(text);
    expect(parsed.diagnostics.map((d) => [d.code, at(d), d.severity])).toEqual([
      ['k8s/invalid-annotation', '6:25', 'error'], ['k8s/invalid-annotation', '15:25', 'error'],
    ]);
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('Namespace pay kept (its traffic is drawn), its zone not read'),
      expect.stringContaining('Pod pay/vault kept (its traffic is drawn), its zone not read'),
    ]);
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['pay/vault[Pod]']);
    expect(parsed.cluster.namespaces.find((n) => n.name === 'pay')?.declared).toBe(true);
  });
});

describe('the zone annotation on a controller', () => {
  it('is an error that keeps the workload: the zone is read from the pod template, never silently ignored', () => {
    const text = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: vault', '  namespace: pay', '  annotations:', '    netdiagram.io/zone: cde',
      'spec:', '  selector: {matchLabels: {app: vault}}', '  template:', '    metadata: {labels: {app: vault}}', '    spec: {containers: [{name: c, image: x}]}',
    ].join('\n');
    const parsed = parse(text);
    expect(parsed.diagnostics.map((d) => [d.code, at(d), d.severity])).toEqual([['k8s/invalid-annotation', '7:25', 'error']]);
    expect(parsed.diagnostics[0]!.message).toContain("netdiagram.io/zone on the Deployment's own metadata is not read: a zone is read from the pod template (spec.template.metadata.annotations)");
    expect(parsed.diagnostics[0]!.message).toContain('Deployment pay/vault kept (its traffic is drawn), its zone not read');
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['pay/vault[Deployment]']);
    // on the template it is read, and nothing is reported
    expect(parse(text.replace('  annotations:\n    netdiagram.io/zone: cde\n', '').replace('metadata: {labels: {app: vault}}', 'metadata: {labels: {app: vault}, annotations: {netdiagram.io/zone: cde}}')).diagnostics).toEqual([]);
  });
});
