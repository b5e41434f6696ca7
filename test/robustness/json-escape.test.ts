import { auditCluster, buildTrafficGraph, computeScope, parseManifests } from '@netdiagram/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderFindings } from '../../packages/cli/src/commands/audit.js';
import { renderConnections } from '../../packages/cli/src/commands/connections.js';
import { jsonText } from '../../packages/cli/src/json-text.js';
import { placeholder, withHostileText } from '../support/hostile.js';
import { hostileStrings } from './arbitraries.js';

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** `\ud800` written as an escape in JSON text, not followed by the low half that would complete it. */
const LONE_ESCAPE = /(?<!\\)(?:\\\\)*\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})(?<!\\)(?:\\\\)*\\ud[c-f][0-9a-f]{2}/i;

const piece = fc.oneof(fc.constantFrom('\u009b31m', '\u202e', '\u2028', '\u001b[2J', '\ud800', '\udfff', '\udbff\udfff', '\ud83d', '\ude00', '\\ud800', ...hostileStrings), fc.string({ maxLength: 6, unit: 'binary' }));
const text = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
})).node;

/** Every string and key of a parsed JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

/** What a strict consumer (jq, a SARIF upload) needs: JSON that parses, text that survives UTF-8, no lone surrogate in any string. */
function expectStrictJson(json: string): unknown {
  expect(Buffer.from(json, 'utf8').toString('utf8')).toBe(json);
  expect(json).not.toMatch(LONE_ESCAPE);
  expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/); // nothing a terminal obeys
  const parsed: unknown = JSON.parse(json);
  for (const s of strings(parsed)) expect(s).not.toMatch(LONE);
  return parsed;
}

describe('JSON and SARIF text', () => {
  it('parses back, survives a UTF-8 round trip and holds no lone surrogate, whatever the strings and keys', () => {
    fc.assert(fc.property(value, (v) => void expectStrictJson(jsonText(v))), { numRuns: 1000 });
  });

  it('changes nothing else: well-formed values come back equal', () => {
    fc.assert(
      fc.property(value, (v) => {
        fc.pre(!strings(v).some((s) => LONE.test(s)));
        expect(JSON.parse(jsonText(v))).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('replaces a lone surrogate with U+FFFD, keeps a pair whole and writes C1 and bidi controls as escapes', () => {
    expect(jsonText({ name: 'a\ud800b', ['k\udc00']: '\ud83d\ude00' })).toBe('{\n  "name": "a\ufffdb",\n  "k\ufffd": "\ud83d\ude00"\n}\n');
    expect(jsonText(['\u009b31m\u202e'])).toBe('[\n  "\\u009b31m\\u202e"\n]\n');
  });

  // Names are validated on input, so the hostile text is swapped into the parsed model (see support/hostile.ts).
  const hostile = ['pod-\ud800', 'ns\udfff', '\ud83d\ude00'];
  const pods = hostile.map((_, i) => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "${placeholder(i)}", "namespace": "${placeholder(i)}", "labels": {"app": "pci"}}, "spec": {"containers": [{"name": "c"}]}}`).join('\n---\n');

  it('connections --format json, audit json and audit sarif carry a lone surrogate from a name as U+FFFD', () => {
    const parsed = parseManifests([{ name: 'pods.yaml', text: pods }]);
    expect(parsed.diagnostics).toEqual([]);
    const cluster = withHostileText(parsed.cluster, hostile);
    const graph = buildTrafficGraph(cluster);
    const scope = computeScope(cluster, graph, { cde: ['app=pci'] });
    const findings = auditCluster(cluster, graph, scope);
    expect(findings.length).toBeGreaterThan(0);
    const connections = expectStrictJson(renderConnections(graph, 'json')) as { endpoints: { name?: string; type: string }[] };
    expect(connections.endpoints.filter((e) => e.type === 'workload').map((e) => e.name).sort()).toEqual(['ns\ufffd', 'pod-\ufffd', '\ud83d\ude00']);
    const audit = renderFindings(findings, scope, 'json');
    expect(audit).toContain('\ufffd');
    expectStrictJson(audit);
    const sarif = renderFindings(findings, scope, 'sarif');
    expect(sarif).toContain('\ufffd');
    expectStrictJson(sarif);
  });
});
