import { matchesSelector, type Labels, type Requirement, type Selector } from '../model/selectors.js';
import type { RepresentativePeer } from './peer.js';

import { NAMESPACE_NAME_LABEL } from '../model/labels.js';

/**
 * Whether every pod of `inner` belongs to `outer`, judged from the selectors alone (and the labels
 * of namespaces the input declares). Conservative: where it cannot tell, the answer is no, so a row
 * only ever gains the ports of rules that certainly admit all of its pods.
 */
export function peerContains(outer: RepresentativePeer, inner: RepresentativePeer, namespaceLabels: ReadonlyMap<string, Labels>): boolean {
  if (!selectorImplies(inner.podSelector, outer.podSelector)) return false;
  if ('namespace' in outer) {
    if ('namespace' in inner) return inner.namespace === outer.namespace;
    return selectorImplies(inner.namespaceSelector, { requirements: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [outer.namespace] }] });
  }
  if ('namespace' in inner) {
    const labels = namespaceLabels.get(inner.namespace) ?? { [NAMESPACE_NAME_LABEL]: inner.namespace };
    return matchesSelector(outer.namespaceSelector, labels);
  }
  return selectorImplies(inner.namespaceSelector, outer.namespaceSelector);
}

/** Whether every label set `inner` selects is selected by `outer`: each requirement of outer is forced by one of inner. */
export function selectorImplies(inner: Selector, outer: Selector): boolean {
  return outer.requirements.every((o) => inner.requirements.some((i) => i.key === o.key && requirementImplies(i, o)));
}

function requirementImplies(i: Requirement, o: Requirement): boolean {
  switch (o.operator) {
    case 'In':
      return i.operator === 'In' && i.values.every((v) => o.values.includes(v));
    case 'NotIn':
      return (i.operator === 'In' && i.values.every((v) => !o.values.includes(v)))
        || i.operator === 'DoesNotExist'
        || (i.operator === 'NotIn' && o.values.every((v) => i.values.includes(v)));
    case 'Exists':
      return i.operator === 'In' || i.operator === 'Exists';
    case 'DoesNotExist':
      return i.operator === 'DoesNotExist';
  }
}

/** Whether no label set can satisfy both selectors: some key is required with incompatible operators. */
export function selectorsDisjoint(a: Selector, b: Selector): boolean {
  return a.requirements.some((x) => b.requirements.some((y) => x.key === y.key && requirementsClash(x, y)));
}

function requirementsClash(x: Requirement, y: Requirement): boolean {
  const clash = (p: Requirement, q: Requirement) =>
    (p.operator === 'In' && q.operator === 'In' && !p.values.some((v) => q.values.includes(v)))
    || (p.operator === 'In' && q.operator === 'NotIn' && p.values.every((v) => q.values.includes(v)))
    || ((p.operator === 'In' || p.operator === 'Exists') && q.operator === 'DoesNotExist');
  return clash(x, y) || clash(y, x);
}
