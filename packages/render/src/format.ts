import type { PortSet, Protocol } from '@netdiagram/core';

/** Rounds to 0.01, the precision of every number in the SVG (and never writes `-0`). */
export function round(n: number): number {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}

/** A number as SVG text: rounded, no exponent. */
export function num(n: number): string {
  return String(round(n));
}

// characters XML 1.0 forbids (C0 controls other than tab, newline, return; lone surrogates; U+FFFE/U+FFFF)
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values; characters XML cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * An XML id derived from a node id: letters, digits and `-` kept, every other character written as
 * `_` plus its hex code, so distinct node ids always give distinct, valid ids.
 */
export function svgId(prefix: string, id: string): string {
  let out = `${prefix}-`;
  for (const char of id) {
    out += /[A-Za-z0-9-]/.test(char) ? char : `_${char.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}

const PROTOCOL_ORDER: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const MAX_PORT = 65535;

/** Whether a port set holds every port of every protocol. */
export function isEveryPort(ports: PortSet): boolean {
  return PROTOCOL_ORDER.every((p) => ports[p].length === 1 && ports[p][0]![0] === 1 && ports[p][0]![1] === MAX_PORT);
}

/**
 * An edge label for a port set: `ALL`, `TCP 80,443`, `TCP 53 · UDP 53`, `TCP all`; more than
 * `max` numbers are cut to the first ones plus `+N`.
 */
export function formatPortLabel(ports: PortSet, max = 4): string {
  if (isEveryPort(ports)) return 'ALL';
  const parts: string[] = [];
  let shown = 0;
  let hidden = 0;
  for (const protocol of PROTOCOL_ORDER) {
    const ranges = ports[protocol];
    if (ranges.length === 0) continue;
    if (ranges.length === 1 && ranges[0]![0] === 1 && ranges[0]![1] === MAX_PORT) {
      parts.push(`${protocol} all`);
      shown++;
      continue;
    }
    const numbers: string[] = [];
    for (const [lo, hi] of ranges) {
      if (shown >= max) hidden++;
      else {
        numbers.push(lo === hi ? `${lo}` : `${lo}-${hi}`);
        shown++;
      }
    }
    if (numbers.length > 0) parts.push(`${protocol} ${numbers.join(',')}`);
  }
  return `${parts.join(' · ')}${hidden > 0 ? ` +${hidden}` : ''}`;
}

/** The full port list for a tooltip: `ALL` or `TCP 80, 443; UDP 53`. */
export function formatPortTitle(ports: PortSet): string {
  if (isEveryPort(ports)) return 'all ports (TCP, UDP, SCTP)';
  return PROTOCOL_ORDER.filter((p) => ports[p].length > 0)
    .map((p) => `${p} ${ports[p].map(([lo, hi]) => (lo === 1 && hi === MAX_PORT ? 'all' : lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ')}`)
    .join('; ');
}

/**
 * Boundary flow numbers for a badge: `F1`, `F2, F5`, `F1–F4, F9 +6` (runs of three or more as a
 * range; after `max` parts, the count of the numbers left out).
 */
export function formatFlowNumbers(ids: readonly string[], max = 3): string {
  const numbers = [...new Set(ids.map((id) => Number(id.slice(1))))].filter(Number.isFinite).sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const n of numbers) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  const parts = runs.flatMap(([lo, hi]): [number, number][] => (hi - lo === 1 ? [[lo, lo], [hi, hi]] : [[lo, hi]]));
  const shown = parts.slice(0, max);
  const hidden = parts.slice(max).reduce((sum, [lo, hi]) => sum + hi - lo + 1, 0);
  const text = shown.map(([lo, hi]) => (lo === hi ? `F${lo}` : `F${lo}\u2013F${hi}`)).join(', ');
  return hidden > 0 ? `${text} +${hidden}` : text;
}
