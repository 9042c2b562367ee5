/**
 * Who sees what, exhaustively: every combination of owner mode × grant
 * present × grant scope (counterpart or '*') × counterpart's grant back ×
 * domain granted × visibility × caller, on every read path, against a
 * reference model of the rules written independently of the service; in both
 * trust modes (AUTH_MODE claims and registry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

const VIEWER = 'KEN';
const OUTSIDER = 'NPL'; // a delegate whose state never joins
const OWNERS = ['ARG', 'AUS', 'AUT', 'BEL', 'BGR', 'BRA', 'CAN', 'CHE', 'CHL', 'CHN', 'COL', 'CZE', 'DEU', 'DNK', 'EGY', 'ESP', 'EST', 'FIN', 'FRA', 'GBR', 'GHA', 'GRC', 'IDN', 'IND', 'IRL', 'ISL', 'ISR', 'ITA', 'JPN', 'KOR', 'LTU', 'LUX'];

interface Config {
  owner: string;
  mode: 'unilateral' | 'reciprocal';
  grant: boolean;
  scope: 'counterpart' | '*';
  back: boolean;
  domainGranted: boolean;
}
type Caller = 'owner' | 'viewer' | 'secretariat' | 'auditor' | 'observer' | 'anonymous' | 'outsider';
const CALLERS: Caller[] = ['owner', 'viewer', 'secretariat', 'auditor', 'observer', 'anonymous', 'outsider'];

const configs: Config[] = [];
for (const mode of ['unilateral', 'reciprocal'] as const)
  for (const grant of [true, false])
    for (const scope of ['counterpart', '*'] as const)
      for (const back of [true, false])
        for (const domainGranted of [true, false]) configs.push({ owner: OWNERS[configs.length]!, mode, grant, scope, back, domainGranted });

/** The rules, restated: the reference the service is held to. */
function expected(caller: Caller, c: Config, visibility: 'public' | 'confidential'): boolean {
  if (visibility === 'public') return true;
  if (caller === 'owner' || caller === 'secretariat') return true;
  if (caller !== 'viewer') return false;
  return c.grant && c.domainGranted && (c.mode === 'unilateral' || c.back);
}

// Both trust modes: claims (the token asserts role and state) and registry (the registry does).
for (const mode of ['claims', 'registry'] as const) {
  let h: Harness;
  const tokens = {} as Record<Caller, (c: Config) => string | undefined>;
  const contacts: { config: Config; visibility: 'public' | 'confidential'; id: string }[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { AUTH_MODE: mode } });
    const viewer = h.token('delegate', VIEWER);
    await h.request({ method: 'PUT', url: `/v1/states/${VIEWER}/participation`, token: viewer });
    for (const c of configs) {
      const owner = h.token('delegate', c.owner);
      expect((await h.request({ method: 'PUT', url: `/v1/states/${c.owner}/participation`, token: owner })).statusCode).toBe(201);
      for (const visibility of ['public', 'confidential'] as const) {
        const res = await h.request({ method: 'POST', url: `/v1/states/${c.owner}/contacts`, token: owner, payload: sampleContact({ domains: ['technical'], visibility }) });
        expect(res.statusCode).toBe(201);
        contacts.push({ config: c, visibility, id: res.json().contact.id });
      }
      if (c.grant) {
        const counterpart = c.scope === '*' ? '*' : VIEWER;
        const res = await h.request({
          method: 'PUT',
          url: `/v1/states/${c.owner}/disclosures/${counterpart}`,
          token: owner,
          payload: { mode: c.mode, domains: [c.domainGranted ? 'technical' : 'diplomatic'] },
        });
        expect(res.statusCode).toBe(201);
      }
      if (c.back) {
        const res = await h.request({ method: 'PUT', url: `/v1/states/${VIEWER}/disclosures/${c.owner}`, token: viewer, payload: { mode: 'unilateral', domains: ['technical'] } });
        expect(res.statusCode).toBe(201);
      }
    }
    const fixed = { secretariat: h.token('secretariat'), auditor: h.token('auditor'), observer: h.token('observer'), viewer, outsider: h.token('delegate', OUTSIDER) };
    tokens.owner = (c) => h.token('delegate', c.owner);
    tokens.viewer = () => fixed.viewer;
    tokens.secretariat = () => fixed.secretariat;
    tokens.auditor = () => fixed.auditor;
    tokens.observer = () => fixed.observer;
    tokens.outsider = () => fixed.outsider;
    tokens.anonymous = () => undefined;
  }, 300_000);
  afterAll(() => h?.close());

  async function directoryIds(url: string, token: string | undefined): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await h.request({ method: 'GET', url: `${url}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, ...(token ? { token } : {}) });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { states: { state: string; domains: Record<string, { id: string; state: string }[]> }[]; nextCursor: string | null };
      for (const s of body.states) for (const list of Object.values(s.domains)) for (const c of list) ids.add(c.id);
      cursor = body.nextCursor;
    } while (cursor);
    return ids;
  }

  describe(`disclosure matrix (${mode} mode)`, () => {
    it(`covers ${configs.length} owner configurations × 2 visibilities × ${CALLERS.length} callers on every read path`, async () => {
      expect(contacts).toHaveLength(configs.length * 2);
      const publicIds = await directoryIds('/v1/public/directory', undefined);
      let cases = 0;
      const mismatches: string[] = [];
      for (const caller of CALLERS) {
        // The directory is per caller; the owner caller differs per configuration.
        const directory = caller === 'owner' || caller === 'anonymous' ? undefined : await directoryIds('/v1/directory', tokens[caller](configs[0]!));
        for (const { config, visibility, id } of contacts) {
          cases++;
          const want = expected(caller, config, visibility);
          const label = `${caller} × ${JSON.stringify(config)} × ${visibility}`;
          const token = tokens[caller](config);
          // /v1/public/directory: public contacts only, whoever asks.
          if (publicIds.has(id) !== (visibility === 'public')) mismatches.push(`public directory: ${label}`);
          if (!token) {
            // Anonymous callers have only the public directory; every other read path is 401.
            const res = await h.request({ method: 'GET', url: `/v1/contacts/${id}` });
            if (res.statusCode !== 401) mismatches.push(`GET contact (anonymous, ${res.statusCode}): ${label}`);
            continue;
          }
          const one = await h.request({ method: 'GET', url: `/v1/contacts/${id}`, token });
          if (one.statusCode !== (want ? 200 : 404)) mismatches.push(`GET /v1/contacts/{id} → ${one.statusCode}: ${label}`);
          const list = await h.request({ method: 'GET', url: `/v1/states/${config.owner}/contacts?limit=100`, token });
          const inList = (list.json().items as { id: string }[]).some((c) => c.id === id);
          if (inList !== want) mismatches.push(`GET /v1/states/{code}/contacts: ${label}`);
          const dir = directory ?? (await directoryIds('/v1/directory', token));
          if (dir.has(id) !== want) mismatches.push(`GET /v1/directory: ${label}`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(cases).toBe(configs.length * 2 * CALLERS.length); // 448 cases
    }, 300_000);

    it('reports the effective status of each grant to the owner and the viewer', async () => {
      const viewer = (await h.request({ method: 'GET', url: `/v1/states/${VIEWER}/disclosures`, token: tokens.viewer(configs[0]!) })).json();
      for (const c of configs.filter((x) => x.grant && x.scope === 'counterpart')) {
        const received = (viewer.received as { owner: string; status: string }[]).find((g) => g.owner === c.owner);
        // The viewer grants back only 'technical': a reciprocal grant of 'diplomatic' stays pending.
        const effective = c.mode === 'unilateral' || (c.back && c.domainGranted);
        expect(received?.status, JSON.stringify(c)).toBe(effective ? 'effective' : 'pending-reciprocity');
      }
    });
  });
}
