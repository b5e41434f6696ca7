import { findLeftOut, formatIncomplete, parseManifests, type Diagnostic, type Source } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';

const policy = (name: string, cidr: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec:
  podSelector: {}
  egress:
    - to: [{ ipBlock: { cidr: ${cidr} } }]
`;

function leftOut(sources: Source[], extra: Diagnostic[] = []) {
  const diagnostics = [...extra, ...parseManifests(sources).diagnostics];
  return { diagnostics, leftOut: findLeftOut(sources, diagnostics) };
}

describe('findLeftOut', () => {
  it('names the NetworkPolicy an invalid CIDR leaves out, once for all its errors', () => {
    const text = `${policy('good', '10.0.0.0/8')}---\n${policy('x', '10.0.0.0/33')}    - to: [{ ipBlock: { cidr: 300.0.0.0/8 } }]\n`;
    const { diagnostics, leftOut: out } = leftOut([{ name: 'p.yaml', text }]);
    expect(out).toEqual([{
      kind: 'object', what: 'NetworkPolicy shop/x', file: 'p.yaml', document: 1,
      object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'x' }, errors: diagnostics.filter((d) => d.severity === 'error'),
    }]);
    expect(out[0]!.errors).toHaveLength(2);
    expect(formatIncomplete(diagnostics, out)).toBe('INCOMPLETE: 2 input errors; 1 left out: NetworkPolicy shop/x (netpol/invalid-cidr)');
  });

  it('finds the item of a List that holds the error, and the kind a typed list gives its items', () => {
    const text = JSON.stringify({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList',
      items: [
        { metadata: { name: 'a', namespace: 'shop' }, spec: { podSelector: {} } },
        { metadata: { name: 'b' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'nope' } }] }] } },
      ],
    }, null, 2);
    const { leftOut: out } = leftOut([{ name: 'list.json', text }]);
    expect(out.map((l) => l.what)).toEqual(['NetworkPolicy default/b']);
  });

  it('names a document that does not parse and a file that was not read', () => {
    const notRead: Diagnostic = { severity: 'error', code: 'input/not-utf8', message: 'invalid UTF-8', location: { file: 'bad.yaml', line: 1, column: 1, document: 0 } };
    const { diagnostics, leftOut: out } = leftOut([{ name: 's.yaml', text: `${policy('ok', '10.0.0.0/8')}---\nkind: [unclosed\n` }], [notRead]);
    expect(out.map((l) => [l.kind, l.what])).toEqual([['file', 'file bad.yaml'], ['document', 'document 2 of s.yaml']]);
    expect(formatIncomplete(diagnostics, out, { listed: 1 })).toMatch(/^INCOMPLETE: 2 input errors; 2 left out: file bad\.yaml \(input\/not-utf8\), and 1 more$/);
  });

  it('says nothing when there were only warnings, and escapes control characters in names', () => {
    expect(formatIncomplete([{ severity: 'warning', code: 'service/no-selector', message: 'm' }], [])).toBeUndefined();
    const { diagnostics, leftOut: out } = leftOut([{ name: 'n.yaml', text: policy('"x\\u001b[2Jy"', 'nope') }]);
    expect(formatIncomplete(diagnostics, out)).toContain('NetworkPolicy shop/x\\u001b[2Jy');
  });
});
