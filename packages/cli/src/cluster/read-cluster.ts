import type { Diagnostic, Source } from '@netdiagram/core';
import { terminalText } from '../escape.js';
import type { Io } from '../io.js';
import { discoverResources, type ServedResource, type UnreadKind } from './discovery.js';
import { loadClusterTarget, type ClusterChoice } from './kubeconfig.js';
import { qualifiedKind } from './kinds.js';
import { listResource } from './list.js';
import { apiClient, TooLarge } from './request.js';

export type { UnreadKind } from './discovery.js';

export interface ClusterReadOptions extends ClusterChoice {
  /** Only this namespace's namespaced objects (cluster-scoped kinds are always read whole). */
  readonly namespace?: string;
  /** Bytes the objects may take together (MAX_INPUT_BYTES). */
  readonly maxBytes: number;
}

/** What a live cluster gave: one source per object, and what could not be read. */
export interface ClusterRead {
  /** `cluster:CONTEXT`: how outputs name this input. */
  readonly label: string;
  /** One JSON source per object, named `cluster:CONTEXT/KIND/NAMESPACE/NAME`, sorted by name. */
  readonly sources: readonly Source[];
  readonly diagnostics: readonly Diagnostic[];
  /** Kinds netdiagram reads that the server refused to list: their objects are not evaluated. */
  readonly unread: readonly UnreadKind[];
}

/** On a terminal the progress line is redrawn after every page; elsewhere a line is written each time this many more objects were read. */
const PROGRESS_EVERY = 5000;

/**
 * Reads every kind netdiagram models from the cluster of a kubeconfig context, read-only (GET on
 * discovery and list endpoints, never a Secret): the objects become sources like files, so
 * nothing past the reader knows where they came from. A kind the server refuses (403) is reported
 * in `unread`, never left out silently; an unreachable server or rejected credentials are usage
 * errors (exit 2).
 */
export async function readCluster(options: ClusterReadOptions, io: Io): Promise<ClusterRead> {
  const target = await loadClusterTarget(options, io);
  const label = clusterLabel(target.context);
  const get = await apiClient(target);
  const discovered = await discoverResources(get);
  const diagnostics: Diagnostic[] = [];
  const at = (file: string) => ({ file, line: 1, column: 1, document: 0 });
  for (const d of discovered.undescribed) {
    diagnostics.push({ severity: 'warning', code: 'cluster/discovery-failed', location: at(label),
      message: `the API group ${d.groupVersion} could not be described (${d.reason}); if it serves network policies, they are not evaluated` });
  }
  if (options.namespace !== undefined) {
    diagnostics.push({ severity: 'warning', code: 'cluster/one-namespace', location: at(label),
      message: `only namespace ${options.namespace} was read (--namespace): the workloads and policies of other namespaces are left out, and so are the flows they would allow or deny` });
  }
  const unread: UnreadKind[] = [...discovered.unread];
  const sources: Source[] = [];
  const progress = progressLine(label, io);
  let bytes = 0;
  for (const resource of [...discovered.resources].sort(byGroupAndKind)) {
    const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    let listed;
    try {
      listed = await listResource(get, resource, {
        maxBytes: options.maxBytes - bytes,
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        onPage: (count) => progress.update(resource.kind, sources.length + count),
      });
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      // an error: the run is incomplete and exits 2, whatever else was read
      diagnostics.push({ severity: 'error', code: 'input/too-large', location: at(label),
        message: `the cluster's objects take more than ${options.maxBytes / (1024 * 1024)} MiB, the most netdiagram reads in one run (MAX_INPUT_BYTES); read it a namespace at a time (--namespace)` });
      break;
    }
    if (listed.kind === 'refused') {
      unread.push({ apiVersion, kind: resource.kind, reason: listed.reason });
      continue;
    }
    bytes += listed.bytes;
    for (const item of listed.items) if (!isCalicoCopy(resource, item)) sources.push(sourceOf(label, resource, item));
  }
  progress.done();
  for (const u of unread) {
    diagnostics.push({ severity: 'warning', code: 'cluster/kind-not-read', location: at(`${label}/${qualifiedKind(groupOf(u.apiVersion), u.kind)}`),
      message: `cannot list ${u.apiVersion} ${u.kind} (${u.reason}): NOT EVALUATED, the allowed traffic shown may differ from what the cluster enforces, and no gate passes` });
  }
  return { label, sources: sortByName(sources), diagnostics, unread };
}

/**
 * Calico shows the Kubernetes policies it enforces among its own, renamed (`knp.default.NAME`,
 * `kanp.…`, `kbanp.…`; libcalico-go's conversion prefixes): read from networking.k8s.io and
 * policy.networking.k8s.io already, they are not read again as Calico policies.
 */
function isCalicoCopy(resource: ServedResource, item: Record<string, unknown>): boolean {
  if (resource.group !== 'projectcalico.org' && resource.group !== 'crd.projectcalico.org') return false;
  const name = (item.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && CALICO_COPY_PREFIXES.some((prefix) => name.startsWith(prefix));
}

const CALICO_COPY_PREFIXES: readonly string[] = ['knp.default.', 'kanp.', 'kbanp.'];

/** `cluster:CONTEXT`, the name outputs give a cluster read through that kubeconfig context. */
export function clusterLabel(context: string): string {
  return `cluster:${context}`;
}

/**
 * One object as a source: the server's JSON, on one line (a third quicker to parse than indented,
 * and its diagnostics name the object, not a position), without the fields that only record its history.
 */
function sourceOf(label: string, resource: ServedResource, item: Record<string, unknown>): Source {
  const metadata = typeof item.metadata === 'object' && item.metadata !== null ? item.metadata as Record<string, unknown> : {};
  // managedFields repeat the object's field names per writer: nothing netdiagram reads, often half the bytes
  const { managedFields: _managedFields, ...meta } = metadata;
  // only a Pod's status is read (its IPs); the rest is the controllers' bookkeeping
  const { status, ...rest } = item;
  const object = { ...rest, metadata: meta, ...(resource.group === '' && resource.kind === 'Pod' && status !== undefined ? { status } : {}) };
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/` : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  return { name: `${label}/${qualifiedKind(resource.group, resource.kind)}/${namespace}${name}`, text: `${JSON.stringify(object)}\n`, explicit: true };
}

function progressLine(label: string, io: Io): { update(kind: string, count: number): void; done(): void } {
  let shown = false;
  let next = PROGRESS_EVERY;
  return {
    update(kind, count) {
      if (io.stderrIsTerminal) {
        io.stderr(`\r\u001b[Knetdiagram: reading ${terminalText(label)}: ${count} objects (${kind})`);
        shown = true;
      } else if (count >= next) {
        io.stderr(`netdiagram: reading ${terminalText(label)}: ${count} objects (${kind})\n`);
        next = (Math.floor(count / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
      }
    },
    done() {
      if (shown) io.stderr('\r\u001b[K');
      shown = false;
    },
  };
}

function byGroupAndKind(a: ServedResource, b: ServedResource): number {
  return compare(a.group, b.group) || compare(a.kind, b.kind);
}

function sortByName(sources: readonly Source[]): Source[] {
  return [...sources].sort((a, b) => compare(a.name, b.name));
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
