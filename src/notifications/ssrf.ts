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
 * Only global unicast addresses are accepted, as classified by ipaddr.js
 * (its `range()` names, from the IANA special-purpose registries): IPv4 in
 * its `unicast` range, IPv6 in its `unicast` range and inside 2000::/3 (the
 * global unicast allocation). Everything else is refused: unspecified,
 * loopback, private, CGNAT, link-local, unique-local, multicast, broadcast,
 * documentation, benchmarking and other reserved ranges. IPv4-mapped
 * addresses (::ffff:a.b.c.d) are judged by the IPv4 address they carry; the
 * other IPv6 forms that carry or translate to an IPv4 address (IPv4-compatible
 * ::/96, SIIT ::ffff:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, Teredo
 * 2001::/32, 6to4 2002::/16) are refused outright: a gateway could deliver
 * them to any IPv4 address, internal ones included.
 */
import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'ipv4-translation'
  | 'reserved';

/** ipaddr.js range names, mapped to the stable classes shown to clients; any other non-unicast range is 'reserved'. */
const CLASS_OF_RANGE: Record<string, AddressClass> = {
  unspecified: 'unspecified',
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'cgnat',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  multicast: 'multicast',
  rfc6145: 'ipv4-translation',
  rfc6052: 'ipv4-translation',
  '6to4': 'ipv4-translation',
  teredo: 'ipv4-translation',
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/** Why an address is not a global unicast address, or null when it is one. */
export function classifyAddress(address: string): AddressClass | null {
  const zone = address.indexOf('%');
  const text = zone >= 0 ? address.slice(0, zone) : address;
  const family = isIP(text);
  if (family === 0) return 'reserved';
  // The WHATWG URL parser writes IPv6 in hex groups: ipaddr.js would read the dotted form "::a.b.c.d"
  // (IPv4-compatible) as if it were "::ffff:a.b.c.d" (IPv4-mapped).
  const canonical = family === 6 ? new URL(`http://[${text}]/`).hostname.slice(1, -1) : text;
  if (!ipaddr.isValid(canonical)) return 'reserved';
  const parsed = ipaddr.parse(canonical);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return classifyAddress(v6.toIPv4Address().toString());
    const range = v6.range();
    if (range !== 'unicast') return CLASS_OF_RANGE[range] ?? 'reserved';
    // ipaddr.js calls every address outside its special ranges unicast; only 2000::/3 is globally routed
    // (this also refuses the IPv4-compatible ::/96 form).
    return v6.match(GLOBAL_UNICAST_V6) ? null : 'reserved';
  }
  const range = (parsed as ipaddr.IPv4).range();
  return range === 'unicast' ? null : (CLASS_OF_RANGE[range] ?? 'reserved');
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
      return `resolves to a ${r.addressClass} address; webhooks are delivered to global unicast addresses only`;
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
