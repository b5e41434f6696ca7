import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedVerdicts } from '../../packages/core/src/graph/shared-verdicts.js';
import { ALL_PORTS, NO_PORTS, portRange, unionPorts, type PortSet, type Protocol } from '../../packages/core/src/model/ports.js';
import { combineContributions, type Contribution } from '../../packages/core/src/policy/evaluate.js';

// Pair verdicts are built from shared parts (graph/shared-verdicts.ts): equal contents are one
// object, and each pair of lists is combined once. That must not change any verdict: each equals
// combineContributions of fresh copies of the same contributions.

const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];
const range = fc.tuple(fc.constantFrom<Protocol>(...PROTOCOLS), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 4 }))
  .map(([protocol, from, width]) => portRange(protocol, from, from + width));
const portSet: fc.Arbitrary<PortSet> = fc.oneof(
  { weight: 9, arbitrary: fc.array(range, { minLength: 1, maxLength: 3 }).map((rs) => rs.reduce<PortSet>((a, r) => unionPorts(a, r), NO_PORTS)) },
  { weight: 1, arbitrary: fc.constant(ALL_PORTS) },
);
// few refs and port sets, so that equal contents recur and the sharing is really exercised
const contribution: fc.Arbitrary<Contribution> = fc.record({
  ref: fc.constantFrom('netpol:a/p#ingress[0]', 'netpol:a/p#egress[0]', 'netpol:b/q#ingress[1]', 'default-allow:ingress'),
  ports: fc.oneof(portSet, fc.constant(portRange('TCP', 8080))),
  partial: fc.boolean(),
});
const copy = (cs: readonly Contribution[]) => cs.map((c) => ({ ...c, ports: { ...c.ports } }));
const pair = fc.tuple(fc.array(contribution, { minLength: 1, maxLength: 4 }), fc.array(contribution, { minLength: 1, maxLength: 4 }));

describe('shared pair verdicts', () => {
  it('equal combineContributions for every pair, one object for equal verdicts of equal lists', () => {
    fc.assert(fc.property(fc.array(pair, { minLength: 1, maxLength: 12 }), (pairs) => {
      const shared = sharedVerdicts();
      const seen = new Map<string, unknown>();
      for (const [egress, ingress] of pairs) {
        // built both ways: a whole list, and one step at a time from canonical contributions
        const e = shared.list(copy(egress));
        const i = copy(ingress).reduce((node, c) => shared.extend(node, shared.contribution(c)), shared.empty).list;
        expect(shared.list(copy(ingress))).toBe(i);
        const verdict = shared.combine(e, i);
        const expected = combineContributions(egress, ingress);
        if (expected.ports.SCTP.length + expected.ports.TCP.length + expected.ports.UDP.length === 0) expect(verdict).toBeUndefined();
        else expect(verdict).toEqual({ ports: expected.ports, via: expected.via, partial: expected.partial });
        const key = JSON.stringify([egress, ingress]);
        if (seen.has(key)) expect(verdict).toBe(seen.get(key));
        seen.set(key, verdict);
      }
    }), { numRuns: 300, seed: 20261202 });
  });

  it('never share a list between different contents', () => {
    const shared = sharedVerdicts();
    const a = { ref: 'r', ports: portRange('TCP', 80), partial: false };
    const b = { ref: 'r', ports: portRange('TCP', 80), partial: true };
    const c = { ref: 's', ports: portRange('TCP', 80), partial: false };
    const lists = [[a], [b], [c], [a, b], [b, a], [a, c]].map((l) => shared.list(l));
    expect(new Set(lists).size).toBe(6);
    expect(shared.list([{ ...a }, { ...c }])).toBe(lists[5]);
  });
});
