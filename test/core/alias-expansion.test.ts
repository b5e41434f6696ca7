import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_EXPANSION, measureExpansion } from '../../packages/core/src/manifests/alias-expansion.js';
import { parseSource } from '../../packages/core/src/manifests/parse.js';

const measure = (text: string) => measureExpansion(parseDocument(text).contents, text.length, Infinity).length;

describe('measureExpansion', () => {
  it('adds, for each alias, the text of what it refers to in place of its own', () => {
    // `*a` (2 characters) stands for `[xx, yy]` (8): each use adds 6
    const text = 'a: &a [xx, yy]\nb: *a\nc: *a\n';
    expect(measure(text)).toBe(text.length + 6 + 6);
  });

  it('counts an alias inside an anchor as expanded wherever that anchor is used', () => {
    // b's text `[*a, *a]` (8) holds two aliases of `[x, x]` (6): 8 + 2 × 4 = 16, and each `*b` adds 16 − 2
    const text = 'a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n';
    expect(measure(text)).toBe(text.length + 2 * 4 + 2 * 14);
  });

  it('stops at the alias that takes the document past the limit', () => {
    const text = 'a: &a [xxxxxxxxxx]\nb: [*a, *a, *a, *a]\n';
    const at = measureExpansion(parseDocument(text).contents, text.length, text.length + 20).offset;
    expect(text.slice(at)).toBe('*a, *a]\n'); // the second alias adds 10 more, the first past 20
  });
});

describe('parseSource, bounding what aliases expand to', () => {
  /** An Ingress whose rules all alias one list of paths: `rules` × `paths` backends from text that grows as their sum. */
  const fanOut = (paths: number, rules: number) => [
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: fan}\nspec:\n  rules:\n  - http:\n      paths: &paths\n',
    ...Array.from({ length: paths }, (_, i) => `      - {path: /p${i}, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n`),
    ...Array.from({ length: rules - 1 }, () => '  - {http: {paths: *paths}}\n'),
  ].join('');

  it('refuses a document whose aliases expand past MAX_ALIAS_EXPANSION times its text, at the alias that does', () => {
    const text = `${fanOut(300, 300)}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n`;
    const parsed = parseSource({ name: 'fan.yaml', text });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['yaml/alias-limit']);
    expect(parsed.diagnostics[0]!.message).toContain(`more than ${MAX_ALIAS_EXPANSION} times`);
    expect(parsed.diagnostics[0]!.location?.line).toBeGreaterThan(300); // on one of the aliasing rules
    expect(parsed.documents.map((d) => (d.value as { kind: string }).kind)).toEqual(['Service']); // the other document is still read
  });

  it('reads the same fan-out when it stays within the factor', () => {
    const parsed = parseSource({ name: 'fan.yaml', text: fanOut(10, 10) });
    expect(parsed.diagnostics).toEqual([]);
    const rules = (parsed.documents[0]!.value as { spec: { rules: { http: { paths: unknown[] } }[] } }).spec.rules;
    expect(rules.map((r) => r.http.paths.length)).toEqual(Array(10).fill(10));
  });

  it('keeps a docker-compose style file that merges one block of defaults into many entries', () => {
    const services = Array.from({ length: 200 }, (_, i) => `  s${i}: {<<: *defaults, image: "registry.example.com/team/s${i}:1.0"}\n`);
    const text = 'x-defaults: &defaults\n  restart: always\n  logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}\n'
      + `  environment: {TZ: UTC, LOG_LEVEL: info}\nservices:\n${services.join('')}`;
    const parsed = parseSource({ name: 'compose.yaml', text });
    expect(parsed.diagnostics).toEqual([]);
    expect((parsed.documents[0]!.value as { services: Record<string, { restart: string }> }).services.s199?.restart).toBe('always');
  });
});
