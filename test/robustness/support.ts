import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '@netdiagram/cli';

/** A fake Io that records what the CLI writes; `cwd` is where relative paths are read and written. */
export function fakeIo(cwd: string, stdin: string | Uint8Array = ''): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string | Uint8Array) {
      io.out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    },
    stderr(text: string) {
      io.err += text;
    },
    readStdin: async () => stdin,
    env: {},
    cwd,
  };
  return io;
}

/** A fresh empty directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'netdiagram-robustness-'));
}

/** A valid pod that every catalogue case puts beside its bad input: it must survive. */
export const KEEPER = `apiVersion: v1
kind: Pod
metadata: {name: keeper, namespace: safe, labels: {app: keeper}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
`;
export const KEEPER_ID = 'safe/keeper[Pod]';

/** Endpoint ids of `connections --format json` output. */
export function endpointIds(jsonText: string): string[] {
  return (JSON.parse(jsonText) as { endpoints: { id: string }[] }).endpoints.map((e) => e.id);
}

/** The first line of every diagnostic the CLI printed (code frames left out). */
export function diagnosticLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => / (error|warning) [a-z0-9]+\/[a-z0-9-]+: /.test(line) && !line.startsWith(' '));
}
