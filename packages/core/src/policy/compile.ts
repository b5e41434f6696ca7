import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { KubeObject } from '../manifests/decode.js';
import type { FieldPath } from '../manifests/parse.js';
import { parseCidr, subtractRanges, containsRange, type AddressRange } from '../model/ipblock.js';
import { compileSelector, SELECT_ALL, type Selector } from '../model/selectors.js';
import type { NetworkPolicy, Peer, PolicyRule, PortRule, PortRules } from '../model/types.js';
import { compilePortRules } from './ports.js';

export interface CompiledPolicy {
  /** undefined when the policy is invalid; the API server would reject it, so it is left out. */
  readonly policy: NetworkPolicy | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

type Direction = 'ingress' | 'egress';

/**
 * Compiles a NetworkPolicy object into rule values.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export function compileNetworkPolicy(object: KubeObject, namespace: string, name: string): CompiledPolicy {
  const diagnostics: Diagnostic[] = [];
  const locate = object.locate;
  const spec = asRecord(object.value.spec) ?? {};
  const id = `${namespace}/${name}`;

  const podSelector = compileSelector(spec.podSelector, ['spec', 'podSelector'], locate);
  diagnostics.push(...podSelector.diagnostics);

  const types = compilePolicyTypes(spec.policyTypes, locate, diagnostics);
  const ingress = compileRules(spec.ingress, 'ingress', id, locate, diagnostics);
  const egress = compileRules(spec.egress, 'egress', id, locate, diagnostics);

  // no policyTypes ⇒ Ingress, plus Egress iff the policy has egress rules
  const ingressIsolation = types ? types.has('Ingress') : true;
  const egressIsolation = types ? types.has('Egress') : egress.length > 0;

  if (diagnostics.some((d) => d.severity === 'error') || podSelector.selector === undefined) {
    return { policy: undefined, diagnostics };
  }
  return {
    policy: {
      id, namespace, name,
      podSelector: podSelector.selector,
      ingressIsolation, egressIsolation,
      // rules of a direction the policy does not isolate have no effect (Kubernetes ignores them)
      ingress: ingressIsolation ? ingress : [],
      egress: egressIsolation ? egress : [],
      location: locate([]),
      ...identityOf(object.value.metadata),
    },
    diagnostics,
  };
}

function compilePolicyTypes(
  raw: unknown,
  locate: (path: FieldPath) => import('../diagnostics.js').SourceLocation,
  diagnostics: Diagnostic[],
): Set<string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    diagnostics.push(diagnostic('error', 'k8s/invalid-field', 'policyTypes must be a list', locate(['spec', 'policyTypes'])));
    return undefined;
  }
  if (raw.length === 0) return undefined; // the API server defaults an empty list like an absent one
  const types = new Set<string>();
  raw.forEach((t, i) => {
    if (t === 'Ingress' || t === 'Egress') types.add(t);
    else diagnostics.push(diagnostic('error', 'netpol/invalid-policy-type',
      `policyTypes entry ${JSON.stringify(t)} must be "Ingress" or "Egress"`, locate(['spec', 'policyTypes', i])));
  });
  return types;
}

function compileRules(
  raw: unknown,
  direction: Direction,
  policyId: string,
  locate: (path: FieldPath) => import('../diagnostics.js').SourceLocation,
  diagnostics: Diagnostic[],
): PolicyRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    diagnostics.push(diagnostic('error', 'k8s/invalid-field', `${direction} must be a list of rules`, locate(['spec', direction])));
    return [];
  }
  const peerField = direction === 'ingress' ? 'from' : 'to';
  return raw.map((item, index): PolicyRule => {
    const at: FieldPath = ['spec', direction, index];
    const rule = asRecord(item) ?? {};
    if (item !== null && item !== undefined && !asRecord(item)) {
      diagnostics.push(diagnostic('error', 'k8s/invalid-field', `${direction} rule must be an object`, locate(at)));
    }
    const peers = compilePeers(rule[peerField], [...at, peerField], locate, diagnostics);
    const ports: PortRules = compilePortRules(rule.ports, [...at, 'ports'], locate, diagnostics);
    return { ref: `netpol:${policyId}#${direction}[${index}]`, peers, ports, location: locate(at) };
  });
}

function compilePeers(
  raw: unknown,
  path: FieldPath,
  locate: (path: FieldPath) => import('../diagnostics.js').SourceLocation,
  diagnostics: Diagnostic[],
): Peer[] | undefined {
  // from/to absent or empty: the rule matches every peer
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    diagnostics.push(diagnostic('error', 'k8s/invalid-field', `${String(path[path.length - 1])} must be a list of peers`, locate(path)));
    return [];
  }
  if (raw.length === 0) return undefined;
  const peers: Peer[] = [];
  raw.forEach((item, i) => {
    const at = [...path, i];
    const peer = asRecord(item);
    if (!peer) {
      diagnostics.push(diagnostic('error', 'netpol/empty-peer', 'a peer must be an object with podSelector, namespaceSelector or ipBlock', locate(at)));
      return;
    }
    const hasPods = peer.podSelector !== undefined && peer.podSelector !== null;
    const hasNamespaces = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
    const hasIpBlock = peer.ipBlock !== undefined && peer.ipBlock !== null;
    if (hasIpBlock && (hasPods || hasNamespaces)) {
      diagnostics.push(diagnostic('error', 'netpol/ipblock-with-selector',
        'ipBlock cannot be combined with podSelector or namespaceSelector in one peer', locate([...at, 'ipBlock'])));
      return;
    }
    if (hasIpBlock) {
      const block = compileIpBlock(peer.ipBlock, [...at, 'ipBlock'], locate, diagnostics);
      if (block) peers.push(block);
      return;
    }
    if (!hasPods && !hasNamespaces) {
      diagnostics.push(diagnostic('error', 'netpol/empty-peer', 'a peer needs podSelector, namespaceSelector or ipBlock', locate(at)));
      return;
    }
    const pods = hasPods ? compileSelector(peer.podSelector, [...at, 'podSelector'], locate) : undefined;
    const namespaces = hasNamespaces ? compileSelector(peer.namespaceSelector, [...at, 'namespaceSelector'], locate) : undefined;
    diagnostics.push(...(pods?.diagnostics ?? []), ...(namespaces?.diagnostics ?? []));
    if ((pods && !pods.selector) || (namespaces && !namespaces.selector)) return;
    // podSelector alone: pods in the policy's namespace; namespaceSelector alone: every pod there
    peers.push({ kind: 'pods', namespaces: namespaces?.selector as Selector | undefined, pods: pods?.selector ?? SELECT_ALL });
  });
  return peers;
}

function compileIpBlock(
  raw: unknown,
  path: FieldPath,
  locate: (path: FieldPath) => import('../diagnostics.js').SourceLocation,
  diagnostics: Diagnostic[],
): Peer | undefined {
  const block = asRecord(raw);
  if (!block || typeof block.cidr !== 'string') {
    diagnostics.push(diagnostic('error', 'netpol/invalid-cidr', 'ipBlock needs a cidr', locate(path)));
    return undefined;
  }
  const cidr = parseCidr(block.cidr);
  if (!cidr.ok) {
    diagnostics.push(diagnostic('error', 'netpol/invalid-cidr', `"${block.cidr}" is not a valid CIDR: ${cidr.reason}`, locate([...path, 'cidr'])));
    return undefined;
  }
  if (cidr.hostBitsSet) {
    diagnostics.push(diagnostic('warning', 'netpol/cidr-host-bits',
      `"${block.cidr}" has host bits set; it is read as ${cidr.canonical}`, locate([...path, 'cidr'])));
  }
  const except: string[] = [];
  const cut: AddressRange[] = [];
  const rawExcept = block.except ?? [];
  if (!Array.isArray(rawExcept)) {
    diagnostics.push(diagnostic('error', 'k8s/invalid-field', 'except must be a list of CIDRs', locate([...path, 'except'])));
    return undefined;
  }
  let ok = true;
  rawExcept.forEach((text, i) => {
    const at = [...path, 'except', i];
    const parsed = typeof text === 'string' ? parseCidr(text) : ({ ok: false, reason: 'not a string' } as const);
    if (!parsed.ok) {
      diagnostics.push(diagnostic('error', 'netpol/invalid-cidr', `except ${JSON.stringify(text)} is not a valid CIDR: ${parsed.reason}`, locate(at)));
      ok = false;
      return;
    }
    if (parsed.hostBitsSet) {
      diagnostics.push(diagnostic('warning', 'netpol/cidr-host-bits', `${JSON.stringify(text)} has host bits set; it is read as ${parsed.canonical}`, locate(at)));
    }
    // the API server wants a strict subset: an except equal to the cidr is rejected too
    if (!containsRange(cidr.range, parsed.range) || (parsed.range.lo === cidr.range.lo && parsed.range.hi === cidr.range.hi)) {
      diagnostics.push(diagnostic('error', 'netpol/except-outside-cidr', `except ${parsed.canonical} is not strictly inside cidr ${cidr.canonical}`, locate(at)));
      ok = false;
      return;
    }
    except.push(parsed.canonical);
    cut.push(parsed.range);
  });
  if (!ok) return undefined;
  return { kind: 'ipblock', cidr: cidr.canonical, except: [...new Set(except)].sort(), ranges: subtractRanges([cidr.range], cut) };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export type { PortRule };

/** `metadata.uid` and `metadata.resourceVersion` when present: what the scoping record names a control by. */
export function identityOf(metadata: unknown): { identity?: { uid?: string; resourceVersion?: string } } {
  const m = asRecord(metadata);
  const uid = typeof m?.uid === 'string' && m.uid !== '' ? m.uid : undefined;
  const resourceVersion = typeof m?.resourceVersion === 'string' && m.resourceVersion !== '' ? m.resourceVersion : undefined;
  if (uid === undefined && resourceVersion === undefined) return {};
  return { identity: { ...(uid !== undefined ? { uid } : {}), ...(resourceVersion !== undefined ? { resourceVersion } : {}) } };
}
