import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import type { FieldPath } from '../manifests/parse.js';
import { isProtocol, MAX_PORT, portRange, unionAllPorts, ALL_PORTS, type PortSet } from '../model/ports.js';
import type { ContainerPort, PortRule, PortRules } from '../model/types.js';

/** An IANA service name, as Kubernetes requires for named ports: 1-15 chars, a letter, no leading/trailing/double '-'. */
export function isPortName(text: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--');
}

/** Compiles a rule's `ports` list; absent or empty means every port. */
export function compilePortRules(raw: unknown, path: FieldPath, locate: (path: FieldPath) => SourceLocation, diagnostics: Diagnostic[]): PortRules {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    diagnostics.push(diagnostic('error', 'k8s/invalid-field', 'ports must be a list', locate(path)));
    return [];
  }
  if (raw.length === 0) return undefined;
  const rules: PortRule[] = [];
  raw.forEach((item, i) => {
    const at = [...path, i];
    const entry = (item ?? {}) as { protocol?: unknown; port?: unknown; endPort?: unknown };
    const protocol = entry.protocol ?? 'TCP';
    if (!isProtocol(protocol)) {
      diagnostics.push(diagnostic('error', 'netpol/invalid-protocol', `protocol ${JSON.stringify(protocol)} must be TCP, UDP or SCTP`, locate([...at, 'protocol'])));
      return;
    }
    const port = entry.port;
    if (port === undefined || port === null) {
      if (entry.endPort !== undefined && entry.endPort !== null) {
        diagnostics.push(diagnostic('error', 'netpol/invalid-end-port', 'endPort needs a numeric port', locate([...at, 'endPort'])));
        return;
      }
      rules.push({ protocol });
      return;
    }
    if (typeof port === 'string') {
      // a quoted number is a string, so a port name, and port names need a letter: the API server rejects "80"
      if (!isPortName(port)) {
        const hint = /^\d+$/.test(port) ? ` (a quoted number is a port name; write ${port} without quotes)` : '';
        diagnostics.push(diagnostic('error', 'netpol/invalid-port', `port name "${port}" is not a valid port name${hint}`, locate([...at, 'port'])));
        return;
      }
      if (entry.endPort !== undefined && entry.endPort !== null) {
        diagnostics.push(diagnostic('error', 'netpol/invalid-end-port', `endPort cannot be used with the named port "${port}"`, locate([...at, 'endPort'])));
        return;
      }
      rules.push({ protocol, port });
      return;
    }
    if (typeof port !== 'number') {
      diagnostics.push(diagnostic('error', 'netpol/invalid-port', `port ${JSON.stringify(port)} must be a number or a name`, locate([...at, 'port'])));
      return;
    }
    const number = port;
    if (!Number.isInteger(number) || number < 1 || number > MAX_PORT) {
      diagnostics.push(diagnostic('error', 'netpol/invalid-port', `port ${JSON.stringify(port)} is outside 1-65535`, locate([...at, 'port'])));
      return;
    }
    if (entry.endPort === undefined || entry.endPort === null) {
      rules.push({ protocol, port: number });
      return;
    }
    const endPort = entry.endPort;
    if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < number || endPort > MAX_PORT) {
      diagnostics.push(diagnostic('error', 'netpol/invalid-end-port', `endPort ${JSON.stringify(endPort)} must be a port number from ${number} to 65535`, locate([...at, 'endPort'])));
      return;
    }
    rules.push({ protocol, port: number, endPort });
  });
  return rules;
}

/**
 * The ports a rule admits towards a destination pod. A named port resolves against the destination's
 * containerPorts (name and protocol must match) and matches nothing where the name is absent; with no
 * destination pod (an external address) a named port matches nothing.
 */
export function resolvePortRules(rules: PortRules, destinationPorts: readonly ContainerPort[] | undefined): PortSet {
  if (rules === undefined) return ALL_PORTS;
  const split = splitPortRules(rules);
  if (split.named.length === 0 || destinationPorts === undefined || destinationPorts.length === 0) return split.numbered;
  const cached = split.byDestination.get(destinationPorts);
  if (cached) return cached;
  const found: PortSet[] = [split.numbered];
  for (const rule of split.named) {
    for (const cp of destinationPorts) {
      if (cp.name === rule.port && cp.protocol === rule.protocol) found.push(portRange(cp.protocol, cp.port));
    }
  }
  const resolved = unionAllPorts(found);
  split.byDestination.set(destinationPorts, resolved);
  return resolved;
}

interface SplitPortRules {
  /** The ports of the entries with a number or no port, merged once. */
  readonly numbered: PortSet;
  /** The entries naming a port, resolved per destination. */
  readonly named: readonly (PortRule & { readonly port: string })[];
  /** The resolved sets by destination (its containerPorts list), as the same destination is asked again per peer. */
  readonly byDestination: WeakMap<readonly ContainerPort[], PortSet>;
}

// a rule's port list is judged once per pair: its numbered entries do not depend on the pair, so
// they are merged once per list, and its named entries once per destination's port list (compiled
// rules and workloads are immutable, so this memo cannot go stale; it is weak, so it holds nothing)
const splitCache = new WeakMap<readonly PortRule[], SplitPortRules>();

function splitPortRules(rules: readonly PortRule[]): SplitPortRules {
  const cached = splitCache.get(rules);
  if (cached) return cached;
  const numbered: PortSet[] = [];
  const named: (PortRule & { readonly port: string })[] = [];
  for (const rule of rules) {
    if (rule.port === undefined) numbered.push(portRange(rule.protocol, 1, MAX_PORT));
    else if (typeof rule.port === 'number') numbered.push(portRange(rule.protocol, rule.port, rule.endPort ?? rule.port));
    else named.push(rule as PortRule & { readonly port: string });
  }
  const split = { numbered: unionAllPorts(numbered), named, byDestination: new WeakMap<readonly ContainerPort[], PortSet>() };
  splitCache.set(rules, split);
  return split;
}
