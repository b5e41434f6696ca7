import { formatSelector, matchesSelector, parseSelectorText } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';

const parse = (text: string) => {
  const parsed = parseSelectorText(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.selector;
};

describe('parseSelectorText', () => {
  it.each([
    ['app=pci', 'app=pci'],
    ['app==pci', 'app=pci'],
    ['tier!=web', 'tier notin (web)'],
    ['app in (vault, pay)', 'app in (pay,vault)'],
    ['env notin (dev,test)', 'env notin (dev,test)'],
    ['pci', 'pci'],
    ['!legacy', '!legacy'],
    ['app=pci, tier in (a,b), !legacy', 'app=pci,tier in (a,b),!legacy'],
    ['example.com/zone=cde', 'example.com/zone=cde'],
    ['', '{}'],
  ])('reads %j as %s', (text, formatted) => {
    expect(formatSelector(parse(text))).toBe(formatted);
  });

  it('lets != and notin hold for objects without the key, as Kubernetes does', () => {
    expect(matchesSelector(parse('tier!=web'), { app: 'x' })).toBe(true);
    expect(matchesSelector(parse('tier notin (web)'), { tier: 'web' })).toBe(false);
  });

  it('selects everything with the empty string', () => {
    expect(matchesSelector(parse(''), {})).toBe(true);
  });

  it.each([
    ['app in (a', 'unbalanced'],
    ['app=pci,,tier=x', 'empty requirement'],
    ['app in ()', 'at least one value'],
    ['app>1', 'cannot read'],
    ['-bad=x', 'not a label key'],
    ['app=not valid', 'not a label value'],
  ])('refuses %j with a reason', (text, reason) => {
    const parsed = parseSelectorText(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});
