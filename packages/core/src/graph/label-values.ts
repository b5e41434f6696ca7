import type { Labels } from '../model/selectors.js';

/**
 * Items by the value they carry for a label key, `find(key, value)`, each key indexed on its first
 * use: selectors read a few keys while items carry many labels, so indexing every label of every
 * item (a key string and a map entry each, 60,000 for 10,000 workloads) was mostly wasted.
 */
export function labelValues<T>(items: readonly T[], labelsOf: (item: T) => Labels): (key: string, value: string) => readonly T[] {
  const byKey = new Map<string, Map<string, T[]>>();
  return (key, value) => {
    let byValue = byKey.get(key);
    if (byValue === undefined) {
      byValue = new Map();
      for (const item of items) {
        const labels = labelsOf(item);
        // own labels only (`constructor` is a valid label key, and every object inherits one)
        if (!Object.hasOwn(labels, key)) continue;
        const v = labels[key]!;
        const list = byValue.get(v);
        if (list) list.push(item);
        else byValue.set(v, [item]);
      }
      byKey.set(key, byValue);
    }
    return byValue.get(value) ?? [];
  };
}
