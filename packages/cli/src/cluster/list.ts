import type { ServedResource } from './discovery.js';
import type { ApiGet } from './request.js';

/** How many objects one list request asks for (kubectl's default chunk size). */
export const PAGE_SIZE = 500;

/** A server that keeps sending empty pages with a continue token is not followed for ever. */
const MAX_EMPTY_PAGES = 100;

export type Listed =
  | { readonly kind: 'ok'; readonly items: readonly Record<string, unknown>[]; readonly bytes: number }
  | { readonly kind: 'refused'; readonly reason: string };

export interface ListOptions {
  /** Only this namespace's objects (for a namespaced resource). */
  readonly namespace?: string;
  /** Bytes the answers may take together: past it the list stops (TooLarge from the request). */
  readonly maxBytes: number;
  /** Called after each page with the objects read so far. */
  readonly onPage?: (count: number) => void;
}

/**
 * Lists every object of a resource, page by page (`limit` and `continue`), as the API server
 * paginates large lists. Items of a list carry no kind or apiVersion: each gets its resource's.
 */
export async function listResource(get: ApiGet, resource: ServedResource, options: ListOptions): Promise<Listed> {
  const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${apiVersion}`;
  const scope = resource.namespaced && options.namespace !== undefined ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
  const items: Record<string, unknown>[] = [];
  let bytes = 0;
  let token: string | undefined;
  let emptyPages = 0;
  do {
    const query = `limit=${PAGE_SIZE}${token !== undefined ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const answer = await get(`${base}${scope}/${resource.plural}?${query}`, { maxBytes: options.maxBytes - bytes });
    if (answer.kind !== 'ok') {
      // 410 Gone: the continue token expired (the list changed for too long between pages)
      return { kind: 'refused', reason: answer.status === 410 ? `${answer.reason}; the list expired between pages: run again` : answer.reason };
    }
    bytes += answer.bytes;
    const body = answer.body as { items?: unknown; metadata?: { continue?: unknown } };
    for (const item of Array.isArray(body.items) ? body.items : []) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      // the resource decides what an item is, whatever the item says of itself
      const { apiVersion: _apiVersion, kind: _kind, ...rest } = item as Record<string, unknown>;
      items.push({ apiVersion, kind: resource.kind, ...rest });
    }
    const next = body.metadata?.continue;
    const pageItems = Array.isArray(body.items) ? body.items.length : 0;
    emptyPages = pageItems === 0 ? emptyPages + 1 : 0;
    token = typeof next === 'string' && next !== '' ? next : undefined;
    if (token !== undefined && emptyPages > MAX_EMPTY_PAGES) return { kind: 'refused', reason: `the server sent ${emptyPages} empty pages in a row, each with a continue token` };
    options.onPage?.(items.length);
  } while (token !== undefined);
  return { kind: 'ok', items, bytes };
}
