/**
 * SSRF protection for webhook URLs.
 *
 * A webhook URL is accepted only when its scheme is https (http too when
 * WEBHOOKS_ALLOW_PRIVATE=true) and EVERY address its host resolves to is a
 * public unicast address. The check runs when the URL is registered and again
 * before each delivery, and the delivery connects to the address that was
 * checked (the `lookup` option of the request is pinned to it), so a DNS
 * answer that changes between the check and the connection (DNS rebinding)
 * cannot redirect a delivery to an internal address. Redirects are never
 * followed.
 *
 * Refused: unspecified/"this network" (0.0.0.0/8, ::), loopback (127/8, ::1),
 * private (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), link-local
 * (169.254/16, fe80::/10), unique-local (fc00::/7), site-local (fec0::/10),
 * multicast (224/4, ff00::/8), and reserved ranges (192.0.0/24, the
 * documentation and benchmarking ranges, 240/4 and broadcast, 100::/64,
 * 2001:db8::/32). IPv6 addresses that embed an IPv4 address (IPv4-mapped
 * ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16)
 * are judged by the IPv4 address they carry.
 */
import { promises as dns } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'reserved';

const RANGES: [AddressClass, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'fec0::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const LISTS = new Map<AddressClass, BlockList>();
for (const [cls, network, prefix, type] of RANGES) {
  let list = LISTS.get(cls);
  if (!list) LISTS.set(cls, (list = new BlockList()));
  list.addSubnet(network, prefix, type);
}

/** The eight 16-bit groups of an IPv6 address (which may end in a dotted IPv4 quad). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = parse(rest ?? '');
  const fill = rest === undefined ? [] : new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0);
  return [...left, ...fill, ...right];
}

/** The IPv4 address an IPv6 address carries, if it is of a form that embeds one. */
export function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (g.length !== 8) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, except :: and ::1 themselves)
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return v4(g[6]!, g[7]!);
  // 64:ff9b::/96 (NAT64 well-known prefix)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!);
  // 2002:AABB:CCDD::/48 (6to4)
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/** Why an address is not a public unicast address, or null when it is one. */
export function classifyAddress(address: string): AddressClass | null {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) return classifyAddress(inner);
  }
  if (family === 4 && address === '255.255.255.255') return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [cls, list] of LISTS) if (list.check(address, type)) return cls;
  return null;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address (like dns.lookup with all: true). Injectable for tests. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const addresses = await dns.lookup(hostname, { all: true, verbatim: true });
  return addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Why a webhook URL was refused; stable codes, shown to the client and in the outbox's last_error. */
export type UrlRefusal =
  | { reason: 'invalid-url' | 'scheme' | 'unresolvable' }
  | { reason: 'address'; addressClass: AddressClass };

export function describeRefusal(r: UrlRefusal): string {
  switch (r.reason) {
    case 'invalid-url':
      return 'is not a valid absolute URL';
    case 'scheme':
      return 'must use https';
    case 'unresolvable':
      return 'has a host name that does not resolve';
    case 'address':
      return `resolves to a ${r.addressClass} address; webhooks are delivered to public addresses only`;
  }
}

export type UrlCheck = { ok: true; url: URL; address: ResolvedAddress } | ({ ok: false } & UrlRefusal);

/**
 * Checks a webhook URL: scheme, then every address its host resolves to.
 * On success, returns the address to connect to (the first one resolved).
 * Never throws; never puts the URL in an error.
 */
export async function checkWebhookUrl(raw: string, opts: { allowPrivate: boolean; resolve: Resolver }): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid-url' };
  }
  if (url.protocol !== 'https:' && !(opts.allowPrivate && url.protocol === 'http:')) return { ok: false, reason: 'scheme' };
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: ResolvedAddress[];
  const family = isIP(host);
  if (family !== 0) {
    addresses = [{ address: host, family: family === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await opts.resolve(host);
    } catch {
      return { ok: false, reason: 'unresolvable' };
    }
    if (addresses.length === 0) return { ok: false, reason: 'unresolvable' };
  }
  if (!opts.allowPrivate) {
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      if (cls) return { ok: false, reason: 'address', addressClass: cls };
    }
  }
  return { ok: true, url, address: addresses[0]! };
}

/** A `lookup` for http(s).request that answers every query with the checked address. */
export function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean } | number | undefined, callback: (...args: unknown[]) => void) => {
    const all = typeof options === 'object' && options !== null && options.all === true;
    if (all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
}
