// Reading the connection JSON back for the property tests that compare it with the reference evaluator.

export type PortsJson = 'all' | readonly { protocol: string; port?: number; endPort?: number }[];

/** Whether a connection's ports (undefined: no connection) admit one protocol and port. */
export const admits = (ports: PortsJson | undefined, protocol: string, port: number): boolean =>
  ports !== undefined && (ports === 'all' || ports.some((p) => p.protocol === protocol && (p.port === undefined || (port >= p.port && port <= (p.endPort ?? p.port)))));

export const ipv4 = (text: string): number => text.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

/** Whether an IPv4 address (as a number) is in a CIDR; IPv6 CIDRs hold none. */
export const inCidr = (ip: number, cidr: string): boolean => {
  const [base, len] = cidr.split('/');
  if (base!.includes(':')) return false;
  const size = 2 ** (32 - Number(len));
  const lo = Math.floor(ipv4(base!) / size) * size;
  return ip >= lo && ip < lo + size;
};
