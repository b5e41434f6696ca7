import http from 'node:http';
import https from 'node:https';
import { UsageError } from '../usage-error.js';
import type { ClusterTarget } from './kubeconfig.js';

/** A GET that reached the server: its JSON body, or the status it refused with. */
export type ApiResponse =
  | { readonly kind: 'ok'; readonly body: unknown; readonly bytes: number }
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string };

/** GETs JSON from the API server; only GET is ever sent (netdiagram never changes a cluster). */
export type ApiGet = (path: string, options?: { readonly maxBytes?: number }) => Promise<ApiResponse>;

/** A request that takes longer than this is given up, so an address that drops packets cannot hang a CI job. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Makes the GET function for a target: the kubeconfig's credentials (token, client certificate,
 * exec or auth-provider plugin) are applied once, then reused. An unreachable server and a 401
 * are usage errors (one line, exit 2): nothing can be read. Other statuses are returned.
 */
export async function apiClient(target: ClusterTarget): Promise<ApiGet> {
  const options: https.RequestOptions = {};
  try {
    await target.config.applyToHTTPSOptions(options);
  } catch (error) {
    throw new UsageError(`context "${target.context}": cannot set up the connection to ${target.server}: ${firstLine(error)}`);
  }
  return (path, { maxBytes } = {}) => new Promise<ApiResponse>((resolvePromise, reject) => {
    const url = new URL(`${target.server}${path}`);
    const send = url.protocol === 'http:' ? http.request : https.request;
    const request = send(url, { ...options, method: 'GET', headers: { ...options.headers, Accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (maxBytes !== undefined && total > maxBytes) {
          // settled first: the errors the torn-down connection raises after it change nothing
          reject(new TooLarge());
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        if (status === 401) {
          reject(new UsageError(`the API server ${target.server} of context "${target.context}" refused its credentials (401 Unauthorized): log in again, or check the kubeconfig's user`));
          return;
        }
        if (status < 200 || status >= 300) {
          resolvePromise({ kind: 'refused', status, reason: statusReason(status, text) });
          return;
        }
        try {
          resolvePromise({ kind: 'ok', body: JSON.parse(text), bytes: total });
        } catch {
          resolvePromise({ kind: 'refused', status, reason: `${status}, but the answer is not JSON` });
        }
      });
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => {
      reject(new UsageError(`cannot reach the API server ${target.server} of context "${target.context}": ${describeNetworkError(error)}`));
    });
    request.end();
  });
}

/** An answer larger than the bytes left in the run's input budget. */
export class TooLarge extends Error {
  override readonly name = 'TooLarge';
}

/** `403 Forbidden: pods is forbidden: User "ci" cannot list resource "pods" …` from a Status body. */
function statusReason(status: number, text: string): string {
  const names: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 410: 'Gone', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string' && body.message !== '') message = body.message;
  } catch {
    // not a Status object: the status line says enough
  }
  return `${status}${names[status] ? ` ${names[status]}` : ''}${message ? `: ${firstLine(message)}` : ''}`;
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  return error.code && !error.message.includes(error.code) ? `${error.code} (${firstLine(error)})` : firstLine(error);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
