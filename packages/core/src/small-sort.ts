/**
 * `array.sort(compare)`, in place, for the short arrays the model sorts by the thousand (a pod's
 * ports, its labels' keys, its config references): V8's sort allocates a work array on every call,
 * and for 10,000 pods that was a tenth of the garbage the model made. Insertion sort is stable, as
 * Array.prototype.sort is, so equal elements keep their order and the result is the same.
 */
export function sortSmall<T>(array: T[], compare: (a: T, b: T) => number): T[] {
  if (array.length > SHORT) return array.sort(compare);
  for (let i = 1; i < array.length; i++) {
    const item = array[i]!;
    let j = i - 1;
    while (j >= 0 && compare(array[j]!, item) > 0) {
      array[j + 1] = array[j]!;
      j--;
    }
    array[j + 1] = item;
  }
  return array;
}

/** Beyond this length an insertion sort's n² comparisons cost more than the allocation saved. */
const SHORT = 12;

/** An object's own keys in the order `Object.keys(record).sort()` gives them (UTF-16 code units). */
export function sortedKeys(record: object): string[] {
  return sortSmall(Object.keys(record), byCodeUnits);
}

/** The order of Array.prototype.sort without a comparator, for strings. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
