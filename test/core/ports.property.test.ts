import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_PORTS, NO_PORTS, portRange, portsKey, unionAllPorts, unionPorts, type PortSet, type Protocol } from '../../packages/core/src/model/ports.js';
import { resolvePortRules } from '../../packages/core/src/policy/ports.js';
import type { PortRule } from '../../packages/core/src/model/types.js';

// Port sets are merged in linear passes (and a rule's numbered ports once per list); these hold them
// to the plain definition: a port is in the union iff it is in one of the sets.

const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];
const range = fc.tuple(fc.constantFrom<Protocol>(...PROTOCOLS), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 6 }))
  .map(([protocol, from, width]) => portRange(protocol, from, from + width));
// a set built from ranges by the plain fold, and now and then every port
const portSet = fc.oneof(
  { weight: 9, arbitrary: fc.array(range, { maxLength: 5 }).map((ranges) => ranges.reduce<PortSet>((acc, r) => unionPorts(acc, r), NO_PORTS)) },
  { weight: 1, arbitrary: fc.constant(ALL_PORTS) },
);
const members = (p: PortSet) => new Set(PROTOCOLS.flatMap((proto) => p[proto].flatMap(([lo, hi]) =>
  Array.from({ length: Math.min(hi, 50) - lo + 1 }, (_v, i) => `${proto}/${lo + i}`))));
const isNormalized = (p: PortSet) => PROTOCOLS.every((proto) => p[proto].every(([lo, hi], i, all) => lo <= hi && (i === 0 || lo > all[i - 1]![1] + 1)));

describe('unionPorts and unionAllPorts', () => {
  it('hold exactly the ports of their operands, as sorted ranges that neither overlap nor touch', () => {
    fc.assert(fc.property(fc.array(portSet, { maxLength: 6 }), (sets) => {
      const all = unionAllPorts(sets);
      const expected = new Set(sets.flatMap((s) => [...members(s)]));
      expect(members(all)).toEqual(expected);
      expect(isNormalized(all)).toBe(true);
      expect(portsKey(all)).toBe(portsKey(sets.reduce<PortSet>((acc, s) => unionPorts(acc, s), NO_PORTS)));
    }), { numRuns: 500, seed: 20261202 });
  });
});

describe('resolvePortRules', () => {
  it('resolves a named port per destination, so a rule asked for one destination never answers with the ports of another', () => {
    const rules: PortRule[] = [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 'http' }, { protocol: 'UDP', port: 53, endPort: 60 }];
    const destination = [{ name: 'http', protocol: 'TCP' as const, port: 8080 }];
    const first = resolvePortRules(rules, destination);
    expect(portsKey(first)).toBe('|80-80,8080-8080|53-60');
    expect(portsKey(resolvePortRules(rules, [{ name: 'http', protocol: 'TCP', port: 9090 }]))).toBe('|80-80,9090-9090|53-60');
    expect(portsKey(resolvePortRules(rules, undefined))).toBe('|80-80|53-60');
    expect(resolvePortRules(rules, destination)).toBe(first);
  });
});
