/** SSRF address classification and URL checks (no network: the resolver is injected). */
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, classifyAddress, type ResolvedAddress } from '../../src/notifications/ssrf.ts';

describe('classifyAddress', () => {
  const cases: [string, ReturnType<typeof classifyAddress>][] = [
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv4-mapped addresses are judged by the IPv4 address they carry
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:0.0.0.0', 'unspecified'],
    // other forms that carry or translate to an IPv4 address are refused outright (issue 9)
    ['::ffff:0:127.0.0.1', 'ipv4-translation'],
    ['::ffff:0:808:808', 'ipv4-translation'],
    ['64:ff9b:1::7f00:1', 'ipv4-translation'],
    ['64:ff9b::a00:1', 'ipv4-translation'],
    ['64:ff9b::808:808', 'ipv4-translation'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'ipv4-translation'],
    ['2002:7f00:1::', 'ipv4-translation'],
    ['2002:c0a8:101::1', 'ipv4-translation'],
    ['2002:808:808::1', 'ipv4-translation'],
    ['::127.0.0.1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    // other special-purpose and unallocated ranges
    ['192.88.99.1', 'reserved'],
    ['192.52.193.1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['5f00::1', 'reserved'],
    // public unicast
    ['8.8.8.8', null],
    ['93.184.215.14', null],
    ['100.63.255.255', null],
    ['100.128.0.0', null],
    ['172.15.255.255', null],
    ['172.32.0.0', null],
    ['169.253.255.255', null],
    ['11.0.0.1', null],
    ['2001:4860:4860::8888', null],
    ['2a00:1450:4007:80e::200e', null],
    ['::ffff:8.8.8.8', null],
    ['2620:fe::fe', null],
    // not an address at all
    ['example.org', 'reserved'],
  ];
  for (const [address, expected] of cases) {
    it(`${address} -> ${expected ?? 'public'}`, () => expect(classifyAddress(address)).toBe(expected));
  }
});

describe('checkWebhookUrl', () => {
  const table: Record<string, ResolvedAddress[]> = {
    'public.example': [{ address: '93.184.215.14', family: 4 }],
    'dual.example': [
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      { address: '93.184.215.14', family: 4 },
    ],
    'mixed.example': [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ],
    'rebind.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
  };
  const resolve = async (host: string) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found;
  };
  const strict = { allowPrivate: false, resolve };
  const open = { allowPrivate: true, resolve };

  it('accepts https URLs whose every address is public, and pins the first address', async () => {
    expect(await checkWebhookUrl('https://public.example/hook?x=1', strict)).toMatchObject({ ok: true, address: { address: '93.184.215.14', family: 4 } });
    expect(await checkWebhookUrl('https://dual.example/', strict)).toMatchObject({ ok: true, address: { family: 6 } });
    expect(await checkWebhookUrl('https://93.184.215.14/', strict)).toMatchObject({ ok: true });
  });

  it('refuses other schemes, http unless private networks are allowed, and unparsable URLs', async () => {
    expect(await checkWebhookUrl('http://public.example/', strict)).toEqual({ ok: false, reason: 'scheme' });
    expect(await checkWebhookUrl('ftp://public.example/', open)).toEqual({ ok: false, reason: 'scheme' });
    expect(await checkWebhookUrl('file:///etc/passwd', open)).toEqual({ ok: false, reason: 'scheme' });
    expect(await checkWebhookUrl('not a url', strict)).toEqual({ ok: false, reason: 'invalid-url' });
    expect(await checkWebhookUrl('http://public.example/', open)).toMatchObject({ ok: true });
  });

  it('refuses a host when ANY of its addresses is not public, and hosts that do not resolve', async () => {
    expect(await checkWebhookUrl('https://mixed.example/', strict)).toEqual({ ok: false, reason: 'address', addressClass: 'private' });
    expect(await checkWebhookUrl('https://rebind.example/', strict)).toEqual({ ok: false, reason: 'address', addressClass: 'loopback' });
    expect(await checkWebhookUrl('https://nowhere.example/', strict)).toEqual({ ok: false, reason: 'unresolvable' });
    expect(await checkWebhookUrl('https://mixed.example/', open)).toMatchObject({ ok: true });
  });

  it('judges IP literals in every spelling the URL parser accepts', async () => {
    for (const [url, cls] of [
      ['https://127.0.0.1/', 'loopback'],
      ['https://2130706433/', 'loopback'],
      ['https://0x7f.1/', 'loopback'],
      ['https://[::1]/', 'loopback'],
      ['https://[::ffff:127.0.0.1]/', 'loopback'],
      ['https://[fd00::1]:8443/', 'unique-local'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://0.0.0.0/', 'unspecified'],
      ['https://100.64.1.1/', 'cgnat'],
      // issue 9: IPv6 forms that lead to 127.0.0.1 through a translator
      ['https://[::ffff:0:127.0.0.1]/', 'ipv4-translation'],
      ['https://[64:ff9b:1::7f00:1]/', 'ipv4-translation'],
      ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', 'ipv4-translation'],
    ] as const) {
      expect(await checkWebhookUrl(url, strict), url).toEqual({ ok: false, reason: 'address', addressClass: cls });
    }
  });
});
