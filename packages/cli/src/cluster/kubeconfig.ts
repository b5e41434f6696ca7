import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Io } from '../io.js';
import { UsageError } from '../usage-error.js';

/** Which cluster to read: `--kubeconfig` and `--context`, each absent for kubectl's default. */
export interface ClusterChoice {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** A kubeconfig with its context chosen: what every request to the API server is made with. */
export interface ClusterTarget {
  readonly config: KubeConfig;
  /** The context's name, as source names and titles show it. */
  readonly context: string;
  /** The API server's URL, without a trailing slash. */
  readonly server: string;
}

/**
 * Loads the kubeconfig as kubectl does: `--kubeconfig FILE`, else every file of `$KUBECONFIG`
 * (merged, the first one's current context winning), else `~/.kube/config`, else the pod's
 * service account when netdiagram runs inside a cluster. `--context` picks the context, else the
 * kubeconfig's current one. Problems are one-line usage errors (exit 2).
 */
export async function loadClusterTarget(choice: ClusterChoice, io: Io): Promise<ClusterTarget> {
  // the client (and what it loads) is only needed when a cluster is read
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  const files = choice.kubeconfig !== undefined ? [resolve(io.cwd, choice.kubeconfig)] : defaultFiles(io);
  const named = choice.kubeconfig !== undefined ? `--kubeconfig ${choice.kubeconfig}` : undefined;
  if (files.length === 0) {
    if (io.env.KUBERNETES_SERVICE_HOST === undefined) {
      throw new UsageError('no kubeconfig: set KUBECONFIG, pass --kubeconfig FILE, or create ~/.kube/config (netdiagram reads the cluster as kubectl would)');
    }
    config.loadFromCluster();
  }
  files.forEach((file, i) => {
    const one = i === 0 ? config : new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (error) {
      throw new UsageError(`${named ?? `kubeconfig ${file}`}: cannot read: ${firstLine(error)}`);
    }
    if (one !== config) config.mergeConfig(one, true);
  });
  const context = choice.context ?? config.getCurrentContext();
  if (!context) throw new UsageError(`the kubeconfig has no current context: pass --context NAME (contexts: ${listed(config.getContexts().map((c) => c.name))})`);
  if (!config.getContextObject(context)) throw new UsageError(`the kubeconfig has no context "${context}" (contexts: ${listed(config.getContexts().map((c) => c.name))})`);
  config.setCurrentContext(context);
  const cluster = config.getCurrentCluster();
  if (!cluster?.server) throw new UsageError(`context "${context}" names no cluster with a server URL in the kubeconfig`);
  return { config, context, server: cluster.server.replace(/\/+$/, '') };
}

/** `$KUBECONFIG`'s existing files, else `~/.kube/config` if it exists. */
function defaultFiles(io: Io): string[] {
  const variable = io.env.KUBECONFIG;
  if (variable !== undefined && variable !== '') {
    return variable.split(delimiter).filter((f) => f !== '').map((f) => resolve(io.cwd, f)).filter((f) => existsSync(f));
  }
  const home = io.env.HOME ?? io.env.USERPROFILE;
  const file = home !== undefined ? join(home, '.kube', 'config') : undefined;
  return file !== undefined && existsSync(file) ? [file] : [];
}

function listed(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
