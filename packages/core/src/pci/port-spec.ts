import { isProtocol, MAX_PORT, portRange, type PortSet } from '../model/ports.js';

/** A parsed port, or why the text is not one. */
export type ParsedPortSpec = { readonly ok: true; readonly ports: PortSet } | { readonly ok: false; readonly reason: string };

/**
 * Parses a port as written on the command line or in an expectations file: `80`, `80/TCP`,
 * `8000-8080/UDP`, or `TCP/6379`. The protocol defaults to TCP, as in NetworkPolicy.
 */
export function parsePortSpec(text: string | number): ParsedPortSpec {
  const raw = String(text).trim();
  const m = /^(?:(\w+)\/)?(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(raw);
  if (!m || (m[1] !== undefined && m[4] !== undefined)) {
    return { ok: false, reason: `"${raw}" is not a port (expected PORT, PORT/PROTOCOL or FROM-TO/PROTOCOL, e.g. 80/TCP)` };
  }
  const protocol = (m[1] ?? m[4] ?? 'TCP').toUpperCase();
  if (!isProtocol(protocol)) return { ok: false, reason: `"${m[1] ?? m[4]}" is not a protocol (TCP, UDP or SCTP)` };
  const from = Number(m[2]);
  const to = m[3] !== undefined ? Number(m[3]) : from;
  if (from < 1 || to > MAX_PORT || to < from) return { ok: false, reason: `"${raw}" is outside 1-65535` };
  return { ok: true, ports: portRange(protocol, from, to) };
}
