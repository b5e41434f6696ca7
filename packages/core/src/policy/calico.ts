import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import type { KubeObject } from '../manifests/decode.js';
import type { FieldPath } from '../manifests/parse.js';
import { parseCalicoSelector, type CalicoSelector } from '../model/calico-selector.js';
import type {
  TieredAction, TieredEntity, TieredObjects, TieredPolicy, TieredRule, PolicyTier, EndpointMatch, NamespaceScope, NetworkSet,
  ServiceEndpoints, StagedCalicoPolicy,
} from '../model/calico-types.js';
import { normalizeRanges, parseCidr, type AddressRange } from '../model/ipblock.js';
import { ALL_PORTS, MAX_PORT, NO_PORTS, PROTOCOLS, portRange, subtractPorts, type PortSet, type Protocol } from '../model/ports.js';
import { stringMap } from '../model/workloads.js';
import type { Labels } from '../model/selectors.js';
import type { PortRule, Service } from '../model/types.js';
import { asRecord, compileNetworkPolicy } from './compile.js';

/**
 * Compiles Calico's own objects (projectcalico.org/v3 and crd.projectcalico.org/v1, which store the
 * same spec types: libcalico-go/lib/apis/crd.projectcalico.org/v1) into the Calico rule model:
 * NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet, GlobalNetworkSet. Validation follows the
 * API types and their validator (api/pkg/apis/projectcalico/v3, libcalico-go/lib/validator/v3 at
 * 87c15906): an object the API server refuses is reported at its field and left out. Staged
 * policies, HostEndpoints and the host-only policy features are reported, never silently dropped.
 */
export interface CompiledCalico {
  readonly objects: TieredObjects;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CalicoContext {
  /** Namespace of objects without metadata.namespace. */
  readonly defaultNamespace: string;
  readonly services: readonly Service[];
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
}

/** Kinds the calico profile reads from the Calico API groups. */
export const CALICO_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy', 'GlobalNetworkPolicy', 'Tier', 'NetworkSet', 'GlobalNetworkSet',
  'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'HostEndpoint',
]);

/**
 * The tiers Calico creates itself (tier.go L37-53, with CEL rules that fix their order):
 * kube-admin (ClusterNetworkPolicy Admin, order 1000, Pass), default (1,000,000, Deny),
 * kube-baseline (Baseline, 10,000,000, Pass).
 */
export const BUILT_IN_TIERS: readonly PolicyTier[] = [
  { name: 'kube-admin', order: 1_000, defaultAction: 'pass' },
  { name: 'default', order: 1_000_000, defaultAction: 'deny' },
  { name: 'kube-baseline', order: 10_000_000, defaultAction: 'pass' },
];

type Locate = (path: FieldPath) => SourceLocation;
/** Reports a problem at a field of the object, or at an exact location (a character inside a selector). */
type Report = (severity: 'error' | 'warning', code: Diagnostic['code'], message: string, where: FieldPath | SourceLocation) => void;

/** A label set on namespaced endpoints only, so that `all()` and `global()` in a namespaceSelector can tell them apart. */
export const NAMESPACED_MARK = '\u0000namespaced';

const ACTIONS: ReadonlyMap<string, TieredAction> = new Map([['Allow', 'allow'], ['Deny', 'deny'], ['Log', 'log'], ['Pass', 'pass']]);
/** numorstring/protocol.go: names are matched without regard to case. */
const PROTOCOL_NAMES: ReadonlyMap<string, string> = new Map(['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'].map((n) => [n.toLowerCase(), n]));
const PROTOCOL_NUMBERS: ReadonlyMap<number, Protocol> = new Map([[6, 'TCP'], [17, 'UDP'], [132, 'SCTP']]);
const MAX_RULES = 1024;
const MAX_NETS = 256;
const MAX_PORTS = 50;
const MAX_SELECTOR = 1024;
/** numorstring/port.go nameRegex */
const PORT_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** Compiles the Calico objects of an input (one per kind, namespace and name) into policies, tiers and NetworkSets, with diagnostics. */
export function compileCalicoObjects(objects: readonly KubeObject[], context: CalicoContext): CompiledCalico {
  const diagnostics: Diagnostic[] = [];
  const policies: TieredPolicy[] = [];
  const tiers = new Map<string, PolicyTier>(BUILT_IN_TIERS.map((t) => [t.name, t]));
  const networkSets: NetworkSet[] = [];
  const staged: StagedCalicoPolicy[] = [];
  for (const object of latestOfEach(objects, context, diagnostics)) {
    const metadata = asRecord(object.value.metadata) ?? {};
    const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
    const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : context.defaultNamespace;
    const local: Diagnostic[] = [];
    const report: Report = (severity, code, message, where) => local.push(diagnostic(severity, code, `${object.kind} ${name ?? '(unnamed)'}: ${message}`, Array.isArray(where) ? object.locate(where) : where as SourceLocation));
    if (!name) {
      report('error', 'calico/invalid', 'metadata.name is required', ['metadata']);
      diagnostics.push(...local);
      continue;
    }
    switch (object.kind) {
      case 'Tier': {
        const tier = compileTier(object, name, report);
        if (tier && !local.some((d) => d.severity === 'error')) tiers.set(name, tier);
        break;
      }
      case 'NetworkSet':
      case 'GlobalNetworkSet': {
        const set = compileNetworkSet(object, name, object.kind === 'NetworkSet' ? namespace : undefined, metadata, report);
        if (set && !local.some((d) => d.severity === 'error')) networkSets.push(set);
        break;
      }
      case 'NetworkPolicy':
      case 'GlobalNetworkPolicy': {
        const policy = compilePolicy(object, name, object.kind === 'NetworkPolicy' ? namespace : undefined, context, report);
        if (policy && !local.some((d) => d.severity === 'error')) policies.push(policy);
        break;
      }
      case 'StagedNetworkPolicy':
      case 'StagedGlobalNetworkPolicy':
      case 'StagedKubernetesNetworkPolicy': {
        // staged policies are "not enforced": Calico only reports what they would do (docs: staged-network-policies)
        const spec = asRecord(object.value.spec) ?? {};
        const action = spec.stagedAction ?? 'Set';
        // Learn and Ignore change no enforced policy: nothing of theirs is previewed, so the message must not promise it
        const previewed = action === 'Set' || action === 'Delete';
        report('warning', 'calico/staged-not-enforced', previewed
          ? 'a staged policy is never enforced (Calico only previews what it would do): the traffic shown is what the enforced policies allow, and what it would change is drawn dashed (staged + / staged \u2212) and listed as stagedChanges'
          : `a staged policy is never enforced (Calico only previews what it would do): the traffic shown is what the enforced policies allow; stagedAction ${String(action)} changes no enforced policy, so nothing of it is previewed`, ['kind']);
        const actions: Record<string, StagedCalicoPolicy['action']> = { Set: 'set', Delete: 'delete', Learn: 'learn', Ignore: 'ignore' };
        if (typeof action !== 'string' || !(action in actions)) {
          report('error', 'calico/invalid', `stagedAction ${JSON.stringify(action)} must be Set, Delete, Learn or Ignore`, ['spec', 'stagedAction']);
          break;
        }
        if (object.kind === 'StagedKubernetesNetworkPolicy') {
          // the Kubernetes NetworkPolicy it stands for: its spec without stagedAction, compiled as one
          const { stagedAction: _action, ...npSpec } = spec;
          const compiled = actions[action] === 'set' ? compileNetworkPolicy({ ...object, kind: 'NetworkPolicy', value: { ...object.value, spec: npSpec } }, namespace, name) : undefined;
          if (compiled) local.push(...compiled.diagnostics);
          if ((compiled && !compiled.policy) || local.some((d) => d.severity === 'error')) break;
          const named: TieredPolicy = {
            id: `netpol:${namespace}/${name}`, kind: 'KubernetesNetworkPolicy', name, namespace, tier: 'default', order: 1000,
            selector: { kind: 'labels', selector: { requirements: [] } }, scope: { kind: 'name', name: namespace }, location: object.locate([]),
          };
          staged.push({ kind: object.kind, action: actions[action]!, policy: named, ...(compiled?.policy ? { networkPolicy: compiled.policy } : {}), location: object.locate([]) });
          break;
        }
        const enforcedKind = object.kind === 'StagedNetworkPolicy' ? 'NetworkPolicy' : 'GlobalNetworkPolicy';
        const policy = compilePolicy(object, name, enforcedKind === 'NetworkPolicy' ? namespace : undefined, context, report);
        if (policy && !local.some((d) => d.severity === 'error')) staged.push({ kind: object.kind, action: actions[action]!, policy, location: object.locate([]) });
        break;
      }
      case 'HostEndpoint':
        report('warning', 'calico/host-endpoint-not-evaluated',
          'host endpoints (node interfaces) are out of netdiagram\u2019s scope: policies that apply to them are not evaluated for node traffic', ['kind']);
        break;
      default:
        break;
    }
    diagnostics.push(...local);
  }
  // a policy in a tier no Tier object declares cannot be created; from a dump it is still judged, last
  for (const p of policies) {
    if (!tiers.has(p.tier)) {
      diagnostics.push(diagnostic('warning', 'calico/unknown-tier',
        `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} is in tier "${p.tier}", which no Tier in the input declares: judged as a tier with no order (after every other) and default action Deny`,
        p.location));
      tiers.set(p.tier, { name: p.tier, defaultAction: 'deny' });
    }
  }
  // sorted, so that the order of the input files changes nothing
  const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    objects: {
      policies: policies.sort(byKey((p) => p.id)), tiers: [...tiers.values()].sort(byKey((t) => t.name)),
      networkSets: networkSets.sort(byKey((n) => n.id)), namespaceLabels: context.namespaceLabels,
      ...(staged.length > 0 ? { staged: staged.sort(byKey((s) => `${s.policy.id}\u0000${s.kind}`)) } : {}),
    },
    diagnostics,
  };
}

/**
 * One object per kind, namespace and name: the API server holds one, and both API groups name the
 * same object. A later definition replaces an earlier one, as for every other kind (k8s/duplicate-object).
 */
function latestOfEach(objects: readonly KubeObject[], context: CalicoContext, diagnostics: Diagnostic[]): KubeObject[] {
  const latest = new Map<string, KubeObject>();
  const namespaced = new Set(['NetworkPolicy', 'NetworkSet', 'StagedNetworkPolicy', 'StagedKubernetesNetworkPolicy']);
  for (const object of objects) {
    const metadata = asRecord(object.value.metadata) ?? {};
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    const namespace = namespaced.has(object.kind) ? (typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : context.defaultNamespace) : '';
    const key = `${object.kind}\u0000${namespace}\u0000${name}`;
    const previous = latest.get(key);
    if (previous && name !== '') {
      diagnostics.push(diagnostic('warning', 'k8s/duplicate-object',
        `${object.kind} ${namespace ? `${namespace}/` : ''}${name} is defined again (first at ${previous.file}:${previous.locate([]).line}); the later one is used`,
        object.locate(['metadata', 'name'])));
    }
    latest.set(name === '' ? `${key}\u0000${latest.size}` : key, object);
  }
  return [...latest.values()];
}

function compileTier(object: KubeObject, name: string, report: Report): PolicyTier | undefined {
  const spec = asRecord(object.value.spec) ?? {};
  const order = spec.order;
  if (order !== undefined && order !== null && typeof order !== 'number') report('error', 'calico/invalid', `order ${JSON.stringify(order)} must be a number`, ['spec', 'order']);
  const builtIn = BUILT_IN_TIERS.find((t) => t.name === name);
  // the CRD's CEL rules fix the built-in tiers' order
  if (builtIn && order !== builtIn.order) report('error', 'calico/invalid', `the ${name} tier's order must be ${builtIn.order}`, order === undefined ? ['spec'] : ['spec', 'order']);
  const action = spec.defaultAction ?? 'Deny';
  if (action !== 'Deny' && action !== 'Pass') report('error', 'calico/invalid', `defaultAction ${JSON.stringify(action)} must be Deny or Pass`, ['spec', 'defaultAction']);
  return {
    name, ...(typeof order === 'number' ? { order } : {}), defaultAction: action === 'Pass' ? 'pass' : 'deny', location: object.locate([]),
  };
}

function compileNetworkSet(object: KubeObject, name: string, namespace: string | undefined, metadata: Record<string, unknown>, report: Report): NetworkSet | undefined {
  const spec = asRecord(object.value.spec) ?? {};
  const nets = compileNets(spec.nets, ['spec', 'nets'], report, { negated: false, max: Number.MAX_SAFE_INTEGER });
  return {
    id: namespace ? `calico-networkset:${namespace}/${name}` : `calico-globalnetworkset:${name}`,
    ...(namespace ? { namespace } : {}), name, labels: stringMap(metadata.labels),
    cidrs: nets?.cidrs ?? [], ranges: nets?.ranges ?? [], location: object.locate([]),
  };
}

/** Parses a selector field, reporting a syntax error at its character in the manifest where the scalar allows it. */
function compileSelectorField(raw: unknown, path: FieldPath, locate: Locate, report: Report): CalicoSelector | undefined | null {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') {
    report('error', 'calico/invalid-selector', 'a selector must be a string', path);
    return null;
  }
  if (raw.length > MAX_SELECTOR) {
    report('error', 'calico/invalid-selector', `a selector is at most ${MAX_SELECTOR} characters`, path);
    return null;
  }
  const parsed = parseCalicoSelector(raw);
  if (parsed.ok) return parsed.selector;
  report('error', 'calico/invalid-selector',
    `selector ${JSON.stringify(raw)} does not parse at character ${parsed.offset + 1}: ${parsed.message}`, selectorLocation(locate(path), raw, parsed.offset));
  return null;
}

/**
 * Where in the file a character of a selector string is: the scalar's start plus the offset, plus
 * one for an opening quote, when the scalar is the selector text itself (plain or quoted without
 * escapes); else the scalar's start.
 */
export function selectorLocation(scalar: SourceLocation, text: string, offset: number): SourceLocation {
  const length = scalar.length;
  const shift = length === text.length ? 0 : length === text.length + 2 ? 1 : undefined;
  if (shift === undefined || text.includes('\n')) return scalar;
  return { file: scalar.file, document: scalar.document, line: scalar.line, column: scalar.column + shift + offset, length: 1 };
}

function compilePolicy(object: KubeObject, name: string, namespace: string | undefined, context: CalicoContext, report: Report): TieredPolicy | undefined {
  const spec = asRecord(object.value.spec);
  const locate = object.locate;
  if (!spec) {
    report('error', 'calico/invalid', 'spec is required', []);
    return undefined;
  }
  const tier = spec.tier ?? 'default';
  if (typeof tier !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(tier)) report('error', 'calico/invalid', `tier ${JSON.stringify(tier)} is not a tier name`, ['spec', 'tier']);
  const order = spec.order;
  if (order !== undefined && order !== null && typeof order !== 'number') report('error', 'calico/invalid', `order ${JSON.stringify(order)} must be a number`, ['spec', 'order']);
  const selector = compileSelectorField(spec.selector, ['spec', 'selector'], locate, report);
  const serviceAccountSelector = compileSelectorField(spec.serviceAccountSelector, ['spec', 'serviceAccountSelector'], locate, report);
  let scope: NamespaceScope = namespace ? { kind: 'name', name: namespace } : { kind: 'any' };
  if (!namespace) {
    const nsSelector = compileSelectorField(spec.namespaceSelector, ['spec', 'namespaceSelector'], locate, report);
    if (nsSelector) scope = { kind: 'selector', selector: { kind: 'calico', selector: namespaceSelectorOf(nsSelector) } };
  } else if (spec.namespaceSelector !== undefined) report('error', 'calico/invalid', 'namespaceSelector is a GlobalNetworkPolicy field (a NetworkPolicy selects in its own namespace)', ['spec', 'namespaceSelector']);
  if (serviceAccountSelector) warnOfServiceAccountLabels(serviceAccountSelector, ['spec', 'serviceAccountSelector'], report);

  // doNotTrack and preDNAT policies apply to host endpoints only; applyOnForward adds forwarded host traffic
  const hostOnly = ['doNotTrack', 'preDNAT'].filter((f) => spec[f] === true);
  for (const field of [...hostOnly, ...(spec.applyOnForward === true ? ['applyOnForward'] : [])]) {
    report('warning', 'calico/host-endpoint-not-evaluated',
      `${field} applies the policy to host endpoint traffic, which netdiagram does not evaluate${hostOnly.includes(field) ? ': the policy is left out (it applies to host endpoints only)' : ''}`, ['spec', field]);
  }

  const types = policyTypes(spec, report);
  const id = `calico:${typeof tier === 'string' ? tier : 'default'}/${namespace ? `${namespace}/` : ''}${name}`;
  const rules = (direction: 'ingress' | 'egress') => compileRules(spec[direction], direction, id, namespace, context, locate, report);
  const ingress = rules('ingress');
  const egress = rules('egress');
  // (the caller also leaves out a policy with any error)
  if (selector === null || serviceAccountSelector === null || hostOnly.length > 0) return undefined;
  return {
    id, kind: namespace ? 'NetworkPolicy' : 'GlobalNetworkPolicy', name, ...(namespace ? { namespace } : {}),
    tier: tier as string, ...(typeof order === 'number' ? { order } : {}),
    selector: { kind: 'calico', selector: selector ?? { kind: 'all' } },
    scope, ...(serviceAccountSelector ? { serviceAccountSelector } : {}),
    ...(types.ingress ? { ingress } : {}), ...(types.egress ? { egress } : {}),
    location: locate([]),
  };
}

/**
 * `types` as written, or Calico's default (networkpolicy.go): [Ingress] without egress rules,
 * [Egress] with egress rules only, both with both.
 */
function policyTypes(spec: Record<string, unknown>, report: Report): { ingress: boolean; egress: boolean } {
  const has = (field: string) => Array.isArray(spec[field]) && (spec[field] as unknown[]).length > 0;
  if (spec.types === undefined || spec.types === null || (Array.isArray(spec.types) && spec.types.length === 0)) {
    if (has('egress') && !has('ingress')) return { ingress: false, egress: true };
    return { ingress: true, egress: has('egress') };
  }
  if (!Array.isArray(spec.types) || spec.types.some((t) => t !== 'Ingress' && t !== 'Egress') || spec.types.length > 2) {
    report('error', 'calico/invalid', 'types must list Ingress, Egress or both', ['spec', 'types']);
    return { ingress: false, egress: false };
  }
  return { ingress: spec.types.includes('Ingress'), egress: spec.types.includes('Egress') };
}

function compileRules(
  raw: unknown, direction: 'ingress' | 'egress', policyId: string, namespace: string | undefined, context: CalicoContext,
  locate: Locate, report: Report,
): TieredRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    report('error', 'calico/invalid', `${direction} must be a list of rules`, ['spec', direction]);
    return [];
  }
  if (raw.length > MAX_RULES) report('error', 'calico/invalid', `${direction} has ${raw.length} rules; at most ${MAX_RULES} are allowed`, ['spec', direction]);
  const out: TieredRule[] = [];
  raw.forEach((item, index) => {
    const at: FieldPath = ['spec', direction, index];
    const rule = asRecord(item);
    if (!rule) {
      report('error', 'calico/invalid', 'a rule must be an object', at);
      return;
    }
    const compiled = compileRule(rule, at, direction, `${policyId}#${direction}[${index}]`, namespace, context, locate, report);
    if (compiled) out.push(compiled);
  });
  return out;
}

interface ProtocolValue {
  readonly text: string;
  readonly ports: PortSet;
  readonly supportsPorts: boolean;
}

/** `protocol`/`notProtocol`: a name (any case) or a number 1-255 (numorstring/protocol.go). */
function compileProtocol(raw: unknown, path: FieldPath, report: Report): ProtocolValue | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  let number: number | undefined;
  let name: string | undefined;
  if (typeof raw === 'number') number = raw;
  else if (typeof raw === 'string' && /^\d+$/.test(raw)) number = Number(raw);
  else if (typeof raw === 'string') name = PROTOCOL_NAMES.get(raw.toLowerCase());
  if (number !== undefined) {
    if (!Number.isInteger(number) || number < 1 || number > 255) {
      report('error', 'calico/invalid', `protocol ${JSON.stringify(raw)} must be a protocol name or a number from 1 to 255`, path);
      return null;
    }
    const p = PROTOCOL_NUMBERS.get(number);
    return { text: String(number), ports: p ? portRange(p, 1, MAX_PORT) : NO_PORTS, supportsPorts: p !== undefined };
  }
  if (!name) {
    report('error', 'calico/invalid', `protocol ${JSON.stringify(raw)} must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number from 1 to 255`, path);
    return null;
  }
  const p = name === 'TCP' || name === 'UDP' || name === 'SCTP' ? name : undefined;
  return { text: name, ports: p ? portRange(p, 1, MAX_PORT) : NO_PORTS, supportsPorts: p !== undefined };
}

function compileRule(
  rule: Record<string, unknown>, at: FieldPath, direction: 'ingress' | 'egress', ref: string, namespace: string | undefined,
  context: CalicoContext, locate: Locate, report: Report,
): TieredRule | undefined {
  const action = typeof rule.action === 'string' ? ACTIONS.get(rule.action) : undefined;
  if (!action) report('error', 'calico/invalid', rule.action === undefined ? 'action is required (Allow, Deny, Log or Pass)' : `action ${JSON.stringify(rule.action)} must be Allow, Deny, Log or Pass`, rule.action === undefined ? at : [...at, 'action']);
  const ipVersion = rule.ipVersion;
  if (ipVersion !== undefined && ipVersion !== null && ipVersion !== 4 && ipVersion !== 6) report('error', 'calico/invalid', `ipVersion ${JSON.stringify(ipVersion)} must be 4 or 6`, [...at, 'ipVersion']);
  const protocol = compileProtocol(rule.protocol, [...at, 'protocol'], report);
  const notProtocol = compileProtocol(rule.notProtocol, [...at, 'notProtocol'], report);
  for (const field of ['icmp', 'notICMP']) {
    if (rule[field] === undefined || rule[field] === null) continue;
    const icmp = protocol && (protocol.text === 'ICMP' || protocol.text === 'ICMPv6' || protocol.text === '1' || protocol.text === '58');
    if (!icmp) report('error', 'calico/invalid', `${field} needs protocol ICMP or ICMPv6`, [...at, field]);
    else report('warning', 'calico/icmp-not-drawn', `${field} narrows an ICMP rule to some ICMP types; netdiagram draws TCP, UDP and SCTP ports only, so the rule's ICMP traffic is not drawn`, [...at, field]);
  }
  if (protocol && !protocol.supportsPorts && rule.icmp === undefined && rule.notICMP === undefined && action !== 'log') {
    report('warning', 'calico/icmp-not-drawn', `a ${protocol.text} rule matches traffic without ports, which netdiagram does not draw: its ${action ?? 'action'} is left out of the diagram`, [...at, 'protocol']);
  }
  const entity = (side: 'source' | 'destination') => compileEntity(rule[side], [...at, side], side, direction, namespace, protocol ?? undefined, context, locate, report);
  const source = entity('source');
  const destination = entity('destination');
  // validateRule: CIDRs of one family per rule, and of the family ipVersion names
  const families = new Set([source, destination].flatMap((e) => [...(e?.nets ?? []), ...(e?.notNets ?? [])].map((r) => r.family)));
  if (families.size > 1) report('error', 'calico/invalid', 'a rule cannot mix IPv4 and IPv6 CIDRs', at);
  else if ((ipVersion === 4 || ipVersion === 6) && families.size === 1 && !families.has(ipVersion)) report('error', 'calico/invalid', `the rule's CIDRs are not IPv${ipVersion}, as its ipVersion says`, [...at, 'ipVersion']);
  const http = asRecord(rule.http);
  if (rule.http !== undefined && rule.http !== null) {
    if (!http) report('error', 'calico/invalid', 'http must be an object', [...at, 'http']);
    else report('warning', 'calico/l7-not-evaluated',
      'an http match narrows the rule to some HTTP requests (enforced by Calico\u2019s application layer policy), which netdiagram does not evaluate: its flows are drawn for the whole port and marked L7-restricted', [...at, 'http']);
  }
  if (!action || !source || !destination || protocol === null || notProtocol === null) return undefined;
  const protocols = subtractPorts(protocol?.ports ?? ALL_PORTS, notProtocol?.ports ?? NO_PORTS);
  return {
    ref, action, protocols, ...(ipVersion === 4 || ipVersion === 6 ? { ipVersion } : {}), source, destination,
    ...(http ? { l7: true } : {}), location: locate(at),
  };
}

/**
 * A rule's `source` or `destination`. Its selector fields combine as libcalico-go's
 * updateprocessors/rules.go getEndpointSelector does: `selector` and `serviceAccounts` ANDed,
 * confined to a namespaceSelector's namespaces, else (in a NetworkPolicy) to the policy's own
 * namespace, as soon as any selector field, `notSelector` included, is set. A rule with none of
 * them matches packets of any origin ("To match all packets, do not include a selector").
 */
function compileEntity(
  raw: unknown, path: FieldPath, side: 'source' | 'destination', direction: 'ingress' | 'egress', namespace: string | undefined,
  protocol: ProtocolValue | undefined, context: CalicoContext, locate: Locate, report: Report,
): TieredEntity | undefined {
  if (raw === undefined || raw === null) return {};
  const e = asRecord(raw);
  if (!e) {
    report('error', 'calico/invalid', `${side} must be an object`, path);
    return undefined;
  }
  let failed = false;
  const selectorOf = (field: string) => {
    const s = compileSelectorField(e[field], [...path, field], locate, report);
    if (s === null) failed = true;
    return s ?? undefined;
  };
  const selector = selectorOf('selector');
  const notSelector = selectorOf('notSelector');
  const namespaceSelector = selectorOf('namespaceSelector');
  // validateEntityRule: global() only on its own
  if (typeof e.namespaceSelector === 'string' && e.namespaceSelector.includes('global(') && namespaceSelector && namespaceSelector.kind !== 'global') {
    report('error', 'calico/invalid-selector', 'a namespaceSelector with global() can have nothing else', [...path, 'namespaceSelector']);
    failed = true;
  }
  const nets = compileNets(e.nets, [...path, 'nets'], report, { negated: false, max: MAX_NETS });
  const notNets = compileNets(e.notNets, [...path, 'notNets'], report, { negated: true, max: MAX_NETS });
  if (nets === null || notNets === null) failed = true;

  let serviceAccounts: EndpointMatch['serviceAccounts'];
  if (e.serviceAccounts !== undefined && e.serviceAccounts !== null) {
    const sa = asRecord(e.serviceAccounts);
    const names = sa?.names;
    if (!sa || (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string')))) {
      report('error', 'calico/invalid', 'serviceAccounts has names (a list of strings) and selector', [...path, 'serviceAccounts']);
      failed = true;
    } else {
      const saSelector = compileSelectorField(sa.selector, [...path, 'serviceAccounts', 'selector'], locate, report);
      if (saSelector === null) failed = true;
      if (saSelector) warnOfServiceAccountLabels(saSelector, [...path, 'serviceAccounts', 'selector'], report);
      serviceAccounts = { ...(Array.isArray(names) ? { names: names as string[] } : {}), ...(saSelector ? { selector: saSelector } : {}) };
    }
  }

  let services: ServiceEndpoints | undefined;
  if (e.services !== undefined && e.services !== null) {
    const s = asRecord(e.services);
    const conflicting = ['selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'serviceAccounts'].filter((f) => e[f] !== undefined && e[f] !== null);
    if (!s || typeof s.name !== 'string' || s.name === '') {
      report('error', 'calico/invalid', 'services needs a name', [...path, 'services']);
      failed = true;
    } else if (conflicting.length > 0) {
      report('error', 'calico/invalid', `services cannot be combined with ${conflicting.join(', ')}`, [...path, 'services']);
      failed = true;
    } else {
      const serviceNamespace = typeof s.namespace === 'string' && s.namespace !== '' ? s.namespace : namespace;
      if (!serviceNamespace) {
        report('error', 'calico/invalid', 'services in a GlobalNetworkPolicy needs a namespace', [...path, 'services']);
        failed = true;
      } else {
        const found = context.services.find((svc) => svc.namespace === serviceNamespace && svc.name === s.name);
        if (!found) report('warning', 'calico/unknown-service', `Service ${serviceNamespace}/${s.name} is not in the input: the rule matches no pod`, [...path, 'services']);
        services = { namespace: serviceNamespace, name: s.name, ...(found?.selector ? { selector: found.selector } : {}), ports: found?.ports ?? [] };
      }
    }
  }

  const ports = compilePorts(e.ports, [...path, 'ports'], protocol, report);
  const notPorts = compilePorts(e.notPorts, [...path, 'notPorts'], protocol, report);
  if (ports === null || notPorts === null) failed = true;
  if (services && side === 'destination' && direction === 'egress' && (ports || notPorts)) {
    report('error', 'calico/invalid', 'ports and notPorts can be used with services only in ingress rules', [...path, 'services']);
    failed = true;
  }
  if (side === 'source' && (ports || notPorts)) {
    report('warning', 'calico/source-ports-not-evaluated',
      'source ports are not known for a connection (they are chosen by the client): netdiagram draws the rule\u2019s flows as partial', [...path, ports ? 'ports' : 'notPorts']);
  }
  if (failed) return undefined;

  const nsScope: NamespaceScope | undefined = namespaceSelector
    ? { kind: 'selector', selector: { kind: 'calico', selector: namespaceSelectorOf(namespaceSelector) } }
    : namespace ? { kind: 'name', name: namespace } : undefined;
  const selects = selector !== undefined || serviceAccounts !== undefined || (nsScope !== undefined && (notSelector !== undefined || namespaceSelector !== undefined));
  const endpoints: EndpointMatch | undefined = selects
    ? { namespace: nsScope ?? { kind: 'any' }, ...(selector ? { selector: { kind: 'calico', selector } } : {}), ...(serviceAccounts ? { serviceAccounts } : {}) }
    : undefined;
  return {
    ...(nets ? { nets: nets.ranges } : {}), ...(notNets ? { notNets: notNets.ranges } : {}),
    ...(endpoints ? { endpoints } : {}), ...(notSelector ? { notSelector } : {}),
    ...(ports ? { ports } : {}), ...(notPorts ? { notPorts } : {}), ...(services ? { services, ...(services.selector === undefined ? { notEvaluated: `service: ${services.namespace}/${services.name} (no pod known: not in the input, or no selector)` } : {}) } : {}),
  };
}

/**
 * A namespaceSelector as Calico rewrites it (rules.go): its labels are namespace labels, `all()`
 * means "any namespaced endpoint" and `global()` "a non-namespaced one" (GlobalNetworkSets).
 */
export function namespaceSelectorOf(selector: CalicoSelector): CalicoSelector {
  switch (selector.kind) {
    case 'all': return { kind: 'has', label: NAMESPACED_MARK };
    case 'global': return { kind: 'not', operand: { kind: 'has', label: NAMESPACED_MARK } };
    case 'not': return { kind: 'not', operand: namespaceSelectorOf(selector.operand) };
    case 'and':
    case 'or': return { kind: selector.kind, operands: selector.operands.map(namespaceSelectorOf) };
    default: return selector;
  }
}

/** ServiceAccount objects are not read: only `projectcalico.org/name` (the account's name) is known. */
function warnOfServiceAccountLabels(selector: CalicoSelector, path: FieldPath, report: Report): void {
  const labels = labelsOf(selector).filter((l) => l !== 'projectcalico.org/name');
  if (labels.length > 0) {
    report('warning', 'calico/service-account-labels',
      `the selector reads ServiceAccount labels (${[...new Set(labels)].sort().join(', ')}), which netdiagram does not read: every service account is taken to have none of them`, path);
  }
}

function labelsOf(selector: CalicoSelector): string[] {
  switch (selector.kind) {
    case 'has': case 'compare': case 'in': return [selector.label];
    case 'not': return labelsOf(selector.operand);
    case 'and': case 'or': return selector.operands.flatMap(labelsOf);
    default: return [];
  }
}

function compileNets(raw: unknown, path: FieldPath, report: Report, options: { negated: boolean; max: number }): { cidrs: string[]; ranges: AddressRange[] } | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    report('error', 'calico/invalid', 'a list of CIDRs is expected', path);
    return null;
  }
  if (raw.length > options.max) report('error', 'calico/invalid', `at most ${options.max} CIDRs are allowed`, path);
  const cidrs: string[] = [];
  const ranges: AddressRange[] = [];
  let failed = false;
  raw.forEach((text, i) => {
    const parsed = typeof text === 'string' ? parseCidr(text) : ({ ok: false, reason: 'not a string' } as const);
    if (!parsed.ok) {
      report('error', 'calico/invalid-cidr', `${JSON.stringify(text)} is not a valid CIDR: ${parsed.reason}`, [...path, i]);
      failed = true;
      return;
    }
    // validateRule: a catch-all in notNets matches no traffic, which the validator refuses
    if (options.negated && parsed.range.lo === 0n && (parsed.canonical === '0.0.0.0/0' || parsed.canonical === '::/0')) {
      report('error', 'calico/invalid-cidr', `${parsed.canonical} in notNets matches no traffic (a logical contradiction the API server refuses)`, [...path, i]);
      failed = true;
      return;
    }
    cidrs.push(parsed.canonical);
    ranges.push(parsed.range);
  });
  return failed ? null : { cidrs, ranges: normalizeRanges(ranges) };
}

/**
 * `ports`/`notPorts` (numorstring/port.go): a number, `"8000:9000"` (inclusive), or a port name.
 * Numbers and ranges need the rule's protocol, and a protocol with ports (validateRule); a name
 * alone matches the container port of that name whatever its protocol.
 */
function compilePorts(raw: unknown, path: FieldPath, protocol: ProtocolValue | undefined, report: Report): PortRule[] | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    report('error', 'calico/invalid', 'ports must be a list', path);
    return null;
  }
  if (raw.length > MAX_PORTS) report('error', 'calico/invalid', `at most ${MAX_PORTS} ports are allowed`, path);
  if (protocol && !protocol.supportsPorts) {
    report('error', 'calico/invalid', `protocol ${protocol.text} has no ports: only TCP, UDP and SCTP rules can list ports`, path);
    return null;
  }
  const protocols: readonly Protocol[] = protocol ? PROTOCOLS.filter((p) => protocol.ports[p].length > 0) : PROTOCOLS;
  const rules: PortRule[] = [];
  let failed = false;
  raw.forEach((item, i) => {
    const at = [...path, i];
    const text = typeof item === 'number' ? String(item) : typeof item === 'string' ? item : undefined;
    const range = text === undefined ? undefined : /^(\d+)(?::(\d+))?$/.exec(text);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2] ?? range[1]);
      if (lo > MAX_PORT || hi > MAX_PORT || !Number.isInteger(lo)) {
        report('error', 'calico/invalid', `port ${JSON.stringify(item)} is outside 0-65535`, at);
        failed = true;
      } else if (lo > hi) {
        report('error', 'calico/invalid', `port range ${text} starts after it ends`, at);
        failed = true;
      } else if (!protocol) {
        report('error', 'calico/invalid', `port ${JSON.stringify(item)} needs the rule's protocol (TCP, UDP or SCTP): only named ports can be used without one`, at);
        failed = true;
      } else {
        // port 0 is no port a connection uses
        const from = Math.max(lo, 1);
        if (from <= hi) for (const p of protocols) rules.push({ protocol: p, port: from, ...(hi !== from ? { endPort: hi } : {}) });
      }
      return;
    }
    if (text === undefined || !PORT_NAME.test(text)) {
      report('error', 'calico/invalid', `port ${JSON.stringify(item)} is neither a number, a range "from:to" nor a port name`, at);
      failed = true;
      return;
    }
    for (const p of protocols) rules.push({ protocol: p, port: text });
  });
  return failed ? null : rules;
}
