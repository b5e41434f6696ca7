import { buildTrafficGraph, parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../bench/generate.mjs';
import { CHUNK_BYTES, connectionChunks, type ConnectionFormat } from '../../packages/cli/src/connection-chunks.js';

// 240 workloads that no policy selects: 57,360 connections between two of them (and the flows from outside to
// those an Ingress or a LoadBalancer exposes), more than the dense benchmark's 48,263. Every
// format reaches the file in chunks of CHUNK_BYTES while it is produced, never as one string.

describe('connections of 57,360 pairs', () => {
  const { cluster } = parseManifests(generateCluster({ size: { namespaces: 6, workloads: 240, policies: 0 }, seed: 3 }));
  const graph = buildTrafficGraph(cluster, { openFlows: 'omit' });
  const pairs = cluster.workloads.length * (cluster.workloads.length - 1);
  const text = (format: ConnectionFormat) => Buffer.concat([...connectionChunks(graph, { format })]).toString('utf8');
  const listed = (JSON.parse(text('json')) as { connections: { from: string; to: string }[] }).connections;

  it.each<[ConnectionFormat, (text: string) => number]>([
    ['txt', (text) => text.split('\n').filter((l) => l.includes(' => ')).length],
    ['json', (text) => (JSON.parse(text) as { connections: unknown[] }).connections.length],
    ['csv', (text) => text.trimEnd().split('\n').length - 1],
    ['md', (text) => text.split('\n').filter((l) => l.startsWith('| ')).length - 2], // less the header and its rule
  ])('are written as %s in chunks of at most CHUNK_BYTES, one connection per pair', (format, count) => {
    expect(pairs).toBe(57_360);
    expect(listed.filter((c) => c.from.endsWith('[Deployment]') && c.to.endsWith('[Deployment]'))).toHaveLength(pairs);
    const chunks = [...connectionChunks(graph, { format })];
    // the endpoints ahead of the JSON list are one piece of text; every chunk after it is bounded
    for (const chunk of chunks.slice(1)) expect(chunk.length).toBeLessThanOrEqual(CHUNK_BYTES);
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(chunks.length).toBeGreaterThan(total / CHUNK_BYTES - 1);
    expect(count(Buffer.concat(chunks).toString('utf8'))).toBe(listed.length);
  });
});
