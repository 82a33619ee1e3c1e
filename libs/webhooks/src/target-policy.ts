import ipaddr from 'ipaddr.js';

/**
 * Which webhook targets may be called (SSRF guard). Only public unicast
 * addresses by default: private, loopback, link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved,
 * unspecified, and the IPv6 forms that embed an IPv4 address are refused,
 * unless an allow-list entry (CIDR, exact host name or `*.suffix`) admits
 * the host or the address.
 */
export interface AllowList {
  cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  hosts: Set<string>;
  suffixes: string[];
}

export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

/** Parses `WEBHOOK_ALLOWED_TARGETS` (comma-separated); throws on an entry that is neither a CIDR nor a host pattern. */
export function parseAllowList(value: string | undefined): AllowList {
  const list: AllowList = { cidrs: [], hosts: new Set(), suffixes: [] };
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) {
      list.cidrs.push(ipaddr.parseCIDR(entry));
    } else if (ipaddr.isValid(entry)) {
      const addr = ipaddr.parse(entry);
      list.cidrs.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry.startsWith('*.') && /^[a-z0-9.-]+$/.test(entry.slice(2))) {
      list.suffixes.push(entry.slice(1));
    } else if (/^[a-z0-9.-]+$/.test(entry)) {
      list.hosts.add(entry);
    } else {
      throw new Error(`WEBHOOK_ALLOWED_TARGETS: "${raw.trim()}" is neither a CIDR, an address nor a host name`);
    }
  }
  return list;
}

/** The address in its plain form: an IPv4-mapped IPv6 address becomes the IPv4 one. */
function normalize(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const addr = ipaddr.parse(address);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address();
  return addr;
}

/** The ipaddr.js range name of an address ('unicast' for a public one). */
export function addressRange(address: string): string {
  return normalize(address).range();
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

function hostAllowed(host: string, allow: AllowList): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allow.hosts.has(h) || allow.suffixes.some((s) => h.endsWith(s) && h.length > s.length);
}

function addressAllowed(address: string, allow: AllowList): boolean {
  const addr = normalize(address);
  return allow.cidrs.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

/** Throws TargetRefusedError unless the address may be called for this host. */
export function checkAddress(host: string, address: string, allow: AllowList): void {
  if (!ipaddr.isValid(address)) throw new TargetRefusedError(`"${address}" is not an IP address`);
  if (isPublicAddress(address) || hostAllowed(host, allow) || addressAllowed(address, allow)) return;
  throw new TargetRefusedError(
    `${host} resolves to ${address} (${addressRange(address)}), which is not a public address; allow it with WEBHOOK_ALLOWED_TARGETS`,
  );
}

/** Throws TargetRefusedError unless every address may be called (a host must not mix public and private answers). */
export function checkAddresses(host: string, addresses: string[], allow: AllowList): void {
  if (addresses.length === 0) throw new TargetRefusedError(`${host} does not resolve to any address`);
  for (const a of addresses) checkAddress(host, a, allow);
}

export interface ParsedTarget {
  url: URL;
  /** The host name without IPv6 brackets. */
  host: string;
  /** Set when the host is an IP literal. */
  literal: string | null;
  port: number;
}

/**
 * The URL's shape: http(s) only (https only when `requireHttps`), no user
 * name or password in it, no fragment. Returns the parsed parts.
 */
export function checkUrlShape(raw: string, options: { requireHttps: boolean }): ParsedTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('url is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefusedError('url must be http or https');
  if (options.requireHttps && url.protocol !== 'https:') throw new TargetRefusedError('url must be https in production');
  if (url.username || url.password) throw new TargetRefusedError('url must not carry a user name or password');
  if (url.hash) throw new TargetRefusedError('url must not carry a fragment');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new TargetRefusedError('url has no host');
  const literal = ipaddr.isValid(host) ? host : null;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { url, host, literal, port };
}
