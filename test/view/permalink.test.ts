import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFragment, INITIAL_STATE, toFragment, type ViewState } from '../../packages/view/src/page/state.js';

const state: fc.Arbitrary<ViewState> = fc.record({
  selected: fc.option(fc.record({ type: fc.constantFrom('node' as const, 'edge' as const, 'namespace' as const), id: fc.string({ unit: 'binary', minLength: 1 }) }), { nil: undefined }),
  open: fc.option(fc.string({ unit: 'binary', minLength: 1 }), { nil: undefined }),
  cde: fc.boolean(),
  boundary: fc.boolean(),
  port: fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: '' }),
  protocol: fc.constantFrom('', 'TCP', 'UDP', 'SCTP'),
  zoom: fc.option(fc.record({ k: fc.integer({ min: 1, max: 40_000 }).map((n) => n / 1000), x: fc.integer({ min: -1e7, max: 1e7 }).map((n) => n / 1000), y: fc.integer({ min: -1e7, max: 1e7 }).map((n) => n / 1000) }), { nil: undefined }),
}).map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as ViewState);

describe('the permalink (URL fragment)', () => {
  it('reopens the state it was written from, whatever the ids hold', () => {
    fc.assert(fc.property(state, (s) => {
      expect(fromFragment(toFragment(s))).toEqual(s);
    }));
  });

  it('is empty for the initial view, and ignores what it does not understand', () => {
    expect(toFragment(INITIAL_STATE)).toBe('');
    expect(fromFragment('#port=http&protocol=ICMP&zoom=0,1,2&cde=yes&foo=1')).toEqual(INITIAL_STATE);
    expect(fromFragment('#node=a%26b%3Dc&port=443')).toEqual({ ...INITIAL_STATE, selected: { type: 'node', id: 'a&b=c' }, port: '443' });
    // an expanded namespace: named after the selection; an empty name opens none
    expect(toFragment({ ...INITIAL_STATE, selected: { type: 'node', id: 'x' }, open: 'pay&ments' })).toBe('#node=x&open=pay%26ments');
    expect(fromFragment('#open=')).toEqual(INITIAL_STATE);
  });
});
