import { unevaluatedPolicyFamily } from '@netdiagram/core';
import { UsageError } from '../usage-error.js';
import { CLUSTER_KINDS, SHADOWED_GROUPS, type ClusterKind } from './kinds.js';
import type { ApiGet } from './request.js';

/** A resource the server serves that netdiagram lists. */
export interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource's plural name in its URL (`pods`, `ciliumnetworkpolicies`). */
  readonly plural: string;
  readonly namespaced: boolean;
}

/** A kind netdiagram reads whose objects cannot be known: the server refused to list (or describe) it. */
export interface UnreadKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** `403 Forbidden: …` */
  readonly reason: string;
}

export interface Discovered {
  readonly resources: readonly ServedResource[];
  readonly unread: readonly UnreadKind[];
  /** API groups outside the table whose resources could not be described (a broken aggregated API). */
  readonly undescribed: readonly { readonly groupVersion: string; readonly reason: string }[];
}

/** A discovery document is a few kilobytes; one larger than this is not a discovery document. */
const MAX_DISCOVERY_BYTES = 16 * 1024 * 1024;

interface ResourceEntry { readonly name: string; readonly kind: string; readonly namespaced: boolean; readonly verbs: readonly string[] }

/**
 * Finds, through API discovery (`/api`, `/apis`, `/apis/GROUP/VERSION`), which of the kinds
 * netdiagram reads the server serves, and in which version: a group the server does not serve
 * (no Calico, no Gateway API) is simply absent. Other groups are looked through for policy kinds
 * of APIs netdiagram does not evaluate (`*NetworkPolicy` of a CRD), which are listed too so that
 * they are reported, never silently left out.
 */
export async function discoverResources(get: ApiGet): Promise<Discovered> {
  const unread: UnreadKind[] = [];
  const undescribed: { groupVersion: string; reason: string }[] = [];
  const core = await get('/api', { maxBytes: MAX_DISCOVERY_BYTES });
  if (core.kind !== 'ok') throw new UsageError(`API discovery failed: GET /api answered ${core.reason}`);
  const groups = await get('/apis', { maxBytes: MAX_DISCOVERY_BYTES });
  if (groups.kind !== 'ok') throw new UsageError(`API discovery failed: GET /apis answered ${groups.reason}`);

  const served: { group: string; preferred: string; versions: string[] }[] = [{ group: '', preferred: 'v1', versions: stringsAt(core.body, 'versions').includes('v1') ? ['v1'] : [] }];
  for (const g of recordsAt(groups.body, 'groups')) {
    const name = typeof g.name === 'string' ? g.name : undefined;
    if (name === undefined) continue;
    const versions = recordsAt(g, 'versions').map((v) => v.version).filter((v): v is string => typeof v === 'string');
    const preferred = asRecord(g.preferredVersion)?.version;
    served.push({ group: name, preferred: typeof preferred === 'string' ? preferred : versions[0] ?? '', versions });
  }
  const servedGroups = new Set(served.map((s) => s.group));

  const resources: ServedResource[] = [];
  for (const { group, preferred, versions } of served.sort((a, b) => compare(a.group, b.group))) {
    const shadow = SHADOWED_GROUPS.get(group);
    if (shadow !== undefined && servedGroups.has(shadow)) continue;
    const wanted = CLUSTER_KINDS.filter((k) => k.group === group);
    // a group of the table is described in every version it serves; any other only in its preferred one
    const described = wanted.length > 0 ? versions : versions.filter((v) => v === preferred);
    const byVersion = new Map<string, ResourceEntry[]>();
    for (const version of described) {
      const groupVersion = group === '' ? version : `${group}/${version}`;
      const answer = await get(group === '' ? `/api/${version}` : `/apis/${groupVersion}`, { maxBytes: MAX_DISCOVERY_BYTES });
      if (answer.kind !== 'ok') {
        if (wanted.length > 0) for (const k of wanted) unread.push({ apiVersion: groupVersion, kind: k.kind, reason: `discovery of ${groupVersion} answered ${answer.reason}` });
        else undescribed.push({ groupVersion, reason: answer.reason });
        continue;
      }
      byVersion.set(version, resourceEntries(answer.body));
    }
    const order = [preferred, ...versions.filter((v) => v !== preferred)];
    for (const k of wanted) {
      const found = pickVersion(k, order, byVersion);
      if (found) resources.push({ group, version: found.version, kind: k.kind, plural: found.entry.name, namespaced: found.entry.namespaced });
    }
    // other APIs' policy kinds, reported as not evaluated by the loader
    for (const [version, entries] of byVersion) {
      for (const entry of entries) {
        if (wanted.some((k) => k.kind === entry.kind)) continue;
        if (!unevaluatedPolicyFamily(group === '' ? version : `${group}/${version}`, entry.kind)) continue;
        if (resources.some((r) => r.group === group && r.kind === entry.kind)) continue;
        resources.push({ group, version, kind: entry.kind, plural: entry.name, namespaced: entry.namespaced });
      }
    }
  }
  return { resources, unread, undescribed };
}

/** The version to list a kind in: the first of its modelled versions the server serves, else the preferred one, else any. */
function pickVersion(k: ClusterKind, order: readonly string[], byVersion: ReadonlyMap<string, readonly ResourceEntry[]>): { version: string; entry: ResourceEntry } | undefined {
  for (const version of k.versions ?? order) {
    const entry = byVersion.get(version)?.find((e) => e.kind === k.kind);
    if (entry) return { version, entry };
  }
  return undefined;
}

/** The listable top-level resources of an APIResourceList (subresources such as `pods/status` left out). */
function resourceEntries(body: unknown): ResourceEntry[] {
  return recordsAt(body, 'resources').flatMap((r) => {
    const verbs = Array.isArray(r.verbs) ? r.verbs.filter((v): v is string => typeof v === 'string') : [];
    if (typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string' || !verbs.includes('list')) return [];
    return [{ name: r.name, kind: r.kind, namespaced: r.namespaced === true, verbs }];
  });
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

function recordsAt(value: unknown, key: string): Record<string, unknown>[] {
  const list = asRecord(value)?.[key];
  return Array.isArray(list) ? list.map(asRecord).filter((r): r is Record<string, unknown> => r !== undefined) : [];
}

function stringsAt(value: unknown, key: string): string[] {
  const list = asRecord(value)?.[key];
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
