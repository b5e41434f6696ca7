import type { Requirement, Selector } from '../model/selectors.js';
import { formatSelector, SELECT_ALL } from '../model/selectors.js';
import type { Peer } from '../model/types.js';

import { NAMESPACE_NAME_LABEL } from '../model/labels.js';

/**
 * A set of pods a policy rule admits, whether or not any pod of the input belongs to it: the pods of
 * one named namespace, or of the namespaces a selector chooses, that a pod selector chooses.
 * netpol-analyzer calls these representative peers.
 */
export type RepresentativePeer =
  | { readonly namespace: string; readonly podSelector: Selector }
  | { readonly namespaceSelector: Selector; readonly podSelector: Selector };

/** Every pod in every namespace: a rule without peers, or a direction no policy isolates. */
export const ENTIRE_CLUSTER: RepresentativePeer = { namespaceSelector: SELECT_ALL, podSelector: SELECT_ALL };

/**
 * The representative peer of a policy's pod peer: a podSelector alone means pods of the policy's own
 * namespace; a namespaceSelector that is exactly `kubernetes.io/metadata.name=X` (the label the API
 * server sets on every namespace) means the namespace X, since no other namespace can carry it.
 */
export function representativePeerOf(peer: Extract<Peer, { kind: 'pods' }>, policyNamespace: string): RepresentativePeer {
  const podSelector = canonicalSelector(peer.pods);
  if (peer.namespaces === undefined) return { namespace: policyNamespace, podSelector };
  const named = namespaceNamed(peer.namespaces);
  if (named !== undefined) return { namespace: named, podSelector };
  return { namespaceSelector: canonicalSelector(peer.namespaces), podSelector };
}

function namespaceNamed(selector: Selector): string | undefined {
  const [only, ...rest] = selector.requirements;
  if (only === undefined || rest.length > 0) return undefined;
  return only.key === NAMESPACE_NAME_LABEL && only.operator === 'In' && only.values.length === 1 ? only.values[0] : undefined;
}

/** Requirements sorted and deduplicated, values sorted, so that equal pod sets get equal keys. */
function canonicalSelector(selector: Selector): Selector {
  const seen = new Map<string, Requirement>();
  for (const r of selector.requirements) {
    const values = r.operator === 'In' || r.operator === 'NotIn' ? [...new Set(r.values)].sort() : [];
    const canonical = { key: r.key, operator: r.operator, values };
    seen.set(requirementKey(canonical), canonical);
  }
  return { requirements: [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r) };
}

function requirementKey(r: Requirement): string {
  return `${r.key}\u0000${r.operator}\u0000${r.values.join('\u0000')}`;
}

/** A canonical string for a peer, usable as a map key and for sorting. */
export function peerKey(peer: RepresentativePeer): string {
  const pods = peer.podSelector.requirements.map(requirementKey).join('\u0001');
  if ('namespace' in peer) return `n\u0002${peer.namespace}\u0002${pods}`;
  return `s\u0002${peer.namespaceSelector.requirements.map(requirementKey).join('\u0001')}\u0002${pods}`;
}

export function isEntireCluster(peer: RepresentativePeer): boolean {
  return 'namespaceSelector' in peer && peer.namespaceSelector.requirements.length === 0 && peer.podSelector.requirements.length === 0;
}

/**
 * The peer in netpol-analyzer's notation, with selectors in kubectl syntax: `entire-cluster`,
 * `backend/[all pods]`, `[namespace with {team=x}]/[pod with {app=y}]`, `[all namespaces]/[…]`.
 */
export function formatPeer(peer: RepresentativePeer): string {
  if (isEntireCluster(peer)) return 'entire-cluster';
  const pods = peer.podSelector.requirements.length === 0 ? '[all pods]' : `[pod with {${formatSelector(peer.podSelector)}}]`;
  if ('namespace' in peer) return `${peer.namespace}/${pods}`;
  const namespaces = peer.namespaceSelector.requirements.length === 0
    ? '[all namespaces]'
    : `[namespace with {${formatSelector(peer.namespaceSelector)}}]`;
  return `${namespaces}/${pods}`;
}

/** A Kubernetes LabelSelector in its JSON form; `{}` selects everything. */
export interface LabelSelectorJson {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export type RepresentativePeerJson =
  | { readonly namespace: string; readonly podSelector: LabelSelectorJson }
  | { readonly namespaceSelector: LabelSelectorJson; readonly podSelector: LabelSelectorJson };

/** `key In [v]` (what matchLabels compiles to) is written back as matchLabels. */
export function selectorToJson(selector: Selector): LabelSelectorJson {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: { key: string; operator: string; values?: string[] }[] = [];
  for (const r of selector.requirements) {
    if (r.operator === 'In' && r.values.length === 1 && !(r.key in matchLabels)) matchLabels[r.key] = r.values[0]!;
    else matchExpressions.push(r.operator === 'Exists' || r.operator === 'DoesNotExist'
      ? { key: r.key, operator: r.operator }
      : { key: r.key, operator: r.operator, values: [...r.values] });
  }
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

export function peerToJson(peer: RepresentativePeer): RepresentativePeerJson {
  return 'namespace' in peer
    ? { namespace: peer.namespace, podSelector: selectorToJson(peer.podSelector) }
    : { namespaceSelector: selectorToJson(peer.namespaceSelector), podSelector: selectorToJson(peer.podSelector) };
}
