import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExpectations, parseExpectations, parseManifests, type Expectation } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { docs, policy } from '../support/analyse.js';
import { demo, denyAll, deployment } from './support.js';

const parse = (text: string) => parseExpectations({ name: 'expect.yaml', text });
const expectations = (text: string): readonly Expectation[] => {
  const parsed = parse(text);
  if (parsed.diagnostics.length > 0) throw new Error(parsed.diagnostics.map((d) => d.message).join('; '));
  return parsed.expectations;
};
const check = (manifests: string, text: string) =>
  checkExpectations(parseManifests([{ name: 'in.yaml', text: manifests }]).cluster, expectations(text));

const shop = docs(deployment('s', 'web', { app: 'web' }), deployment('s', 'db', { app: 'db' }), deployment('s', 'blog', { app: 'blog' }), denyAll('s'),
  policy('s', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }, { port: 5433 }] }] }),
  policy('s', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }, { port: 5433 }] }] }));

describe('parseExpectations', () => {
  it('reads selectors, address sets and the three verdicts', () => {
    const list = expectations(`
expectations:
  - name: web reaches db
    from: app=web
    to: { pods: app=db, namespaces: kubernetes.io/metadata.name=s }
    allow: [5432/TCP, 5433]
  - from: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] }
    to: app=db
    deny: all
  - from: { ip: 203.0.113.7 }
    to: ""
    only: TCP/443
`);
    expect(list.map((e) => [e.name, e.verdict, e.from.kind, e.to.kind])).toEqual([
      ['web reaches db', 'allow', 'pods', 'pods'],
      ['0.0.0.0/0 except 10.0.0.0/8 → app=db: deny all ports', 'deny', 'addresses', 'pods'],
      ['203.0.113.7 → every workload: only TCP 443', 'only', 'addresses', 'pods'],
    ]);
    expect(list[0]!.location).toMatchObject({ file: 'expect.yaml', line: 3 });
  });

  it('reports mistakes as diagnostics at their line, keeping the good entries', () => {
    const parsed = parse(`expectations:
  - from: app=web
    to: app=db
    allow: [5432]
  - from: app in (x
    to: app=db
    deny: all
  - from: app=web
    to: app=db
    deny: [http]
  - from: app=web
    to: app=db
    allow: all
    deny: all
  - from: app=web
    too: app=db
    deny: all
  - from: { cidr: 10.0.0.0/33 }
    to: app=db
    deny: all
`);
    expect(parsed.expectations).toHaveLength(1);
    expect(parsed.diagnostics.map((d) => `${d.location?.line}: ${d.message}`)).toEqual([
      '5: invalid selector: unbalanced parentheses in "app in (x"',
      '10: "http" is not a port (expected PORT, PORT/PROTOCOL or FROM-TO/PROTOCOL, e.g. 80/TCP)',
      '11: an expectation needs exactly one of allow, deny or only',
      '16: unknown field "too" (expected name, from, to, allow, deny or only)',
      '18: "10.0.0.0/33" is not a valid CIDR',
    ]);
    expect(parsed.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('reports a YAML syntax error and a file without a list', () => {
    expect(parse('expectations: [').diagnostics[0]?.code).toBe('yaml/syntax');
    expect(parse('foo: bar').diagnostics[0]?.message).toBe('expected a list under "expectations:"');
  });
});

describe('checkExpectations', () => {
  it('passes allow when every listed port is allowed, and fails it when one is not', () => {
    const [ok, missing] = check(shop, `
- { from: app=web, to: app=db, allow: [5432] }
- { from: app=web, to: app=db, allow: [5432, 6379] }`);
    expect(ok!.passed).toBe(true);
    expect(missing!.passed).toBe(false);
    expect(missing!.failures[0]!.reason).toBe('allows TCP 5432-5433; expected at least TCP 5432,6379');
  });

  it('passes only when exactly the listed ports are allowed', () => {
    const [exact, fewer] = check(shop, `
- { from: app=web, to: app=db, only: [5432-5433/TCP] }
- { from: app=web, to: app=db, only: [5432] }`);
    expect(exact!.passed).toBe(true);
    expect(fewer!.failures[0]!.reason).toBe('allows TCP 5432-5433; expected exactly TCP 5432');
  });

  it('fails deny on each pair that allows a listed port', () => {
    const [result] = check(shop, '- { from: "", to: app=db, deny: all }');
    expect(result!.pairs).toBe(2);
    expect(result!.failures.map((f) => `${f.from} → ${f.to}: ${f.reason}`)).toEqual(['s/web[Deployment] → s/db[Deployment]: allows TCP 5432-5433; expected all ports denied']);
  });

  it('judges an address set piece by piece, cut at every ipBlock', () => {
    const yaml = docs(deployment('s', 'web', { app: 'web' }), denyAll('s'),
      policy('s', 'in', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] }));
    const [whole, outside, inside] = check(yaml, `
- { from: { cidr: 0.0.0.0/0 }, to: app=web, deny: all }
- { from: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] }, to: app=web, only: [443] }
- { from: { cidr: 10.0.0.0/8 }, to: app=web, deny: all }`);
    expect(whole!.passed).toBe(false);
    expect(whole!.failures.map((f) => f.from)).toEqual(['0.0.0.0/5,8.0.0.0/7', '11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2,128.0.0.0/1']);
    expect(outside!.passed).toBe(true);
    expect(inside!.passed).toBe(true);
  });

  it('fails an expectation whose side matches nothing, so a typo never passes', () => {
    const [result] = check(shop, '- { from: app=wbe, to: app=db, deny: all }');
    expect(result).toMatchObject({ passed: false, problem: 'from (app=wbe) matches no workload' });
  });

  it('passes the four goals of the seed demo', () => {
    const sources = ['other-app.yaml', 'pci-app.yaml', 'policies.yaml'].map((f) => ({ name: f, text: readFileSync(join(demo, f), 'utf8') }));
    const list = parseExpectations({ name: 'expectations.yaml', text: readFileSync(join(demo, 'expectations.yaml'), 'utf8') });
    expect(list.diagnostics).toEqual([]);
    const results = checkExpectations(parseManifests(sources).cluster, list.expectations);
    expect(results.filter((r) => !r.passed).map((r) => r.expectation.name)).toEqual([]);
    expect(results.map((r) => r.expectation.name.slice(0, 6))).toEqual(expect.arrayContaining(['goal 1', 'goal 2', 'goal 3', 'goal 4']));
  });
});
