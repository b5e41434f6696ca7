import { computeAccountData, computeScope, parseAccountDataRoles, parseDataFlowNames, parseParties } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs } from '../support/analyse.js';
import { deployment } from './support.js';

const at = (d: { location?: { line: number; column: number } }) => `${d.location?.line}:${d.location?.column}`;

describe('the account-data annotations', () => {
  it('reads a list of roles in a fixed order, or none', () => {
    expect(parseAccountDataRoles('transmits, stores')).toEqual({ ok: true, roles: ['stores', 'transmits'] });
    expect(parseAccountDataRoles('none')).toEqual({ ok: true, roles: [] });
    expect(parseAccountDataRoles('store')).toEqual({ ok: false, reason: expect.stringContaining('"store" is not an account-data role') });
    expect(parseAccountDataRoles('stores,,processes').ok).toBe(false);
    expect(parseAccountDataRoles('none, stores').ok).toBe(false);
    expect(parseAccountDataRoles('stores, stores').ok).toBe(false);
    expect(parseAccountDataRoles('Stores').ok).toBe(false); // as written: a capital is a typo, not a role
  });

  it('reads data-flow names as a sorted set', () => {
    expect(parseDataFlowNames(' capture,authorization , capture')).toEqual({ ok: true, names: ['authorization', 'capture'] });
    expect(parseDataFlowNames('a,,b').ok).toBe(false);
    expect(parseDataFlowNames('a\u0007b').ok).toBe(false);
  });

  it('reports an invalid role at the annotation (an error, exit 2) but keeps the workload, whose traffic is real, with its role unread (review 15 #5)', () => {
    const yaml = docs(
      deployment('pay', 'vault', { app: 'vault' }, { annotations: { 'netdiagram.io/account-data': 'stores, procesess' } }),
      deployment('pay', 'api', { app: 'api' }, { annotations: { 'netdiagram.io/account-data': 'processes' } }),
    );
    const { parsed } = analyse(yaml.split('\n---\n').map((d) => `# doc\n${d}`).join('\n---\n'));
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['k8s/invalid-annotation']);
    expect(errors[0]!.message).toContain('netdiagram.io/account-data: "procesess" is not an account-data role; use "stores", "processes", "transmits", or "none"');
    expect(errors[0]!.location?.line).toBe(2);
    expect(errors[0]!.unread).toBe('its account-data role');
    expect(errors[0]!.message).toContain('Deployment pay/vault kept');
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['pay/api[Deployment]', 'pay/vault[Deployment]']);
  });

  it('validates the annotations on the controller object and on Namespaces, at their line and column', () => {
    const yaml = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: vault', '  namespace: pay', '  annotations:',
      '    netdiagram.io/data-flows: "authorization,"', 'spec:', '  selector: {matchLabels: {app: vault}}',
      '  template:', '    metadata: {labels: {app: vault}}', '    spec: {containers: [{name: c, image: x}]}',
      '---', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: pay', '  annotations:', '    netdiagram.io/account-data: keeps',
    ].join('\n');
    const { parsed } = analyse(yaml);
    expect(parsed.diagnostics.map((d) => [d.code, at(d)])).toEqual([['k8s/invalid-annotation', '7:31'], ['k8s/invalid-annotation', '19:33']]);
  });

  it('takes the controller\'s annotations where the pod template states none; differing statements are an error', () => {
    const controller = (template: Record<string, string>) => JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'vault', namespace: 'pay', annotations: { 'netdiagram.io/account-data': 'stores', 'netdiagram.io/data-flows': 'capture' } },
      spec: { selector: { matchLabels: { app: 'v' } }, template: { metadata: { labels: { app: 'v' }, annotations: template }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const read = (t: Record<string, string>) => analyse(controller(t)).parsed.cluster.workloads[0]!.annotations;
    expect(read({})).toEqual({ 'netdiagram.io/account-data': 'stores', 'netdiagram.io/data-flows': 'capture' });
    expect(read({ 'netdiagram.io/account-data': 'stores' })).toEqual({ 'netdiagram.io/account-data': 'stores', 'netdiagram.io/data-flows': 'capture' });
    const conflict = analyse(controller({ 'netdiagram.io/account-data': 'none' })).parsed.diagnostics.filter((d) => d.severity === 'error');
    expect(conflict.map((d) => d.message)).toEqual([expect.stringContaining('netdiagram.io/account-data: the Deployment says "stores" but its pod template says "none"')]);
    // the cluster runs it whatever the annotations say: it is kept, and neither statement is picked
    expect(conflict[0]!.message).toContain('Deployment pay/vault kept (its traffic is drawn), its account-data role not read');
    const { parsed, graph } = analyse(controller({ 'netdiagram.io/account-data': 'none' }));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['pay/vault[Deployment]']);
    const model = computeAccountData(parsed.cluster, graph, computeScope(parsed.cluster, graph));
    expect(model.unreadable).toEqual([expect.objectContaining({ id: 'pay/vault[Deployment]', what: 'role' })]);
    expect(model.declaredNone).toEqual([]);
    expect(model.handlers.map((h) => h.id)).toEqual([]);
    // differing data-flow names: the roles are read, the names are not
    const flows = analyse(controller({ 'netdiagram.io/data-flows': 'refunds' }));
    const flowModel = computeAccountData(flows.parsed.cluster, flows.graph, computeScope(flows.parsed.cluster, flows.graph));
    expect(flowModel.unreadable).toEqual([expect.objectContaining({ id: 'pay/vault[Deployment]', what: 'data flows' })]);
    expect(flowModel.handlers.map((h) => [h.id, h.roles])).toEqual([['pay/vault[Deployment]', ['stores']]]);
  });
});

describe('parseParties', () => {
  const parse = (text: string) => parseParties({ name: 'parties.yaml', text });
  const errors = (text: string) => parse(text).diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.code}: ${d.message}`);

  it('reads named parties with their kind, CIDRs and data flows, sorted by name', () => {
    const { parties, diagnostics } = parse([
      'parties:',
      '  - name: Visa Net', '    kind: processor', '    cidrs: [203.0.113.0/24]',
      '  - name: Acme Acquiring', '    kind: acquirer', '    cidrs: [198.51.100.0/25, 2001:db8::/32]', '    flows: capture, authorization',
    ].join('\n'));
    expect(diagnostics).toEqual([]);
    expect(parties.map((p) => [p.name, p.kind, p.cidrs, p.flows, p.location?.line])).toEqual([
      ['Acme Acquiring', 'acquirer', ['198.51.100.0/25', '2001:db8::/32'], ['authorization', 'capture'], 5],
      ['Visa Net', 'processor', ['203.0.113.0/24'], [], 2],
    ]);
  });

  it('reports every mistake at its line and column and keeps the good entries', () => {
    const text = [
      'parties:',
      '  - name: A', '    kind: bank', '    cidrs: [198.51.100.0/24]',
      '  - name: B', '    kind: acquirer', '    cidrs: [198.51.100.300/24]',
      '  - name: C', '    kind: processor', '    cidrs: [192.0.2.0/24]', '    ports: [443]',
      '  - name: D', '    kind: third-party', '    cidrs: [192.0.2.0/24]',
      '  - name: D', '    kind: third-party', '    cidrs: [11.0.0.0/8]',
      '  - name: E', '    kind: third-party', '    cidrs: [11.1.0.0/16]',
    ].join('\n');
    expect(errors(text)).toEqual([
      '3:11 parties/invalid: kind must be one of acquirer, processor, third-party, not "bank"',
      expect.stringMatching(/^7:13 parties\/invalid: "198.51.100.300\/24" is not a valid CIDR/),
      '11:12 parties/invalid: unknown field "ports" (expected name, kind, cidrs, flows)',
      '15:11 parties/invalid: party "D" is defined twice (first at line 12)',
    ]);
    expect(parse(text).parties.map((p) => p.name)).toEqual(['D', 'E']); // the second D is refused, so E overlaps nothing
  });

  it('refuses parties that share addresses, and an empty or shapeless file', () => {
    expect(errors('parties:\n  - {name: A, kind: acquirer, cidrs: [11.0.0.0/8]}\n  - {name: B, kind: processor, cidrs: [11.1.0.0/16]}\n'))
      .toEqual(['3:39 parties/invalid: the addresses of "B" overlap those of "A"; an address can belong to one party only']);
    expect(errors('')).toEqual(['1:1 input/empty: no YAML documents (only comments or blank lines)', '1:1 input/empty: the parties file is empty']);
    expect(parse('').diagnostics.map((d) => d.severity)).toContain('error');
    expect(errors('- name: A\n')).toEqual(['1:1 parties/invalid: expected a list under "parties:"']);
    expect(errors('parties:\n  - {name: A, kind: acquirer, cidrs: []}\n')).toEqual(['2:38 parties/invalid: cidrs must be a non-empty list of CIDRs']);
  });

  it('refuses a CIDR with host bits set (203.0.113.7/1 is not half the Internet by accident), and warns on very short or private ranges', () => {
    expect(errors('parties:\n  - {name: Acq, kind: acquirer, cidrs: [203.0.113.7/1]}\n'))
      .toEqual(['2:41 parties/invalid: "203.0.113.7/1" has host bits set (it would mean 128.0.0.0/1); write the network address, or /32 (/128) for one host']);
    expect(parse('parties:\n  - {name: Acq, kind: acquirer, cidrs: [203.0.113.7/1]}\n').parties).toEqual([]);
    const wide = parse('parties:\n  - {name: Acq, kind: acquirer, cidrs: [0.0.0.0/1, 10.0.0.0/16]}\n');
    expect(wide.parties.map((p) => p.name)).toEqual(['Acq']);
    expect(wide.diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual([
      'warning 0.0.0.0/1 is a very short prefix: every address in it is trusted as "Acq"',
      'warning 0.0.0.0/1 overlaps the private range 10.0.0.0/8: pods and in-cluster addresses there would be trusted as "Acq"',
      'warning 10.0.0.0/16 overlaps the private range 10.0.0.0/8: pods and in-cluster addresses there would be trusted as "Acq"',
    ]);
  });

  it('refuses bidirectional-override characters in a party name', () => {
    expect(errors('parties:\n  - {name: "Acq\u202eevil", kind: acquirer, cidrs: [203.0.113.0/24]}\n')[0]).toContain('bidirectional-override');
  });
});
