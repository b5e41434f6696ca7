import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { KubeObject } from '../manifests/decode.js';
import type { FieldPath } from '../manifests/parse.js';
import type { TieredEntity, TieredObjects, TieredPolicy, TieredRule, PolicyTier, ServiceEndpoints } from '../model/calico-types.js';
import { ALL_ADDRESSES, normalizeRanges, parseCidr, subtractRanges, type AddressRange } from '../model/ipblock.js';
import { ALL_PORTS, MAX_PORT, PROTOCOLS, type Protocol } from '../model/ports.js';
import { compileSelector, type Selector } from '../model/selectors.js';
import type { Labels } from '../model/selectors.js';
import type { PortRule, Service } from '../model/types.js';
import { asRecord } from './compile.js';
import { isPortName } from './ports.js';

/**
 * Compiles Cilium's policies (cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy)
 * into the tier model the Calico walk evaluates (policy/calico-tiers.ts), so one evaluator judges
 * both. Cilium has no order: its rules are a union of allows, and "Deny policies take precedence
 * over allow policies, regardless of whether they are a Cilium Network Policy, a Clusterwide
 * Cilium Network Policy or even a Kubernetes Network Policy" (Documentation/security/policy/deny.rst
 * @94b67c85). So three tiers: `cilium-deny` (every ingressDeny/egressDeny rule; default Pass),
 * `cilium-allow` (the allow rules of policies with `enableDefaultDeny: false` in the direction;
 * default Pass), and `default` (every other allow rule, and the Kubernetes NetworkPolicies; default
 * Deny: an endpoint "enter[s] default-deny mode as soon a single policy selects it").
 * Selectors follow pkg/k8s/apis/cilium.io/utils/utils.go (@0457444e) getEndpointSelector.
 */
export interface CompiledCilium {
  readonly objects: TieredObjects;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CiliumContext {
  readonly defaultNamespace: string;
  readonly services: readonly Service[];
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
}

/** Kinds the cilium profile reads from cilium.io. */
export const CILIUM_KINDS: ReadonlySet<string> = new Set(['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);

/**
 * The tiers under the cilium profile. Cluster-wide policies keep their Admin and Baseline tiers
 * around the NetworkPolicy tier (cilium/design-cfps CFP-42904), where deny comes before allow.
 */
export const CILIUM_TIERS: readonly PolicyTier[] = [
  { name: 'kube-admin', order: -1, defaultAction: 'pass' },
  { name: 'cilium-deny', order: 0, defaultAction: 'pass' },
  { name: 'cilium-allow', order: 1, defaultAction: 'pass' },
  { name: 'default', order: 1_000_000, defaultAction: 'deny' },
  { name: 'kube-baseline', order: 10_000_000, defaultAction: 'pass' },
];

/** Cilium's identity labels of a pod that selectors read besides its own (pkg/k8s/apis/cilium.io constants). */
export const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
export const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';

/** Entities (pkg/policy/api/entity.go), and how netdiagram places them. */
const WORLD = ['world', 'world-ipv4', 'world-ipv6'];
const UNPLACED_ENTITIES = ['host', 'remote-node', 'kube-apiserver', 'ingress', 'init', 'health', 'unmanaged', 'none'];
const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'];

type Direction = 'ingress' | 'egress';
type Report = (severity: 'error' | 'warning', code: Diagnostic['code'], message: string, path: FieldPath) => void;

/** The identity labels Cilium selects a pod by: its labels, its namespace, its namespace's labels and its service account. */
export function ciliumLabels(pod: CiliumPod): Labels {
  const cached = identityCache.get(pod);
  if (cached) return cached;
  const out: Record<string, string> = { ...pod.labels, [NAMESPACE_KEY]: pod.namespace, [SERVICE_ACCOUNT_KEY]: pod.serviceAccount ?? 'default' };
  for (const [k, v] of Object.entries(pod.namespaceLabels)) out[`${NAMESPACE_LABELS_PREFIX}${k}`] = v;
  identityCache.set(pod, out);
  return out;
}

type CiliumPod = { readonly namespace: string; readonly labels: Labels; readonly namespaceLabels: Labels; readonly serviceAccount?: string };
// a pod's identity labels are asked once per policy and pair: built once per subject (subjects are
// immutable, so this memo cannot go stale; it is weak, so it holds nothing)
const identityCache = new WeakMap<CiliumPod, Labels>();

/** Compiles every CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (each `spec` and `specs` entry) into the tier model. */
export function compileCiliumObjects(objects: readonly KubeObject[], context: CiliumContext): CompiledCilium {
  const diagnostics: Diagnostic[] = [];
  const policies: TieredPolicy[] = [];
  for (const object of objects) {
    const metadata = asRecord(object.value.metadata) ?? {};
    const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
    const clusterwide = object.kind === 'CiliumClusterwideNetworkPolicy';
    const namespace = clusterwide ? undefined : typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : context.defaultNamespace;
    const local: Diagnostic[] = [];
    const report: Report = (severity, code, message, path) => local.push(diagnostic(severity, code, `${object.kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}: ${message}`, object.locate(path)));
    if (!name) {
      report('error', 'cilium/invalid', 'metadata.name is required', ['metadata']);
      diagnostics.push(...local);
      continue;
    }
    const id = `cilium:${namespace ? `${namespace}/` : ''}${name}`;
    const specs: { raw: unknown; path: FieldPath; prefix: string }[] = [];
    if (object.value.spec !== undefined && object.value.spec !== null) specs.push({ raw: object.value.spec, path: ['spec'], prefix: '' });
    if (Array.isArray(object.value.specs)) object.value.specs.forEach((s, i) => specs.push({ raw: s, path: ['specs', i], prefix: `specs[${i}].` }));
    else if (object.value.specs !== undefined && object.value.specs !== null) report('error', 'cilium/invalid', 'specs must be a list of rules', ['specs']);
    if (specs.length === 0) report('error', 'cilium/invalid', 'a policy needs spec or specs', []);
    const compiled: TieredPolicy[] = [];
    for (const s of specs) compiled.push(...compileRule(s.raw, s.path, s.prefix, id, name, namespace, context, object, report));
    diagnostics.push(...local);
    if (!local.some((d) => d.severity === 'error')) policies.push(...compiled);
  }
  return {
    objects: {
      policies: policies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), tiers: CILIUM_TIERS, networkSets: [],
      namespaceLabels: context.namespaceLabels, cidrsMatchPods: false,
    },
    diagnostics,
  };
}

/** One rule (a `spec` or an entry of `specs`): up to one tier-model policy per tier and direction. */
function compileRule(
  raw: unknown, path: FieldPath, prefix: string, id: string, name: string, namespace: string | undefined,
  context: CiliumContext, object: KubeObject, report: Report,
): TieredPolicy[] {
  const rule = asRecord(raw);
  if (!rule) {
    report('error', 'cilium/invalid', 'a rule must be an object', path);
    return [];
  }
  const hasEndpoints = rule.endpointSelector !== undefined && rule.endpointSelector !== null;
  const hasNodes = rule.nodeSelector !== undefined && rule.nodeSelector !== null;
  if (hasEndpoints && hasNodes) {
    report('error', 'cilium/invalid', 'endpointSelector and nodeSelector are mutually exclusive', [...path, 'nodeSelector']);
    return [];
  }
  if (hasNodes) {
    report('warning', 'cilium/host-policy-not-evaluated', 'a nodeSelector rule is host firewall policy for nodes, which netdiagram does not evaluate: it is left out', [...path, 'nodeSelector']);
    return [];
  }
  if (!hasEndpoints) {
    report('error', 'cilium/invalid', 'a rule needs an endpointSelector (or a nodeSelector)', path);
    return [];
  }
  const selector = ciliumSelector(rule.endpointSelector, [...path, 'endpointSelector'], report);
  if (!selector) return [];
  // the endpointSelector of a namespaced policy "always applies in namespace of the policy resource"
  const withoutNamespace: Selector = namespace ? { requirements: selector.requirements.filter((r) => r.key !== NAMESPACE_KEY) } : selector;

  const defaults = asRecord(rule.enableDefaultDeny) ?? {};
  const out: TieredPolicy[] = [];
  const location = object.locate(path);
  for (const direction of ['ingress', 'egress'] as const) {
    const denyField = direction === 'ingress' ? 'ingressDeny' : 'egressDeny';
    const allows = compileRules(rule[direction], [...path, direction], direction, false, `${id}#${prefix}${direction}`, namespace, context, report, object.locate);
    const denies = compileRules(rule[denyField], [...path, denyField], direction, true, `${id}#${prefix}${denyField}`, namespace, context, report, object.locate);
    const hasSection = (field: string) => Array.isArray(rule[field]) && (rule[field] as unknown[]).length > 0;
    const hasRules = hasSection(direction) || hasSection(denyField);
    // "If not specified, the default is true for each traffic direction that has rules"
    const explicit = defaults[direction];
    const defaultDeny = typeof explicit === 'boolean' ? explicit : hasRules;
    const base = {
      kind: namespace ? 'NetworkPolicy' as const : 'GlobalNetworkPolicy' as const, name, ...(namespace ? { namespace } : {}),
      selector: { kind: 'cilium' as const, selector: withoutNamespace },
      scope: namespace ? { kind: 'name' as const, name: namespace } : { kind: 'any' as const }, location,
    };
    if (denies.length > 0) out.push({ ...base, id, tier: 'cilium-deny', [direction]: denies });
    if (!hasRules) continue;
    if (defaultDeny) out.push({ ...base, id, tier: 'default', [direction]: allows });
    else if (allows.length > 0) out.push({ ...base, id, tier: 'cilium-allow', [direction]: allows });
  }
  return out;
}

function compileRules(
  raw: unknown, path: FieldPath, direction: Direction, deny: boolean, refPrefix: string, namespace: string | undefined,
  context: CiliumContext, report: Report, locate: KubeObject['locate'],
): TieredRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    report('error', 'cilium/invalid', `${path[path.length - 1]} must be a list of rules`, path);
    return [];
  }
  const out: TieredRule[] = [];
  raw.forEach((item, i) => {
    const at = [...path, i];
    const r = asRecord(item);
    if (!r) {
      report('error', 'cilium/invalid', 'a rule must be an object', at);
      return;
    }
    const ref = `${refPrefix}[${i}]`;
    const ports = compileToPorts(r.toPorts, [...at, 'toPorts'], deny, report);
    if (ports === null) return;
    const peers = compilePeers(r, at, direction, namespace, context, report);
    if (peers === null) return;
    for (const field of ['icmps']) {
      if (r[field] !== undefined) report('warning', 'cilium/icmp-not-drawn', 'ICMP rules are not drawn: netdiagram draws TCP, UDP and SCTP ports', [...at, field]);
    }
    // no L3 peer field: a rule with toPorts holds for every peer; an empty rule {} selects none
    const entities = peers ?? (ports.rules !== undefined ? [{}] : []);
    for (const peer of entities) {
      out.push({
        ref, action: deny ? 'deny' : 'allow', protocols: ALL_PORTS, source: peer, destination: ports.rules ? { ports: ports.rules } : {}, peerSide: true,
        ...(ports.l7 ? { l7: true } : {}), location: locate(at),
      });
    }
  });
  return out;
}

/** The L3 peers of a rule, each a tier-model entity; undefined when the rule sets no L3 field. */
function compilePeers(r: Record<string, unknown>, at: FieldPath, direction: Direction, namespace: string | undefined, context: CiliumContext, report: Report): TieredEntity[] | undefined | null {
  const from = direction === 'ingress' ? 'from' : 'to';
  const fields = [`${from}Endpoints`, `${from}Entities`, `${from}CIDR`, `${from}CIDRSet`, ...(direction === 'egress' ? ['toServices', 'toFQDNs'] : []),
    `${from}Nodes`, `${from}Groups`, `${from}Requires`];
  if (!fields.some((f) => r[f] !== undefined && r[f] !== null)) return undefined;
  const out: TieredEntity[] = [];
  let failed = false;
  const list = (field: string): unknown[] | undefined => {
    const v = r[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      report('error', 'cilium/invalid', `${field} must be a list`, [...at, field]);
      failed = true;
      return undefined;
    }
    return v;
  };
  // an empty, non-nil list selects nothing
  (list(`${from}Endpoints`) ?? []).forEach((raw, i) => {
    const path = [...at, `${from}Endpoints`, i];
    const selector = ciliumSelector(raw ?? {}, path, report);
    if (selector === null) {
      failed = true;
      return;
    }
    if (selector) out.push({ endpoints: { namespace: { kind: 'any' }, selector: { kind: 'cilium', selector: scopedPeerSelector(selector, namespace) } } });
    // a selector of reserved identities (reserved:host, …): matched to nothing, drawn as it is written
    else out.push(notEvaluated(`${from}Endpoints: ${shortJson(raw)}`));
  });
  for (const [i, entity] of (list(`${from}Entities`) ?? []).entries()) {
    const path = [...at, `${from}Entities`, i];
    if (typeof entity !== 'string' || ![...WORLD, 'cluster', 'all', ...UNPLACED_ENTITIES].includes(entity)) {
      report('error', 'cilium/invalid', `${JSON.stringify(entity)} is not an entity (${[...WORLD, 'cluster', 'all', ...UNPLACED_ENTITIES].join(', ')})`, path);
      failed = true;
      continue;
    }
    if (WORLD.includes(entity)) out.push({ nets: worldRanges(entity), entity });
    // cluster: every endpoint of the cluster; all: that and the world
    else if (entity === 'cluster' || entity === 'all') {
      out.push({ endpoints: { namespace: { kind: 'any' } } });
      if (entity === 'all') out.push({ nets: ALL_ADDRESSES, entity });
    } else {
      report('warning', 'cilium/entity-not-drawn', `the ${entity} entity has no address or pod in the input: nothing is matched (drawn as a dashed "not evaluated" peer)`, path);
      if (entity !== 'none') out.push(notEvaluated(`entity: ${entity}`));
    }
  }
  for (const [i, text] of (list(`${from}CIDR`) ?? []).entries()) {
    const ranges = cidrRanges(text, [], [...at, `${from}CIDR`, i], report);
    if (ranges === null) failed = true;
    else out.push({ nets: ranges, blocks: [{ cidr: canonical(text), except: [] }] });
  }
  for (const [i, item] of (list(`${from}CIDRSet`) ?? []).entries()) {
    const path = [...at, `${from}CIDRSet`, i];
    const set = asRecord(item);
    if (set && (set.cidrGroupRef !== undefined || set.cidrGroupSelector !== undefined)) {
      report('warning', 'cilium/cidr-group-not-resolved', 'a CiliumCIDRGroup reference is not resolved (CiliumCIDRGroup objects are not read): nothing is matched', path);
      out.push(notEvaluated(set.cidrGroupRef !== undefined ? `cidrGroupRef: ${String(set.cidrGroupRef)}` : `cidrGroupSelector: ${shortJson(set.cidrGroupSelector)}`));
      continue;
    }
    const except = Array.isArray(set?.except) ? set!.except : [];
    const ranges = cidrRanges(set?.cidr, except, path, report);
    if (ranges === null) failed = true;
    else out.push({ nets: ranges, blocks: [{ cidr: canonical(set!.cidr), except: except.map(canonical) }] });
  }
  if (direction === 'egress') {
    for (const [i, item] of (list('toServices') ?? []).entries()) {
      const path = [...at, 'toServices', i];
      const k8s = asRecord(asRecord(item)?.k8sService);
      if (!k8s || typeof k8s.serviceName !== 'string') {
        report('warning', 'cilium/service-not-resolved', 'only k8sService (serviceName, namespace) is resolved: this toServices entry matches nothing', path);
        out.push(notEvaluated(`toServices: ${shortJson(item)}`));
        continue;
      }
      const ns = typeof k8s.namespace === 'string' && k8s.namespace !== '' ? k8s.namespace : namespace ?? context.defaultNamespace;
      const found = context.services.find((s) => s.namespace === ns && s.name === k8s.serviceName);
      if (!found?.selector) report('warning', 'cilium/service-not-resolved', `Service ${ns}/${k8s.serviceName} is not in the input or has no selector: it matches no pod`, path);
      const services: ServiceEndpoints = { namespace: ns, name: k8s.serviceName, ...(found?.selector ? { selector: found.selector } : {}), ports: found?.ports ?? [] };
      out.push({ services });
    }
    const fqdns = list('toFQDNs');
    if (fqdns) {
      report('warning', 'cilium/fqdn-not-resolved', 'toFQDNs selects the addresses DNS answers give at run time, which are not known: nothing is matched (drawn as a dashed "not evaluated" peer)', [...at, 'toFQDNs']);
      for (const item of fqdns) {
        const f = asRecord(item);
        out.push(notEvaluated(typeof f?.matchName === 'string' ? `fqdn: ${f.matchName}` : typeof f?.matchPattern === 'string' ? `fqdn pattern: ${f.matchPattern}` : `toFQDNs: ${shortJson(item)}`));
      }
    }
  }
  for (const field of [`${from}Nodes`, `${from}Groups`, `${from}Requires`]) {
    const items = list(field);
    if (items) {
      report('warning', 'cilium/peer-not-evaluated', `${field} is not evaluated (nodes, cloud groups and requirements are not in the input): nothing is matched (drawn as a dashed "not evaluated" peer)`, [...at, field]);
      for (const item of items) out.push(notEvaluated(`${field}: ${shortJson(item)}`));
    }
  }
  return failed ? null : out;
}

/** A peer matched to nothing, drawn as what the rule says. */
function notEvaluated(text: string): TieredEntity {
  return { nothing: true, notEvaluated: text };
}

/** A field's value as one short line of JSON, for a peer's label. */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}\u2026` : text;
}

/**
 * getEndpointSelector: a peer selector of a namespaced policy without a namespace key (nor a
 * namespace-label key) is confined to the policy's namespace; one of a clusterwide policy to
 * pods of some namespace (`io.kubernetes.pod.namespace` Exists), so `{}` is every pod, never the world.
 */
function scopedPeerSelector(selector: Selector, namespace: string | undefined): Selector {
  if (selector.requirements.some((r) => r.key === NAMESPACE_KEY)) return selector;
  if (namespace === undefined) return { requirements: [...selector.requirements, { key: NAMESPACE_KEY, operator: 'Exists', values: [] }] };
  if (selector.requirements.some((r) => r.key.startsWith(NAMESPACE_LABELS_PREFIX))) return selector;
  return { requirements: [...selector.requirements, { key: NAMESPACE_KEY, operator: 'In', values: [namespace] }] };
}

/**
 * A Cilium label selector: a Kubernetes LabelSelector whose keys may carry a source prefix
 * (`k8s:app`, `any:app`; NewESFromK8sLabelSelector matches an unprefixed key from any source),
 * compiled with the prefixes taken off. A selector of another source (`reserved:host`,
 * `cidr:…`) selects identities that are no pod: undefined, with a warning. null: invalid.
 */
function ciliumSelector(raw: unknown, path: FieldPath, report: Report): Selector | undefined | null {
  const record = asRecord(raw);
  if (!record) {
    report('error', 'cilium/invalid', 'a selector must be a map (matchLabels, matchExpressions)', path);
    return null;
  }
  const sources = new Set<string>();
  const strip = (key: unknown) => {
    if (typeof key !== 'string') return key;
    const m = /^([a-z0-9-]+):(.*)$/.exec(key);
    if (!m) return key;
    if (m[1] !== 'k8s' && m[1] !== 'any') sources.add(m[1]!);
    return m[2];
  };
  const matchLabels = asRecord(record.matchLabels);
  const rewritten = {
    ...(matchLabels ? { matchLabels: Object.fromEntries(Object.entries(matchLabels).map(([k, v]) => [strip(k) as string, v])) } : {}),
    ...(Array.isArray(record.matchExpressions) ? { matchExpressions: record.matchExpressions.map((e) => { const x = asRecord(e); return x ? { ...x, key: strip(x.key) } : e; }) } : {}),
  };
  if (sources.size > 0) {
    report('warning', 'cilium/entity-not-drawn', `a selector of ${[...sources].sort().map((s) => `${s}:`).join(', ')} labels selects identities that are no pod (reserved identities, CIDRs, …): nothing is matched`, path);
    return undefined;
  }
  const compiled = compileSelector(rewritten, path, () => ({ file: '', line: 0, column: 0, document: 0 }));
  if (!compiled.selector) {
    report('error', 'cilium/invalid', compiled.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the selector is invalid', path);
    return null;
  }
  return compiled.selector;
}

/** A CIDR already checked by cidrRanges, in canonical form. */
function canonical(text: unknown): string {
  const parsed = parseCidr(String(text));
  return parsed.ok ? parsed.canonical : String(text);
}

function worldRanges(entity: string): readonly AddressRange[] {
  if (entity === 'world-ipv4') return ALL_ADDRESSES.filter((r) => r.family === 4);
  if (entity === 'world-ipv6') return ALL_ADDRESSES.filter((r) => r.family === 6);
  return ALL_ADDRESSES;
}

function cidrRanges(cidr: unknown, except: readonly unknown[], path: FieldPath, report: Report): AddressRange[] | null {
  const parse = (text: unknown, at: FieldPath): AddressRange | null => {
    const parsed = typeof text === 'string' ? parseCidr(text) : ({ ok: false, reason: 'not a string' } as const);
    if (!parsed.ok) {
      report('error', 'cilium/invalid', `${JSON.stringify(text)} is not a valid CIDR: ${parsed.reason}`, at);
      return null;
    }
    return parsed.range;
  };
  const base = parse(cidr, path);
  const cut = except.map((e, i) => parse(e, [...path, 'except', i]));
  if (base === null || cut.some((c) => c === null)) return null;
  return subtractRanges(normalizeRanges([base]), cut as AddressRange[]);
}

/**
 * `toPorts` (pkg/policy/api l4.go; layer4.rst): a list of PortRule, each with `ports` (`port` a
 * number or a name, `endPort`, `protocol` TCP|UDP|SCTP|ANY, omitted = ANY) and optional L7
 * `rules`; absent: every port. L7 rules make the flow L7-restricted; deny rules take none.
 */
function compileToPorts(raw: unknown, path: FieldPath, deny: boolean, report: Report): { rules?: PortRule[]; l7: boolean } | null {
  if (raw === undefined || raw === null) return { l7: false };
  if (!Array.isArray(raw)) {
    report('error', 'cilium/invalid', 'toPorts must be a list', path);
    return null;
  }
  const rules: PortRule[] = [];
  let l7 = false;
  let failed = false;
  raw.forEach((item, i) => {
    const entry = asRecord(item);
    const at = [...path, i];
    if (!entry) {
      report('error', 'cilium/invalid', 'a toPorts entry must be an object', at);
      failed = true;
      return;
    }
    if (entry.rules !== undefined && entry.rules !== null) {
      if (deny) {
        report('error', 'cilium/invalid', 'deny rules do not support L7 rules', [...at, 'rules']);
        failed = true;
        return;
      }
      l7 = true;
    }
    for (const field of ['serverNames', 'listener', 'terminatingTLS', 'originatingTLS']) {
      if (entry[field] !== undefined) l7 = true;
    }
    const ports = entry.ports;
    if (ports === undefined || ports === null) {
      for (const p of PROTOCOLS) rules.push({ protocol: p });
      return;
    }
    if (!Array.isArray(ports)) {
      report('error', 'cilium/invalid', 'ports must be a list', [...at, 'ports']);
      failed = true;
      return;
    }
    ports.forEach((pp, j) => {
      const p = asRecord(pp);
      const pAt = [...at, 'ports', j];
      const protocol = p?.protocol ?? 'ANY';
      if (!p || typeof protocol !== 'string' || !PORT_PROTOCOLS.includes(protocol)) {
        report('error', 'cilium/invalid', `protocol ${JSON.stringify(protocol)} must be TCP, UDP, SCTP or ANY`, [...pAt, 'protocol']);
        failed = true;
        return;
      }
      const protocols: readonly Protocol[] = protocol === 'ANY' ? PROTOCOLS : [protocol as Protocol];
      const port = p.port;
      const text = typeof port === 'number' ? String(port) : typeof port === 'string' ? port : undefined;
      if (text === undefined || text === '' || text === '0') {
        // port 0 (or none) is every port of the protocol
        for (const pr of protocols) rules.push({ protocol: pr });
        return;
      }
      if (/^\d+$/.test(text)) {
        const n = Number(text);
        const end = typeof p.endPort === 'number' ? p.endPort : undefined;
        if (n > MAX_PORT || (end !== undefined && (end < n || end > MAX_PORT))) {
          report('error', 'cilium/invalid', `port ${text}${end !== undefined ? `-${end}` : ''} is outside 1-65535 or ends before it starts`, pAt);
          failed = true;
          return;
        }
        for (const pr of protocols) rules.push({ protocol: pr, port: n, ...(end !== undefined && end !== n ? { endPort: end } : {}) });
        return;
      }
      if (!isPortName(text.toLowerCase())) {
        report('error', 'cilium/invalid', `port ${JSON.stringify(text)} is neither a number nor a port name`, pAt);
        failed = true;
        return;
      }
      // endPort is ignored for named ports (layer4.rst)
      for (const pr of protocols) rules.push({ protocol: pr, port: text.toLowerCase() });
    });
  });
  return failed ? null : { rules, l7 };
}

