import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleContact, startHarness, type Harness } from '../harness.ts';

// Real PostgreSQL only: a pg_dump of the whole database holds no contact plaintext.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('pg_dump of the database', () => {
  it('contains the contact row but none of its plaintext values', async () => {
    const fra = h.token('delegate', 'FRA');
    await h.request({ method: 'PUT', url: '/v1/states/FRA/participation', token: fra });
    const input = sampleContact({ name: 'Xiomara Pląskowska-Ndlovu', organization: 'Unique Org For Dump Test', notes: 'dump-test-secret-note' });
    const res = await h.request({ method: 'POST', url: '/v1/states/FRA/contacts', token: fra, payload: input });
    expect(res.statusCode).toBe(201);
    const id = res.json().contact.id as string;

    const dump = execFileSync('pg_dump', ['--data-only', '--inserts', h.url!], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain(id);
    for (const value of [input.name, input.organization, input.notes, input.email, input.phone, input.title, input.availability]) {
      expect(dump).not.toContain(value);
      expect(dump).not.toContain(Buffer.from(value).toString('hex'));
    }
  });
});
