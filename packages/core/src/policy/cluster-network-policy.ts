import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import type { KubeObject } from '../manifests/decode.js';
import type { FieldPath } from '../manifests/parse.js';
import { ALL_ADDRESSES, parseCidr, type AddressRange } from '../model/ipblock.js';
import { MAX_PORT, PROTOCOLS, isProtocol, type Protocol } from '../model/ports.js';
import { compileSelector, SELECT_ALL, type Selector } from '../model/selectors.js';
import type { ClusterPeer, ClusterPolicy, ClusterRule, ClusterTier, NamespacedPods, PortRule, RuleAction } from '../model/types.js';
import { asRecord, identityOf } from './compile.js';
import { isPortName } from './ports.js';

/**
 * Compiles the network-policy-api's cluster-wide policies into the tiered rule model:
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) and its predecessors AdminNetworkPolicy
 * and BaselineAdminNetworkPolicy (v1alpha1). Validation follows the CRDs' OpenAPI schemas and CEL
 * rules (sigs.k8s.io/network-policy-api apis/v1alpha2 and apis/v1alpha1 at 0eec1b0): the API server
 * refuses a policy that breaks them, so such a policy is reported and left out, never half-read.
 */
export interface CompiledClusterPolicy {
  readonly policy: ClusterPolicy | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

type Kind = ClusterPolicy['kind'];
type Direction = 'ingress' | 'egress';
type Locate = (path: FieldPath) => SourceLocation;
type Invalid = (message: string, path: FieldPath) => void;

interface Dialect {
  readonly prefix: 'cnp' | 'anp' | 'banp';
  /** Actions as the API spells them, and what each one means. */
  readonly actions: ReadonlyMap<string, RuleAction>;
  readonly maxRules: number;
  readonly maxPeers: number;
  /** Where a rule's ports are: `protocols` (v1alpha2) or `ports` (v1alpha1). */
  readonly portsField: 'protocols' | 'ports';
  readonly egressPeers: readonly string[];
  /** v1alpha1's NamespacedPod has both selectors required; v1alpha2 defaults namespaceSelector to every namespace. */
  readonly namespaceSelectorRequired: boolean;
}

const DIALECTS: ReadonlyMap<Kind, Dialect> = new Map<Kind, Dialect>([
  ['ClusterNetworkPolicy', {
    prefix: 'cnp', actions: new Map([['Accept', 'allow'], ['Deny', 'deny'], ['Pass', 'pass']]), maxRules: 25, maxPeers: 25,
    portsField: 'protocols', egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'], namespaceSelectorRequired: false,
  }],
  ['AdminNetworkPolicy', {
    prefix: 'anp', actions: new Map([['Allow', 'allow'], ['Deny', 'deny'], ['Pass', 'pass']]), maxRules: 100, maxPeers: 100,
    portsField: 'ports', egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'], namespaceSelectorRequired: true,
  }],
  ['BaselineAdminNetworkPolicy', {
    prefix: 'banp', actions: new Map([['Allow', 'allow'], ['Deny', 'deny']]), maxRules: 100, maxPeers: 100,
    portsField: 'ports', egressPeers: ['namespaces', 'pods', 'nodes', 'networks'], namespaceSelectorRequired: true,
  }],
]);

const MAX_PRIORITY = 1000;
/** Every peer field of either API version: a peer with none of them comes from another version. */
const PEER_FIELDS: readonly string[] = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
/** What a Deny or Pass with an unknown peer matches: every pod, and every address for egress. */
const EVERY_PEER = (direction: Direction): ClusterPeer[] => [
  { kind: 'pods', namespaces: SELECT_ALL, pods: SELECT_ALL },
  ...(direction === 'egress' ? [{ kind: 'networks' as const, cidrs: ['0.0.0.0/0', '::/0'], ranges: ALL_ADDRESSES }] : []),
];
const MAX_NETWORKS = 25;
const MAX_RULE_NAME = 100;
/** The CRD's DomainName pattern (a `*.` prefix matches one or more whole labels). */
const DOMAIN_NAME = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

export function isClusterPolicyKind(kind: string): kind is Kind {
  return DIALECTS.has(kind as Kind);
}

export function compileClusterPolicy(object: KubeObject, name: string): CompiledClusterPolicy {
  const kind = object.kind as Kind;
  const dialect = DIALECTS.get(kind)!;
  const diagnostics: Diagnostic[] = [];
  const locate = object.locate;
  const invalid = (message: string, path: FieldPath) => diagnostics.push(diagnostic('error', 'cnp/invalid', `${kind} ${name}: ${message}`, locate(path)));
  const spec = asRecord(object.value.spec);
  if (!spec) {
    invalid('spec is required', []);
    return { policy: undefined, diagnostics };
  }

  let tier: ClusterTier = kind === 'AdminNetworkPolicy' ? 'admin' : 'baseline';
  if (kind === 'ClusterNetworkPolicy') {
    if (spec.tier === 'Admin') tier = 'admin';
    else if (spec.tier === 'Baseline') tier = 'baseline';
    else invalid(spec.tier === undefined ? 'spec.tier is required ("Admin" or "Baseline")' : `tier ${JSON.stringify(spec.tier)} must be "Admin" or "Baseline"`, spec.tier === undefined ? ['spec'] : ['spec', 'tier']);
  }
  let priority = 0;
  if (kind === 'BaselineAdminNetworkPolicy') {
    // a singleton: the CRD's CEL rule is self.metadata.name == 'default'
    if (name !== 'default') invalid('a BaselineAdminNetworkPolicy must be named "default" (there is one per cluster)', ['metadata', 'name']);
  } else if (typeof spec.priority !== 'number' || !Number.isInteger(spec.priority) || spec.priority < 0 || spec.priority > MAX_PRIORITY) {
    invalid(spec.priority === undefined ? 'spec.priority is required (0-1000)' : `priority ${JSON.stringify(spec.priority)} must be an integer from 0 to 1000`, spec.priority === undefined ? ['spec'] : ['spec', 'priority']);
  } else priority = spec.priority;

  const subject = compileSubject(spec.subject, dialect, locate, invalid, diagnostics);
  const rules = (direction: Direction) => compileRules(spec[direction], direction, `${dialect.prefix}:${name}`, dialect, locate, invalid, diagnostics);
  const ingress = rules('ingress');
  const egress = rules('egress');

  if (diagnostics.some((d) => d.severity === 'error') || !subject) return { policy: undefined, diagnostics };
  return {
    policy: {
      id: `${dialect.prefix}:${name}`, kind, name, tier, priority,
      subject,
      ingress, egress, location: locate([]),
      ...identityOf(object.value.metadata),
    },
    diagnostics,
  };
}

function compileRules(
  raw: unknown, direction: Direction, policyId: string, dialect: Dialect, locate: Locate,
  invalid: Invalid, diagnostics: Diagnostic[],
): ClusterRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    invalid(`${direction} must be a list of rules`, ['spec', direction]);
    return [];
  }
  if (raw.length > dialect.maxRules) invalid(`${direction} has ${raw.length} rules; at most ${dialect.maxRules} are allowed`, ['spec', direction]);
  const peerField = direction === 'ingress' ? 'from' : 'to';
  const allowedPeers = direction === 'ingress' ? ['namespaces', 'pods'] : dialect.egressPeers;
  const rules: ClusterRule[] = [];
  raw.forEach((item, index) => {
    const at: FieldPath = ['spec', direction, index];
    const rule = asRecord(item);
    if (!rule) {
      invalid(`${direction} rule must be an object`, at);
      return;
    }
    if (rule.name !== undefined && (typeof rule.name !== 'string' || rule.name.length > MAX_RULE_NAME)) invalid('a rule name is a string of at most 100 characters', [...at, 'name']);
    const action = typeof rule.action === 'string' ? dialect.actions.get(rule.action) : undefined;
    if (!action) {
      const allowed = [...dialect.actions.keys()].map((a) => JSON.stringify(a)).join(', ');
      invalid(rule.action === undefined ? `action is required (${allowed})` : `action ${JSON.stringify(rule.action)} must be one of ${allowed}`, rule.action === undefined ? at : [...at, 'action']);
    }
    const rawPeers = rule[peerField];
    const peers: ClusterPeer[] = [];
    if (!Array.isArray(rawPeers) || rawPeers.length === 0) {
      invalid(`${peerField} is required and must list at least one peer`, rawPeers === undefined ? at : [...at, peerField]);
    } else {
      if (rawPeers.length > dialect.maxPeers) invalid(`${peerField} has ${rawPeers.length} peers; at most ${dialect.maxPeers} are allowed`, [...at, peerField]);
      rawPeers.forEach((p, i) => {
        const record = asRecord(p);
        const set = record ? Object.keys(record).filter((k) => record[k] !== undefined && record[k] !== null) : [];
        if (set.length > 0 && !set.some((k) => PEER_FIELDS.includes(k))) {
          // a peer of a newer API version (kept by --lenient): "it should fail closed. For Accept rules
          // … treat the rule as matching no traffic. For Deny and Pass rules … as a 'Deny all' rule"
          diagnostics.push(diagnostic('warning', 'cnp/unknown-peer',
            `a peer with only fields netdiagram does not know (${set.join(', ')}) fails closed, as the API says: ${action === 'allow' ? 'it matches nothing' : 'it matches every pod and address'}`,
            locate([...at, peerField, i])));
          if (action && action !== 'allow') peers.push(...EVERY_PEER(direction));
          return;
        }
        const peer = compilePeer(p, [...at, peerField, i], allowedPeers, dialect, locate, invalid, diagnostics);
        if (peer) peers.push(peer);
      });
    }
    if (action && action !== 'allow' && peers.some((p) => p.kind === 'domains')) {
      // the doc comment says so ("DomainNames is only supported for Accept rules"), no CRD rule enforces it
      diagnostics.push(diagnostic('warning', 'cnp/domains-not-resolved',
        `domainNames is only supported in Accept rules; what a network plugin does with this ${action === 'deny' ? 'Deny' : 'Pass'} is not defined, and netdiagram matches it to nothing`, locate([...at, peerField])));
    }
    const portsPath: FieldPath = [...at, dialect.portsField];
    const ports = dialect.portsField === 'protocols'
      ? compileProtocols(rule.protocols, portsPath, invalid)
      : compileAnpPorts(rule.ports, portsPath, invalid, locate, diagnostics);
    if (ports?.some((p) => typeof p.port === 'string') && peers.some((p) => p.kind !== 'pods')) {
      invalid('a named port cannot be used with networks, nodes or domainNames peers (they have no named ports)', portsPath);
    }
    if (!action) return;
    const ruleName = typeof rule.name === 'string' && rule.name !== '' ? rule.name : undefined;
    rules.push({ ref: `${policyId}#${direction}[${index}]`, ...(ruleName ? { name: ruleName } : {}), action, peers, ports, location: locate(at) });
  });
  return rules;
}

/** The one field a subject, peer or port entry sets (the API refuses none or several), or undefined after an error. */
function onlyField(raw: unknown, path: FieldPath, what: string, fields: readonly string[], invalid: Invalid): string | undefined {
  const record = asRecord(raw);
  const set = record ? Object.keys(record).filter((k) => record[k] !== undefined && record[k] !== null) : [];
  if (!record || set.length !== 1) {
    // an unknown or empty peer means another CRD version; the API says to fail closed, and the API server refuses it
    invalid(`${what} must set exactly one of ${fields.join(', ')}${set.length > 1 ? ` (it sets ${set.join(' and ')})` : ''}`, path);
    return undefined;
  }
  if (!fields.includes(set[0]!)) {
    invalid(`${what} cannot use ${set[0]} (it takes ${fields.join(', ')})`, [...path, set[0]!]);
    return undefined;
  }
  return set[0];
}

/** A `namespaces` selector (every pod of those namespaces) or a `pods` NamespacedPod. */
function compilePods(record: Record<string, unknown>, field: 'namespaces' | 'pods', path: FieldPath, dialect: Dialect, locate: Locate, invalid: Invalid, diagnostics: Diagnostic[]): NamespacedPods | undefined {
  const selector = (value: unknown, at: FieldPath): Selector | undefined => {
    const compiled = compileSelector(value ?? {}, at, locate);
    diagnostics.push(...compiled.diagnostics);
    return compiled.selector;
  };
  if (field === 'namespaces') {
    const namespaces = selector(record.namespaces, [...path, 'namespaces']);
    return namespaces && { namespaces, pods: SELECT_ALL };
  }
  const pods = asRecord(record.pods);
  if (!pods || pods.podSelector === undefined || pods.podSelector === null) {
    invalid('pods needs a podSelector ({} selects every pod)', [...path, 'pods']);
    return undefined;
  }
  if (dialect.namespaceSelectorRequired && (pods.namespaceSelector === undefined || pods.namespaceSelector === null)) {
    invalid('pods needs a namespaceSelector ({} selects every namespace)', [...path, 'pods']);
    return undefined;
  }
  const namespaces = selector(pods.namespaceSelector, [...path, 'pods', 'namespaceSelector']);
  const podSelector = selector(pods.podSelector, [...path, 'pods', 'podSelector']);
  return namespaces && podSelector && { namespaces, pods: podSelector };
}

function compileSubject(raw: unknown, dialect: Dialect, locate: Locate, invalid: Invalid, diagnostics: Diagnostic[]): NamespacedPods | undefined {
  const path: FieldPath = ['spec', 'subject'];
  const field = onlyField(raw, path, 'subject', ['namespaces', 'pods'], invalid);
  return field ? compilePods(asRecord(raw)!, field as 'namespaces' | 'pods', path, dialect, locate, invalid, diagnostics) : undefined;
}

function compilePeer(raw: unknown, path: FieldPath, fields: readonly string[], dialect: Dialect, locate: Locate, invalid: Invalid, diagnostics: Diagnostic[]): ClusterPeer | undefined {
  const field = onlyField(raw, path, 'a peer', fields, invalid);
  if (!field) return undefined;
  const record = asRecord(raw)!;
  if (field === 'namespaces' || field === 'pods') {
    const pods = compilePods(record, field, path, dialect, locate, invalid, diagnostics);
    return pods && { kind: 'pods', ...pods };
  }
  const at = [...path, field];
  if (field === 'nodes') {
    const compiled = compileSelector(record.nodes, at, locate);
    diagnostics.push(...compiled.diagnostics);
    if (!compiled.selector) return undefined;
    diagnostics.push(diagnostic('warning', 'cnp/nodes-not-resolved',
      'a nodes peer selects node IPs, and nodes are not in the input: traffic to node addresses is shown as if this peer did not exist', locate(at)));
    return { kind: 'nodes', nodes: compiled.selector };
  }
  const items = record[field!];
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_NETWORKS) {
    invalid(`${field} must list 1 to ${MAX_NETWORKS} entries`, at);
    return undefined;
  }
  if (new Set(items).size !== items.length) invalid(`${field} lists an entry twice (it is a set)`, at);
  if (field === 'networks') {
    const cidrs: string[] = [];
    const ranges: AddressRange[] = [];
    items.forEach((text, i) => {
      const parsed = typeof text === 'string' && text.length <= 43 ? parseCidr(text) : ({ ok: false, reason: 'not a CIDR string of at most 43 characters' } as const);
      if (!parsed.ok) {
        diagnostics.push(diagnostic('error', 'cnp/invalid-cidr', `${JSON.stringify(text)} is not a valid CIDR: ${parsed.reason}`, locate([...at, i])));
        return;
      }
      cidrs.push(parsed.canonical);
      ranges.push(parsed.range);
    });
    return { kind: 'networks', cidrs: [...new Set(cidrs)].sort(), ranges };
  }
  // domainNames
  items.forEach((text, i) => {
    if (typeof text !== 'string' || !DOMAIN_NAME.test(text)) invalid(`${JSON.stringify(text)} is not a domain name (an exact name, or *. and a name)`, [...at, i]);
  });
  diagnostics.push(diagnostic('warning', 'cnp/domains-not-resolved',
    `domainNames peers (${items.map(String).join(', ')}) are not resolved to addresses: an Accept to them is drawn to its own destination (DNS names …), and a rule on addresses that may lie behind them makes that flow partial`, locate(at)));
  return { kind: 'domains', names: [...new Set(items.map(String))].sort() };
}

/** v1alpha2 `protocols`: absent means every protocol and port; each entry sets exactly one protocol or a named port. */
function compileProtocols(raw: unknown, path: FieldPath, invalid: Invalid): PortRule[] | undefined {
  return compilePortEntries(raw, path, invalid, { name: 'protocols', max: 25, all: 'every protocol and port', fields: 'tcp, udp, sctp, destinationNamedPort' }, (entry, field, at, rules) => {
    if (field === 'destinationNamedPort') {
      rules.push(...namedPortRules(entry.destinationNamedPort, [...at, field], invalid));
      return;
    }
    const protocol = field.toUpperCase();
    if (!isProtocol(protocol) || field !== field.toLowerCase()) {
      invalid(`unknown protocol ${JSON.stringify(field)} (tcp, udp, sctp or destinationNamedPort)`, [...at, field]);
      return;
    }
    const destination = asRecord(asRecord(entry[field])?.destinationPort);
    if (!destination) {
      // MinProperties=1: `tcp: {}` is refused; every port of a protocol is the range 1-65535
      invalid(`${field} needs a destinationPort (for every ${protocol} port, write range: {start: 1, end: 65535})`, [...at, field]);
      return;
    }
    const keys = Object.keys(destination).filter((k) => destination[k] !== undefined && destination[k] !== null);
    if (keys.length !== 1) {
      invalid('destinationPort must set exactly one of number, range', [...at, field, 'destinationPort']);
      return;
    }
    if (keys[0] === 'number') {
      const port = destination.number;
      if (!isPort(port)) invalid(`port ${JSON.stringify(port)} must be a number from 1 to 65535`, [...at, field, 'destinationPort', 'number']);
      else rules.push({ protocol, port });
      return;
    }
    const range = asRecord(destination.range);
    const found = range && portRangeOf(range.start, range.end);
    if (typeof found === 'string' || !found) invalid(found ?? 'range needs start and end', [...at, field, 'destinationPort', 'range']);
    else rules.push({ protocol, port: found.start, endPort: found.end });
  });
}

/** v1alpha1 `ports`: absent means every port; each entry is one of portNumber, portRange, namedPort. */
function compileAnpPorts(raw: unknown, path: FieldPath, invalid: Invalid, locate: Locate, diagnostics: Diagnostic[]): PortRule[] | undefined {
  return compilePortEntries(raw, path, invalid, { name: 'ports', max: 100, all: 'every port', fields: 'portNumber, portRange, namedPort' }, (entry, field, at, rules) => {
    if (field === 'namedPort') {
      rules.push(...namedPortRules(entry.namedPort, [...at, field], invalid));
      return;
    }
    const value = asRecord(entry[field]);
    if (!value || (field !== 'portNumber' && field !== 'portRange')) {
      invalid(`unknown ports entry ${JSON.stringify(field)} (portNumber, portRange or namedPort)`, [...at, field]);
      return;
    }
    // protocol defaults to TCP (+kubebuilder:default=TCP)
    const protocol = value.protocol ?? 'TCP';
    if (!isProtocol(protocol)) {
      // v1alpha1's CRD takes any string here; what a plugin makes of another one is unknown: refuse to guess
      invalid(`protocol ${JSON.stringify(protocol)} is not TCP, UDP or SCTP: the API server accepts it, but what a network plugin makes of it is not defined, so netdiagram cannot evaluate the policy`, [...at, field, 'protocol']);
      return;
    }
    if (field === 'portNumber') {
      if (!isPort(value.port)) invalid(`port ${JSON.stringify(value.port)} must be a number from 1 to 65535`, [...at, field, 'port']);
      else rules.push({ protocol, port: value.port });
      return;
    }
    // v1alpha1's CRD bounds start and end but does not order them (v1alpha2 adds start < end)
    if (!isPort(value.start) || !isPort(value.end)) invalid(`a port range needs start and end from 1 to 65535 (got ${JSON.stringify(value.start)}-${JSON.stringify(value.end)})`, [...at, field]);
    else if (value.start > value.end) {
      diagnostics.push(diagnostic('warning', 'cnp/empty-port-range', `port range ${value.start}-${value.end} starts after it ends: it matches no port`, locate([...at, field])));
    } else rules.push({ protocol, port: value.start, endPort: value.end });
  });
}

/**
 * A port list of either version: absent means everything; present, 1 to `max` entries, each setting
 * exactly one field, which `each` reads into rules.
 */
function compilePortEntries(
  raw: unknown, path: FieldPath, invalid: Invalid,
  list: { readonly name: string; readonly max: number; readonly all: string; readonly fields: string },
  each: (entry: Record<string, unknown>, field: string, at: FieldPath, rules: PortRule[]) => void,
): PortRule[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > list.max) {
    invalid(`${list.name} must list 1 to ${list.max} entries (leave it out to match ${list.all})`, path);
    return [];
  }
  const rules: PortRule[] = [];
  raw.forEach((item, i) => {
    const at = [...path, i];
    const entry = asRecord(item);
    const set = entry ? Object.keys(entry).filter((k) => entry[k] !== undefined && entry[k] !== null) : [];
    if (!entry || set.length !== 1) invalid(`a ${list.name} entry must set exactly one of ${list.fields}`, at);
    else each(entry, set[0]!, at, rules);
  });
  return rules;
}

/** A named port carries no protocol: it is the container port of that name, whatever its protocol. */
function namedPortRules(name: unknown, path: FieldPath, invalid: Invalid): PortRule[] {
  if (typeof name !== 'string' || !isPortName(name)) {
    invalid(`${JSON.stringify(name)} is not a valid port name`, path);
    return [];
  }
  return PROTOCOLS.map((protocol: Protocol) => ({ protocol, port: name }));
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PORT;
}

/** v1alpha2's CEL rule: `self.start < self.end`. */
function portRangeOf(start: unknown, end: unknown): { start: number; end: number } | string {
  if (!isPort(start) || !isPort(end)) return `a port range needs start and end from 1 to 65535 (got ${JSON.stringify(start)}-${JSON.stringify(end)})`;
  if (start >= end) return `start port ${start} must be less than end port ${end}${start === end ? ' (write one port as a number)' : ''}`;
  return { start, end };
}

