/**
 * Object names, namespaces and port names that carry markup are refused on input (the API server
 * refuses them too), but the renderer and the output formats must still escape whatever a model
 * holds. Tests write a valid placeholder (`hx0x`) where such a name goes and swap the hostile text
 * into the parsed model, where no validation stands between it and the output.
 */
export function placeholder(index: number): string {
  return `hx${index}x`;
}

/** A deep copy of `value` with every placeholder in every string replaced by `texts[index]`. */
export function withHostileText<T>(value: T, texts: readonly string[]): T {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/hx(\d+)x/g, (token, i: string) => texts[Number(i)] ?? token);
    if (Array.isArray(v)) return v.map(swap);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [swap(k) as string, swap(x)]));
    return v;
  };
  return swap(value) as T;
}
