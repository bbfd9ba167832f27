import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../errors.js';

/** Strip the IPv4-mapped IPv6 prefix (`::ffff:203.0.113.7` → `203.0.113.7`) and zone ids. */
export function normalizeIp(ip: string): string {
  let out = ip.trim();
  const zone = out.indexOf('%');
  if (zone !== -1) out = out.slice(0, zone);
  if (out.startsWith('::ffff:') && isIP(out.slice(7)) === 4) return out.slice(7);
  if (out.startsWith('[') && out.endsWith(']')) out = out.slice(1, -1);
  return out;
}

/**
 * A list of IPs and CIDR ranges, IPv4 and IPv6, matched with Node's `BlockList`.
 * Built once; `has` costs a few hundred nanoseconds.
 */
export class IpList {
  private list = new BlockList();
  private entries: string[] = [];

  /** @param option the option name used in errors, e.g. `allow`. */
  constructor(
    entries: readonly string[],
    private readonly option: string,
  ) {
    entries.forEach((entry, i) => {
      this.addEntry(entry, `${option}[${i}]`);
    });
  }

  /** Add an IP or CIDR at run time. Throws a ConfigError for a malformed entry. */
  add(entry: string): void {
    this.addEntry(entry, this.option);
  }

  /** Remove an entry added before (exactly as written). `true` when it was there. */
  remove(entry: string): boolean {
    const index = this.entries.indexOf(entry.trim());
    if (index === -1) return false;
    const rest = this.entries.filter((_, i) => i !== index);
    this.list = new BlockList();
    this.entries = [];
    for (const e of rest) this.addEntry(e, this.option);
    return true;
  }

  /** The entries, as written. */
  values(): string[] {
    return [...this.entries];
  }

  private addEntry(raw: string, path: string): void {
    const entry = raw.trim();
    {
      const [address = '', prefixText, extra] = entry.trim().split('/');
      const ip = normalizeIp(address);
      const family = isIP(ip);
      if (family === 0 || extra !== undefined) {
        throw new ConfigError(
          path,
          `expected an IP or CIDR like '203.0.113.7' or '2001:db8::/32', got '${entry}'.`,
        );
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefixText === undefined) {
        this.list.addAddress(ip, type);
        this.entries.push(entry);
        return;
      }
      const prefix = Number(prefixText);
      const max = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
        throw new ConfigError(path, `the prefix length of '${entry}' must be 0..${max}.`);
      }
      this.list.addSubnet(ip, prefix, type);
      this.entries.push(entry);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Whether `ip` is in the list. Unparseable addresses are never in it. */
  has(ip: string): boolean {
    if (this.entries.length === 0) return false;
    const normalized = normalizeIp(ip);
    const family = isIP(normalized);
    if (family === 0) return false;
    return this.list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** Expand an IPv6 address to its eight groups. */
function expandIpv6(ip: string): number[] {
  const [head = '', tail = ''] = ip.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const h = parse(head);
  const t = ip.includes('::') ? parse(tail) : [];
  const zeros = new Array(8 - h.length - t.length).fill(0);
  return [...h, ...zeros, ...t];
}

/**
 * The key a client address counts under: IPv4 addresses as they are, IPv6 addresses by their
 * `/prefix` network (default /64), so rotating addresses inside one allocation does not evade
 * limits. `prefix` 128 keeps full IPv6 addresses.
 */
export function ipKey(ip: string, ipv6Prefix = 64): string {
  const normalized = normalizeIp(ip);
  if (isIP(normalized) !== 6 || ipv6Prefix >= 128) return normalized;
  const groups = expandIpv6(normalized);
  const out: string[] = [];
  for (let g = 0; g < 8; g++) {
    const bits = Math.max(0, Math.min(16, ipv6Prefix - g * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    out.push(((groups[g] ?? 0) & mask).toString(16));
  }
  return `${out.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${ipv6Prefix}`;
}
