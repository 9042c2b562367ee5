/**
 * Seeding through the public API, as a delegate of FRA: join, then create
 * contacts (body like sampleContact() in tests/harness.ts, which cannot be
 * imported outside vitest).
 */
import { randomUUID } from 'node:crypto';
import { createSigner } from 'fast-jwt';

export const BENCH_STATE = 'FRA';

/** An HS256 delegate token for `state`, valid for an hour. */
export function delegateToken(secret: string, state = BENCH_STATE): string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 3_600_000 });
  return sign({ sub: `bench-delegate-${state}`, role: 'delegate', state });
}

export function sampleContact(i: number | string) {
  return {
    domains: ['technical'],
    name: `Jeanne Dupont-Łukasiewicz ${i}`,
    title: 'Head of National CERT',
    rank: 'director',
    organization: 'Agence nationale de la sécurité',
    email: `jeanne.${i}.${randomUUID().slice(0, 8)}@cert.example.fr`,
    phone: '+33123456789',
    languages: ['fr', 'en'],
    timezone: 'Europe/Paris',
    availability: '24/7',
    notes: 'Prefers Signal for urgent calls',
  };
}

export async function call(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Joins the state, creates `count` contacts, returns their ids. */
export async function seed(baseUrl: string, token: string, count: number): Promise<string[]> {
  await call(baseUrl, token, 'PUT', `/v1/states/${BENCH_STATE}/participation`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = (await call(baseUrl, token, 'POST', `/v1/states/${BENCH_STATE}/contacts`, sampleContact(i))) as { contact: { id: string } };
    ids.push(created.contact.id);
  }
  return ids;
}

/** One GET, to fail fast (with the server's answer) before loading a broken endpoint. */
export async function probe(baseUrl: string, path: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  if (!res.ok) throw new Error(`probe GET ${path}: HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}
