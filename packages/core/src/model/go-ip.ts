/**
 * IP addresses and CIDRs read exactly as Go's `net.ParseCIDR` reads them (through `netip.ParseAddr`),
 * because that is what the API server and the network plugins parse `ipBlock.cidr` with. Where a
 * JavaScript library is more forgiving (a zone `fe80::1%eth0`, a leading zero `010.0.0.0`) or reads
 * IPv4-embedded IPv6 (`::10.0.0.0`) differently, the cluster would disagree with the diagram.
 * https://pkg.go.dev/net#ParseCIDR, https://pkg.go.dev/net/netip#ParseAddr
 */

export type GoAddress =
  | { readonly ok: true; readonly family: 4 | 6; readonly value: bigint; readonly zone: string }
  | { readonly ok: false; readonly reason: string };

/** `netip.ParseAddr`: the first `.` or `:` decides the family; a `%` before either is an error. */
export function parseGoAddress(text: string): GoAddress {
  for (const c of text) {
    if (c === '.') return parseIPv4(text);
    if (c === ':') return parseIPv6(text);
    if (c === '%') return { ok: false, reason: 'missing IPv6 address' };
  }
  return { ok: false, reason: 'unable to parse IP' };
}

function parseIPv4(text: string): GoAddress {
  const fields = parseIPv4Fields(text);
  if (typeof fields === 'string') return { ok: false, reason: fields };
  return { ok: true, family: 4, value: fields.reduce((v, b) => (v << 8n) | BigInt(b), 0n), zone: '' };
}

/** Go's `parseIPv4Fields`: four decimal octets, no leading zeros, no empty field. */
function parseIPv4Fields(s: string): number[] | string {
  const fields: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && value === 0) return 'IPv4 field has octet with leading zero';
      value = value * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (value > 255) return 'IPv4 field has value >255';
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return 'IPv4 field must have at least one digit';
      if (fields.length === 3) return 'IPv4 address too long';
      fields.push(value);
      value = 0;
      digits = 0;
    } else return 'unexpected character';
  }
  if (fields.length < 3) return 'IPv4 address too short';
  fields.push(value);
  return fields;
}

/** Go's `parseIPv6`, step by step: hex fields, one `::`, an embedded IPv4 only in the last 32 bits, a zone after `%`. */
function parseIPv6(text: string): GoAddress {
  let s = text;
  let zone = '';
  const percent = s.indexOf('%');
  if (percent >= 0) {
    zone = s.slice(percent + 1);
    s = s.slice(0, percent);
    if (zone === '') return { ok: false, reason: 'zone must be a non-empty string' };
  }
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return { ok: true, family: 6, value: 0n, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      if (!/[0-9a-fA-F]/.test(s[off]!)) break;
      acc = acc * 16 + parseInt(s[off]!, 16);
      if (off > 3) return { ok: false, reason: 'each colon-separated field must have at most 4 hex digits' };
    }
    if (off === 0) return { ok: false, reason: 'each colon-separated field must have at least one digit' };
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return { ok: false, reason: 'embedded IPv4 address must replace the final 2 fields of the address' };
      if (i + 4 > 16) return { ok: false, reason: 'too many hex fields to fit an embedded IPv4 at the end of the address' };
      const fields = parseIPv4Fields(s);
      if (typeof fields === 'string') return { ok: false, reason: fields };
      fields.forEach((b, k) => (ip[i + k] = b));
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') return { ok: false, reason: 'unexpected character, want colon' };
    if (s.length === 1) return { ok: false, reason: 'colon must be followed by more characters' };
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return { ok: false, reason: 'multiple :: in address' };
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return { ok: false, reason: 'trailing garbage after address' };
  if (i < 16) {
    if (ellipsis < 0) return { ok: false, reason: 'address string too short' };
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    for (let j = ellipsis; j < ellipsis + n; j++) ip[j] = 0;
  } else if (ellipsis >= 0) return { ok: false, reason: 'the :: must expand to at least one field of zeros' };
  return { ok: true, family: 6, value: ip.reduce((v, b) => (v << 8n) | BigInt(b), 0n), zone };
}

export type GoCidr =
  | { readonly ok: true; readonly family: 4 | 6; readonly address: bigint; readonly prefix: number }
  | { readonly ok: false; readonly reason: string };

/**
 * `net.ParseCIDR`: an address without a zone, `/`, and a decimal prefix (leading zeros allowed, as
 * Go's `dtoi` allows them) of at most 32 bits for IPv4 and 128 for IPv6, IPv4-embedded IPv6 included.
 */
export function parseGoCidr(text: string): GoCidr {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: 'missing "/prefix"' };
  const address = parseGoAddress(text.slice(0, slash));
  if (!address.ok) return { ok: false, reason: `"${text.slice(0, slash)}" is not an IP address (${address.reason})` };
  if (address.zone !== '') return { ok: false, reason: `an IPv6 zone ("%${address.zone}") is not allowed in a CIDR` };
  const mask = text.slice(slash + 1);
  const bits = address.family === 4 ? 32 : 128;
  if (!/^[0-9]+$/.test(mask)) return { ok: false, reason: `prefix "${mask}" is not a number` };
  const prefix = mask.length > 8 ? Infinity : Number(mask);
  if (prefix > bits) return { ok: false, reason: `prefix /${mask} is out of range for IPv${address.family} (0-${bits})` };
  return { ok: true, family: address.family, address: address.value, prefix };
}
