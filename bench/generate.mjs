#!/usr/bin/env node
/**
 * A seeded synthetic cluster generator for the benchmark (and for tests that want a realistic
 * cluster): namespaces of small applications (a web front end, services, data stores, workers) that
 * call each other, written as ordinary block YAML, several files per namespace, with the
 * NetworkPolicies a careful platform team writes: default-deny per namespace, DNS egress to
 * kube-system, Prometheus scrapes from the monitoring namespace, app-to-app allows (matchLabels and
 * matchExpressions, named ports), cross-namespace allows by namespaceSelector, internet egress and
 * partner ingress by ipBlock with except, the ingress controller to the web tier.
 *
 * Same size and seed ⇒ the same bytes.
 *
 *   import { generateCluster } from './bench/generate.mjs';
 *   generateCluster({ size: 'S', seed: 1 })  // → [{ name: 'payments/deployments.yaml', text }]
 *
 *   node bench/generate.mjs --size L [--seed 1] --out bench/out/L
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { toYamlStream } from './yaml-emit.mjs';

/**
 * The benchmark sizes. `workloads` counts Deployments (the three system ones included); `policies`
 * counts NetworkPolicies; `podsPerWorkload` > 0 also writes a ReplicaSet per Deployment and that many
 * Pods per ReplicaSet, linked by ownerReferences as a `kubectl get -A -o yaml` dump has them.
 */
export const SIZES = Object.freeze({
  S: Object.freeze({ namespaces: 20, workloads: 100, policies: 50, podsPerWorkload: 0 }),
  M: Object.freeze({ namespaces: 50, workloads: 500, policies: 300, podsPerWorkload: 0 }),
  L: Object.freeze({ namespaces: 100, workloads: 2000, policies: 1000, podsPerWorkload: 5 }),
  XL: Object.freeze({ namespaces: 500, workloads: 10000, policies: 5000, podsPerWorkload: 0 }),
  // L's shape with the policies of a busy platform (see densePolicies): about 50,000 allowed connections
  dense: Object.freeze({ namespaces: 100, workloads: 2000, policies: 1000, podsPerWorkload: 5, dense: true }),
  // S with its policies written in the CNI's own kinds (see cniPolicy), read with --cni
  'S-calico': Object.freeze({ namespaces: 20, workloads: 100, policies: 50, podsPerWorkload: 0, cni: 'calico' }),
  'S-cilium': Object.freeze({ namespaces: 20, workloads: 100, policies: 50, podsPerWorkload: 0, cni: 'cilium' }),
});

// ---- deterministic randomness

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: (list) => list[int(list.length)],
    /** Characters from the alphabet Kubernetes uses for generated name suffixes. */
    suffix: (length) => {
      const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[int(alphabet.length)];
      return s;
    },
    uid: () => {
      const hex = (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)]; return s; };
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;
    },
  };
}

// ---- vocabulary

const DOMAINS = [
  'payments', 'checkout', 'catalog', 'search', 'identity', 'orders', 'shipping', 'inventory', 'billing',
  'notifications', 'analytics', 'reporting', 'fraud', 'ledger', 'customers', 'loyalty', 'pricing', 'reviews',
  'media', 'partners', 'support', 'marketing', 'warehouse', 'returns', 'subscriptions', 'tax', 'accounts',
  'cards', 'settlement', 'onboarding', 'risk', 'compliance', 'content', 'recommendations', 'messaging',
];
const ENVS = ['prod', 'prod', 'prod', 'staging', 'dev'];
const TEAMS = ['atlas', 'borealis', 'cobalt', 'delta', 'ember', 'falcon', 'granite', 'harbor', 'iris', 'juniper', 'kestrel', 'lumen'];
const SERVICES = [
  'accounts', 'cart', 'catalog', 'checkout', 'inventory', 'ledger', 'notifier', 'orders', 'payments', 'pricing',
  'profile', 'ratings', 'search', 'session', 'shipping', 'tokenizer', 'fx-rates', 'audit', 'reports', 'exports',
  'images', 'mailer', 'webhooks', 'scheduler', 'recommender', 'auth', 'billing', 'coupons', 'loyalty', 'fraud-check',
];
/** Services that call out to the internet (payment processors, mail relays, rate feeds). */
const CALLS_OUT = new Set(['payments', 'mailer', 'webhooks', 'fx-rates', 'tokenizer', 'notifier', 'fraud-check']);
/** Services partners call from fixed address ranges. */
const CALLED_IN = new Set(['webhooks', 'payments', 'exports', 'reports']);
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const NAME = 'app.kubernetes.io/name';
const INSTANCE = 'app.kubernetes.io/instance';
const PART_OF = 'app.kubernetes.io/part-of';
const COMPONENT = 'app.kubernetes.io/component';
const NS_NAME = 'kubernetes.io/metadata.name';

/** Container ports and image of each role; the first port is the one callers use. */
const ROLES = {
  web: { tier: 'frontend', image: 'nginxinc/nginx-unprivileged:1.27', ports: [['http', 8080], ['metrics', 9113]] },
  api: { tier: 'backend', image: 'gateway', ports: [['http', 8080], ['grpc', 9000], ['metrics', 9090]] },
  service: { tier: 'backend', image: 'service', ports: [['http', 8080], ['metrics', 9090]] },
  grpc: { tier: 'backend', image: 'service', ports: [['grpc', 9000], ['metrics', 9090]] },
  worker: { tier: 'backend', image: 'worker', ports: [['metrics', 9090]] },
  redis: { tier: 'data', image: 'redis:7.2-alpine', ports: [['redis', 6379], ['metrics', 9121]] },
  postgres: { tier: 'data', image: 'postgres:16.3', ports: [['postgres', 5432], ['metrics', 9187]] },
  rabbitmq: { tier: 'data', image: 'rabbitmq:3.13-management', ports: [['amqp', 5672], ['metrics', 15692]] },
};

// ---- the cluster as plain data, before it becomes manifests

/**
 * Generates a cluster and returns its manifests as `{ name, text }` sources (names are relative
 * paths such as `payments/deployments.yaml`), sorted by name.
 * `size` is a key of SIZES or an object of the same shape.
 */
export function generateCluster({ size = 'S', seed = 1 } = {}) {
  const spec = typeof size === 'string' ? SIZES[size] : { podsPerWorkload: 0, ...size };
  if (!spec) throw new TypeError(`unknown size "${size}" (expected ${Object.keys(SIZES).join(', ')} or an object)`);
  const random = createRandom(seed);
  const model = buildModel(spec, random);
  return writeManifests(model, spec, random);
}

function buildModel(spec, random) {
  const appNamespaceCount = Math.max(1, spec.namespaces - 3);
  const namespaces = [
    { name: 'kube-system', system: true, labels: { [NS_NAME]: 'kube-system' }, workloads: [], policies: [] },
    { name: 'monitoring', system: true, labels: { [NS_NAME]: 'monitoring', purpose: 'monitoring' }, workloads: [], policies: [] },
    { name: 'ingress-nginx', system: true, labels: { [NS_NAME]: 'ingress-nginx', [NAME]: 'ingress-nginx' }, workloads: [], policies: [] },
  ];
  const [kubeSystem, monitoring, ingressNginx] = namespaces;
  kubeSystem.workloads.push(systemWorkload('coredns', { 'k8s-app': 'kube-dns' }, 'registry.k8s.io/coredns/coredns:v1.11.1',
    [['dns', 53, 'UDP'], ['dns-tcp', 53, 'TCP'], ['metrics', 9153, 'TCP']]));
  monitoring.workloads.push(systemWorkload('prometheus', { [NAME]: 'prometheus', [INSTANCE]: 'kube-prometheus' }, 'quay.io/prometheus/prometheus:v2.53.0',
    [['web', 9090, 'TCP']]));
  ingressNginx.workloads.push(systemWorkload('ingress-nginx-controller', { [NAME]: 'ingress-nginx', [COMPONENT]: 'controller' },
    'registry.k8s.io/ingress-nginx/controller:v1.11.1', [['http', 80, 'TCP'], ['https', 443, 'TCP'], ['metrics', 10254, 'TCP']]));

  // app namespaces: <domain>[-<round>]-<env>, workloads spread evenly
  const appWorkloads = Math.max(0, spec.workloads - 3);
  const apps = [];
  for (let i = 0; i < appNamespaceCount; i++) {
    const domain = DOMAINS[i % DOMAINS.length];
    const round = Math.floor(i / DOMAINS.length);
    const env = random.pick(ENVS);
    const name = `${domain}${round > 0 ? `-${round + 1}` : ''}-${env}`;
    const team = TEAMS[i % TEAMS.length];
    const pci = ['payments', 'cards', 'checkout', 'ledger', 'settlement', 'tokenizer'].includes(domain) || random.chance(0.1);
    const labels = { [NS_NAME]: name, team, env, 'pci-scope': pci ? 'in-scope' : 'out-of-scope' };
    const count = Math.floor(appWorkloads / appNamespaceCount) + (i < appWorkloads % appNamespaceCount ? 1 : 0);
    const ns = { name, index: i, domain, env, team, pci, system: false, labels, workloads: [], policies: [] };
    ns.workloads = appComponents(ns, count, random);
    apps.push(ns);
  }
  namespaces.push(...apps);

  // cross-namespace calls: a service calls the first service of an earlier namespace of the same team
  for (const ns of apps) {
    if (ns.index === 0 || !random.chance(0.5)) continue;
    const caller = ns.workloads.find((w) => w.role === 'service' || w.role === 'grpc' || w.role === 'api');
    const peers = apps.filter((other) => other.index < ns.index && other.workloads.some((w) => w.role === 'service' || w.role === 'grpc'));
    if (!caller || peers.length === 0) continue;
    const target = random.pick(peers);
    const callee = target.workloads.find((w) => w.role === 'service' || w.role === 'grpc');
    caller.remoteCalls.push({ namespace: target, workload: callee });
    callee.remoteCallers.push({ namespace: ns, workload: caller });
  }

  const systemPolicies = systemNamespacePolicies(kubeSystem, monitoring, ingressNginx, spec.policies);
  const appBudget = Math.max(0, spec.policies - systemPolicies);
  const candidates = apps.map((ns) => [...(spec.dense ? densePolicies(ns) : []), ...appPolicies(ns, random)]);
  // spread the budget evenly; a namespace with fewer candidates hands the rest to the next ones
  let carry = 0;
  apps.forEach((ns, i) => {
    const want = Math.floor(appBudget / apps.length) + (i < appBudget % apps.length ? 1 : 0) + carry;
    ns.policies = candidates[i].slice(0, want);
    carry = want - ns.policies.length;
  });
  for (let i = 0; carry > 0 && i < apps.length; i++) {
    const extra = candidates[i].slice(apps[i].policies.length, apps[i].policies.length + carry);
    apps[i].policies.push(...extra);
    carry -= extra.length;
  }
  return { namespaces };
}

function systemWorkload(name, labels, image, ports) {
  return {
    name, role: 'system', labels, image, tier: 'system',
    ports: ports.map(([portName, port, protocol]) => ({ name: portName, port, protocol })),
    calls: [], callers: [], remoteCalls: [], remoteCallers: [],
  };
}

/** The components of one application namespace and who calls whom (a DAG: callers come first). */
function appComponents(ns, count, random) {
  const roles = [];
  if (count > 0) roles.push(random.chance(0.75) ? 'web' : 'api');
  for (let i = 1; i < count; i++) {
    const r = random.next();
    roles.push(r < 0.1 ? 'redis' : r < 0.18 ? 'postgres' : r < 0.22 ? 'rabbitmq' : r < 0.36 ? 'worker' : r < 0.5 ? 'grpc' : 'service');
  }
  // data stores and workers last, so callers precede callees
  const order = { web: 0, api: 1, service: 2, grpc: 2, worker: 3, rabbitmq: 4, redis: 4, postgres: 4 };
  roles.sort((a, b) => order[a] - order[b]);
  const used = new Map();
  const unique = (base) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
  const workloads = roles.map((role) => {
    let base;
    switch (role) {
      case 'web': base = `${ns.domain}-web`; break;
      case 'api': base = `${ns.domain}-api`; break;
      case 'service': case 'grpc': base = random.pick(SERVICES); break;
      case 'worker': base = `${random.pick(SERVICES)}-worker`; break;
      default: base = `${ns.domain}-${role}`;
    }
    const name = unique(base);
    const def = ROLES[role];
    const version = `v${random.between(1, 4)}.${random.between(0, 20)}.${random.between(0, 9)}`;
    return {
      name, role, tier: def.tier,
      image: def.image.includes(':') ? def.image : `registry.example.com/${ns.domain}/${name}:${version}`,
      version,
      labels: { [NAME]: name, [INSTANCE]: `${ns.name}-${name}`, [PART_OF]: ns.domain, [COMPONENT]: role, tier: def.tier },
      ports: def.ports.map(([portName, port]) => ({ name: portName, port, protocol: 'TCP' })),
      calls: [], callers: [], remoteCalls: [], remoteCallers: [],
      callsOut: (role === 'service' || role === 'grpc' || role === 'worker') && CALLS_OUT.has(name.replace(/-(worker|\d+)$/, '')),
      calledIn: (role === 'service' || role === 'web') && (CALLED_IN.has(name.replace(/-\d+$/, '')) || (role === 'web' && random.chance(0.1))),
    };
  });
  // each caller calls 1-3 later components; each data store and worker ends up with a caller or a feeder
  const serving = (w) => w.role !== 'worker';
  workloads.forEach((w, i) => {
    if (w.tier === 'data') return;
    const later = workloads.slice(i + 1).filter(serving);
    if (later.length === 0) return;
    const n = Math.min(later.length, random.between(1, 3));
    for (let k = 0; k < n; k++) {
      const callee = later[Math.min(later.length - 1, k === 0 ? 0 : random.int(later.length))];
      if (!w.calls.includes(callee)) {
        w.calls.push(callee);
        callee.callers.push(w);
      }
    }
  });
  for (const w of workloads) {
    if (w.tier !== 'data' || w.callers.length > 0) continue;
    const feeder = workloads.find((c) => c.tier === 'backend');
    if (feeder) {
      feeder.calls.push(w);
      w.callers.push(feeder);
    }
  }
  return workloads;
}

// ---- NetworkPolicies

function matchLabels(labels) {
  return { matchLabels: labels };
}

function portsOf(workload, { withMetrics = false } = {}) {
  return workload.ports.filter((p) => withMetrics || p.name !== 'metrics');
}

/** A rule's ports: named ports mostly, numbers sometimes (as real policies mix them). */
function rulePorts(workload, random) {
  return portsOf(workload).map((p) => (random.chance(0.7) ? { protocol: 'TCP', port: p.name } : { protocol: 'TCP', port: p.port }));
}

function policy(namespace, name, podSelector, policyTypes, rules, labels = {}) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { [PART_OF]: 'network-policies', ...labels } },
    spec: { podSelector, policyTypes, ...rules },
  };
}

// ---- the same policies in a CNI's own kinds

/** A LabelSelector as a Calico selector expression (`a == 'x' && b in {'y', 'z'}`); `all()` when empty. */
function calicoSelector(selector) {
  const terms = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k} == '${v}'`),
    ...(selector?.matchExpressions ?? []).map((e) => {
      const values = (e.values ?? []).map((v) => `'${v}'`).join(', ');
      switch (e.operator) {
        case 'In': return `${e.key} in {${values}}`;
        case 'NotIn': return `${e.key} not in {${values}}`;
        case 'Exists': return `has(${e.key})`;
        default: return `!has(${e.key})`;
      }
    }),
  ];
  return terms.length === 0 ? 'all()' : terms.join(' && ');
}

/** A NetworkPolicy port list split by protocol, as Calico rules need one protocol each. */
function byProtocol(ports) {
  if (!ports || ports.length === 0) return [undefined];
  const groups = new Map();
  for (const p of ports) groups.set(p.protocol ?? 'TCP', [...(groups.get(p.protocol ?? 'TCP') ?? []), p.port]);
  return [...groups].map(([protocol, list]) => ({ protocol, ports: list }));
}

/** A Cilium endpoint selector for a NetworkPolicy peer: namespace labels as `io.cilium.k8s.namespace.labels.*` keys, `{}` namespaces as every namespace. */
function ciliumPeer(peer) {
  const labels = { ...(peer.podSelector?.matchLabels ?? {}) };
  const expressions = [...(peer.podSelector?.matchExpressions ?? [])];
  if (peer.namespaceSelector) {
    for (const [k, v] of Object.entries(peer.namespaceSelector.matchLabels ?? {})) labels[`io.cilium.k8s.namespace.labels.${k}`] = v;
    for (const e of peer.namespaceSelector.matchExpressions ?? []) expressions.push({ ...e, key: `io.cilium.k8s.namespace.labels.${e.key}` });
    if (Object.keys(peer.namespaceSelector.matchLabels ?? {}).length === 0 && (peer.namespaceSelector.matchExpressions ?? []).length === 0) {
      expressions.push({ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' });
    }
  }
  return { ...(Object.keys(labels).length > 0 ? { matchLabels: labels } : {}), ...(expressions.length > 0 ? { matchExpressions: expressions } : {}) };
}

/**
 * A generated NetworkPolicy written as the CNI's own kind with the same meaning: a Calico
 * NetworkPolicy (projectcalico.org/v3, one Allow rule per peer and protocol, in tier default whose
 * default action denies what the policy does not allow) or a CiliumNetworkPolicy (fromEndpoints /
 * toEndpoints, CIDR sets, toPorts; a direction with no rule is `[{}]`, which isolates it).
 */
export function cniPolicy(np, cni) {
  const { podSelector, policyTypes, ingress = [], egress = [] } = np.spec;
  const metadata = { name: np.metadata.name, namespace: np.metadata.namespace, labels: np.metadata.labels };
  if (cni === 'calico') {
    const rules = (list, direction) => list.flatMap((rule) => {
      const peers = direction === 'ingress' ? rule.from : rule.to;
      return (peers ?? [undefined]).flatMap((peer) => byProtocol(rule.ports).map((ports) => {
        const other = peer === undefined ? {}
          : peer.ipBlock ? { nets: [peer.ipBlock.cidr], ...(peer.ipBlock.except ? { notNets: peer.ipBlock.except } : {}) }
          : { ...(peer.namespaceSelector ? { namespaceSelector: calicoSelector(peer.namespaceSelector) } : {}), ...(peer.podSelector ? { selector: calicoSelector(peer.podSelector) } : {}) };
        const destinationPorts = ports ? { ports: ports.ports } : {};
        return {
          action: 'Allow', ...(ports ? { protocol: ports.protocol } : {}),
          ...(direction === 'ingress' ? { source: other, destination: destinationPorts } : { destination: { ...other, ...destinationPorts } }),
        };
      }));
    });
    return {
      apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata,
      spec: { selector: calicoSelector(podSelector), types: policyTypes, ...(policyTypes.includes('Ingress') ? { ingress: rules(ingress, 'ingress') } : {}), ...(policyTypes.includes('Egress') ? { egress: rules(egress, 'egress') } : {}) },
    };
  }
  const rules = (list, direction) => {
    const from = direction === 'ingress' ? 'from' : 'to';
    const out = list.map((rule) => {
      const peers = (direction === 'ingress' ? rule.from : rule.to) ?? [];
      const endpoints = peers.filter((p) => !p.ipBlock).map(ciliumPeer);
      const cidrs = peers.filter((p) => p.ipBlock).map((p) => ({ cidr: p.ipBlock.cidr, ...(p.ipBlock.except ? { except: p.ipBlock.except } : {}) }));
      return {
        ...(peers.length === 0 ? { [`${from}Entities`]: ['all'] } : {}),
        ...(endpoints.length > 0 ? { [`${from}Endpoints`]: endpoints } : {}),
        ...(cidrs.length > 0 ? { [`${from}CIDRSet`]: cidrs } : {}),
        ...(rule.ports ? { toPorts: [{ ports: rule.ports.map((q) => ({ port: String(q.port), protocol: q.protocol ?? 'TCP' })) }] } : {}),
      };
    });
    return out.length > 0 ? out : [{}];
  };
  return {
    apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata,
    spec: { endpointSelector: podSelector, ...(policyTypes.includes('Ingress') ? { ingress: rules(ingress, 'ingress') } : {}), ...(policyTypes.includes('Egress') ? { egress: rules(egress, 'egress') } : {}) },
  };
}

/** The system namespaces' policies, at most `budget` of them; returns how many. */
function systemNamespacePolicies(kubeSystem, monitoring, ingressNginx, budget) {
  kubeSystem.policies.push(policy('kube-system', 'allow-dns', matchLabels({ 'k8s-app': 'kube-dns' }), ['Ingress'], {
    ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
  }));
  monitoring.policies.push(policy('monitoring', 'prometheus-scrape-egress', matchLabels({ [NAME]: 'prometheus' }), ['Egress'], {
    egress: [{ to: [{ namespaceSelector: {} }] }],
  }));
  ingressNginx.policies.push(policy('ingress-nginx', 'allow-web-traffic', matchLabels({ [NAME]: 'ingress-nginx' }), ['Ingress', 'Egress'], {
    ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 'https' }] }],
    egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'pci-scope', operator: 'Exists' }] } }] }],
  }));
  const all = [kubeSystem, monitoring, ingressNginx];
  for (const [i, ns] of all.entries()) if (i >= budget) ns.policies = [];
  return Math.min(all.length, budget);
}

/**
 * The dense size's policies for one application namespace, kept ahead of the others (the budget
 * counts them too): namespaces admit their neighbours by label (the API gateways, gRPC services, web
 * front ends and workers of namespaces with the same `team` and an `env In (…)` reach the backends),
 * the front ends call every API gateway in the cluster, Prometheus scrapes every namespace (its
 * egress is open already), and every third namespace allows everything inside itself.
 */
function densePolicies(ns) {
  const n = ns.name;
  const envs = [...new Set([ns.env, 'staging'])].sort();
  const neighbours = { matchLabels: { team: ns.team }, matchExpressions: [{ key: 'env', operator: 'In', values: envs }] };
  const callers = { matchExpressions: [{ key: COMPONENT, operator: 'In', values: ['api', 'grpc', 'web', 'worker'] }] };
  const out = [
    policy(n, 'allow-team-neighbours-ingress', matchLabels({ tier: 'backend' }), ['Ingress'], {
      ingress: [{ from: [{ namespaceSelector: neighbours, podSelector: callers }], ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 'grpc' }] }],
    }),
    policy(n, 'allow-team-neighbours-egress', callers, ['Egress'], {
      egress: [{ to: [{ namespaceSelector: neighbours, podSelector: matchLabels({ tier: 'backend' }) }], ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 'grpc' }] }],
    }),
    policy(n, 'allow-frontends-to-every-api', matchLabels({ tier: 'frontend' }), ['Egress'], {
      egress: [{ to: [{ namespaceSelector: {}, podSelector: matchLabels({ [COMPONENT]: 'api' }) }], ports: [{ protocol: 'TCP', port: 'http' }] }],
    }),
    policy(n, 'allow-every-frontend', matchLabels({ [COMPONENT]: 'api' }), ['Ingress'], {
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: matchLabels({ tier: 'frontend' }) }], ports: [{ protocol: 'TCP', port: 'http' }] }],
    }),
    policy(n, 'allow-prometheus-everywhere', {}, ['Ingress'], {
      ingress: [{ from: [{ namespaceSelector: matchLabels({ purpose: 'monitoring' }), podSelector: matchLabels({ [NAME]: 'prometheus' }) }] }],
    }),
  ];
  if (ns.index % 3 === 0) {
    out.push(policy(n, 'allow-same-namespace', {}, ['Ingress', 'Egress'], { ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }));
  }
  return out;
}

/** A namespace's NetworkPolicies in the order a team would write them (the budget keeps a prefix). */
function appPolicies(ns, random) {
  const n = ns.name;
  const first = [
    policy(n, 'default-deny-all', {}, ['Ingress', 'Egress'], {}),
    policy(n, 'allow-dns-egress', {}, ['Egress'], {
      egress: [{
        to: [{ namespaceSelector: matchLabels({ [NS_NAME]: 'kube-system' }), podSelector: matchLabels({ 'k8s-app': 'kube-dns' }) }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
  ];
  const sameNamespaceEgress = ns.index % 2 === 0;
  const callees = ns.workloads.filter((w) => w.callers.length > 0);
  const ingressAllows = callees.map((w) => {
    const callers = w.callers.map((c) => c.name).sort();
    const from = callers.length === 1 || random.chance(0.3)
      ? callers.map((c) => ({ podSelector: matchLabels({ [NAME]: c }) }))
      : [{ podSelector: { matchExpressions: [{ key: NAME, operator: 'In', values: callers }] } }];
    return policy(n, `allow-${w.name}-ingress`, matchLabels({ [NAME]: w.name }), ['Ingress'], { ingress: [{ from, ports: rulePorts(w, random) }] });
  });
  const egressAllows = sameNamespaceEgress ? [] : ns.workloads.filter((w) => w.calls.length > 0).map((w) =>
    policy(n, `allow-${w.name}-egress`, matchLabels({ [NAME]: w.name }), ['Egress'], {
      egress: w.calls.map((c) => ({ to: [{ podSelector: matchLabels({ [NAME]: c.name }) }], ports: rulePorts(c, random) })),
    }));

  const extras = [];
  if (sameNamespaceEgress) {
    extras.push(policy(n, 'allow-same-namespace-egress', {}, ['Egress'], { egress: [{ to: [{ podSelector: {} }] }] }));
  }
  const web = ns.workloads.find((w) => w.role === 'web' || w.role === 'api');
  if (web) {
    // a namespace behind an Ingress admits the controller right after DNS, or its site is down
    (web.role === 'web' ? first : extras).push(policy(n, 'allow-ingress-controller', matchLabels({ [NAME]: web.name }), ['Ingress'], {
      ingress: [{
        from: [{ namespaceSelector: matchLabels({ [NS_NAME]: 'ingress-nginx' }), podSelector: matchLabels({ [NAME]: 'ingress-nginx' }) }],
        ports: [{ protocol: 'TCP', port: 'http' }],
      }],
    }));
  }
  if (ns.workloads.length > 0) {
    extras.push(policy(n, 'allow-prometheus-scrape', { matchExpressions: [{ key: NAME, operator: 'Exists' }, { key: 'tier', operator: 'NotIn', values: ['system'] }] }, ['Ingress'], {
      ingress: [{
        from: [{ namespaceSelector: matchLabels({ purpose: 'monitoring' }), podSelector: matchLabels({ [NAME]: 'prometheus' }) }],
        ports: [{ protocol: 'TCP', port: 'metrics' }],
      }],
    }));
  }
  for (const w of ns.workloads.filter((x) => x.callsOut)) {
    extras.push(policy(n, `allow-${w.name}-internet-egress`, matchLabels({ [NAME]: w.name }), ['Egress'], {
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    }));
  }
  for (const w of ns.workloads.filter((x) => x.calledIn)) {
    // a partner's /24, less the /28 its shared office NAT uses
    const third = 1 + (ns.index * 7 + w.name.length) % 250;
    const net = random.pick(['198.51.100', '203.0.113', `100.64.${third}`]);
    extras.push(policy(n, `allow-partner-to-${w.name}`, matchLabels({ [NAME]: w.name }), ['Ingress'], {
      ingress: [{
        from: [{ ipBlock: { cidr: `${net}.0/24`, except: [`${net}.${16 * random.int(16)}/28`] } }],
        ports: [{ protocol: 'TCP', port: portsOf(w)[0].name }],
      }],
    }));
  }
  for (const { namespace, workload, callee } of ns.workloads.flatMap((w) => w.remoteCallers.map((r) => ({ ...r, callee: w })))) {
    const byTeam = random.chance(0.4);
    extras.push(policy(n, `allow-from-${namespace.name}`, matchLabels({ [NAME]: callee.name }), ['Ingress'], {
      ingress: [{
        from: [byTeam
          ? { namespaceSelector: { matchLabels: { team: namespace.team }, matchExpressions: [{ key: 'env', operator: 'In', values: [namespace.env, 'staging'].filter((e, i, a) => a.indexOf(e) === i).sort() }] }, podSelector: matchLabels({ [NAME]: workload.name }) }
          : { namespaceSelector: matchLabels({ [NS_NAME]: namespace.name }), podSelector: matchLabels({ [NAME]: workload.name }) }],
        ports: rulePorts(callee, random),
      }],
    }));
  }
  for (const w of ns.workloads) {
    for (const { namespace, workload } of w.remoteCalls) {
      extras.push(policy(n, `allow-${w.name}-to-${namespace.name}`, matchLabels({ [NAME]: w.name }), ['Egress'], {
        egress: [{
          to: [{ namespaceSelector: matchLabels({ [NS_NAME]: namespace.name }), podSelector: matchLabels({ [NAME]: workload.name }) }],
          ports: rulePorts(workload, random),
        }],
      }));
    }
  }

  // interleave so that a small budget still gets a mix; which list leads varies by namespace
  const lists = [ingressAllows, extras, egressAllows];
  const lead = ns.index % 3;
  const rotated = [...lists.slice(lead), ...lists.slice(0, lead)];
  const tail = [];
  for (let i = 0; rotated.some((l) => i < l.length); i++) for (const l of rotated) if (i < l.length) tail.push(l[i]);
  if (sameNamespaceEgress) {
    // the same-namespace egress allow comes straight after DNS: without it nothing inside talks
    const at = tail.findIndex((p) => p.metadata.name === 'allow-same-namespace-egress');
    tail.unshift(...tail.splice(at, 1));
  }
  return [...first, ...tail];
}

// ---- manifests

function containerOf(w, random, { withProbes }) {
  const serving = w.ports.find((p) => p.name !== 'metrics');
  const container = {
    name: w.role === 'system' ? w.name.replace(/-controller$/, '') : w.role === 'web' || w.role === 'api' ? 'app' : w.role === 'service' || w.role === 'grpc' || w.role === 'worker' ? 'app' : w.role,
    image: w.image,
    imagePullPolicy: 'IfNotPresent',
    ports: w.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
    env: [
      { name: 'LOG_LEVEL', value: random.pick(['info', 'info', 'warn', 'debug']) },
      ...(w.tier === 'backend' ? [{ name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: `${w.name}-db`, key: 'password' } } }] : []),
    ],
    resources: {
      requests: { cpu: `${random.pick([50, 100, 250, 500])}m`, memory: `${random.pick([64, 128, 256, 512])}Mi` },
      limits: { memory: `${random.pick([256, 512, 1024])}Mi` },
    },
  };
  if (withProbes && serving && serving.protocol === 'TCP') {
    container.readinessProbe = serving.name === 'http'
      ? { httpGet: { path: '/healthz', port: serving.name }, periodSeconds: 10 }
      : { tcpSocket: { port: serving.name }, periodSeconds: 10 };
  }
  return container;
}

function podSpecOf(w, random, options) {
  return {
    serviceAccountName: w.name,
    containers: [containerOf(w, random, options)],
  };
}

function writeManifests(model, spec, random) {
  const sources = [];
  const add = (name, documents) => {
    if (documents.length > 0) sources.push({ name, text: toYamlStream(documents) });
  };
  const chart = (w) => `${w.name}/templates`;
  let podCounter = 0;
  for (const ns of model.namespaces) {
    const n = ns.name;
    add(`${n}/namespace.yaml`, [{ value: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: ns.labels } } }]);

    const deployments = [];
    const replicaSets = [];
    const pods = [];
    const services = [];
    for (const w of ns.workloads) {
      const replicas = spec.podsPerWorkload > 0 ? spec.podsPerWorkload : random.between(1, 3);
      const deploymentUid = random.uid();
      const chartLabels = { ...w.labels, 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': `${w.name}-${w.version ? w.version.slice(1) : '1.0.0'}` };
      const template = { metadata: { labels: w.labels, annotations: { 'prometheus.io/scrape': 'true' } }, spec: podSpecOf(w, random, { withProbes: true }) };
      const selector = w.role === 'system' ? w.labels : { [NAME]: w.name, [INSTANCE]: w.labels[INSTANCE] };
      deployments.push({
        source: `${chart(w)}/deployment.yaml`,
        value: {
          apiVersion: 'apps/v1', kind: 'Deployment',
          metadata: { name: w.name, namespace: n, labels: chartLabels, ...(spec.podsPerWorkload > 0 ? { uid: deploymentUid } : {}) },
          spec: { replicas, revisionHistoryLimit: 3, selector: matchLabels(selector), strategy: { type: 'RollingUpdate' }, template },
        },
      });
      if (spec.podsPerWorkload > 0) {
        const hash = random.suffix(10);
        const rsName = `${w.name}-${hash}`;
        const rsUid = random.uid();
        const podLabels = { ...w.labels, 'pod-template-hash': hash };
        replicaSets.push({
          value: {
            apiVersion: 'apps/v1', kind: 'ReplicaSet',
            metadata: {
              name: rsName, namespace: n, uid: rsUid, labels: podLabels,
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, uid: deploymentUid, controller: true, blockOwnerDeletion: true }],
            },
            spec: {
              replicas, selector: matchLabels({ ...selector, 'pod-template-hash': hash }),
              // the ReplicaSet's template is the Deployment's, plus pod-template-hash, as the controller writes it
              template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'app', image: w.image, ports: w.ports.map((q) => ({ name: q.name, containerPort: q.port, protocol: q.protocol })) }] } },
            },
            status: { replicas, readyReplicas: replicas },
          },
        });
        for (let p = 0; p < spec.podsPerWorkload; p++) {
          podCounter++;
          const ip = `10.244.${(podCounter >> 8) & 255}.${podCounter & 255}`;
          pods.push({
            value: {
              apiVersion: 'v1', kind: 'Pod',
              metadata: {
                name: `${rsName}-${random.suffix(5)}`, namespace: n, labels: podLabels,
                ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
              },
              // kept lean: the benchmark's L is meant to be about 10 MB, like the dump the issue measured
              spec: {
                containers: [{ name: 'app', image: w.image, ports: w.ports.map((q) => ({ name: q.name, containerPort: q.port, protocol: q.protocol })) }],
              },
              status: { phase: 'Running', podIP: ip },
            },
          });
        }
      }
      const servicePorts = portsOf(w, { withMetrics: w.role === 'system' });
      if (servicePorts.length > 0) {
        const isController = w.name === 'ingress-nginx-controller';
        services.push({
          source: `${chart(w)}/service.yaml`,
          value: {
            apiVersion: 'v1', kind: 'Service',
            metadata: { name: isController ? 'ingress-nginx-controller' : w.name, namespace: n, labels: chartLabels },
            spec: {
              type: isController ? 'LoadBalancer' : 'ClusterIP',
              selector,
              ports: servicePorts.map((p) => ({
                name: p.name,
                port: p.name === 'http' ? 80 : p.name === 'https' ? 443 : p.port,
                targetPort: random.chance(0.6) ? p.name : p.port,
                protocol: p.protocol,
              })),
            },
          },
        });
      }
    }
    add(`${n}/deployments.yaml`, deployments);
    add(`${n}/replicasets.yaml`, replicaSets);
    add(`${n}/pods.yaml`, pods);
    add(`${n}/services.yaml`, services);

    const web = ns.workloads.find((w) => w.role === 'web');
    if (web) {
      const host = `${ns.domain}${ns.name.match(/-(\d+)-/)?.[0]?.slice(0, -1) ?? ''}.${ns.env}.example.com`;
      add(`${n}/ingress.yaml`, [{
        source: `${chart(web)}/ingress.yaml`,
        value: {
          apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
          metadata: { name: web.name, namespace: n, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
          spec: {
            ingressClassName: 'nginx',
            tls: [{ hosts: [host], secretName: `${web.name}-tls` }],
            rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: web.name, port: { name: 'http' } } } }] } }],
          },
        },
      }]);
    }
    add(`${n}/network-policies.yaml`, ns.policies.map((value) => ({ value: spec.cni ? cniPolicy(value, spec.cni) : value })));
  }
  return sources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Writes sources under `dir` (emptied first) and returns their total size in bytes. */
export function writeCluster(sources, dir) {
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  for (const { name, text } of sources) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

/** Counts of documents by kind, for reports. */
export function countKinds(sources) {
  const counts = {};
  for (const { text } of sources) {
    for (const match of text.matchAll(/^kind: (\w+)$/gm)) counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  }
  return counts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'S' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
  const sources = generateCluster({ size: values.size, seed: Number(values.seed) });
  const out = values.out ?? join('bench', 'out', values.size);
  const bytes = writeCluster(sources, out);
  process.stdout.write(`${out}: ${sources.length} files, ${(bytes / 1048576).toFixed(1)} MiB, ${JSON.stringify(countKinds(sources))}\n`);
}
