/**
 * Pagination cursors: opaque and tamper-proof. A cursor is
 * `base64url(JSON payload) "." base64url(HMAC-SHA-256(key, purpose NUL payload))`,
 * with a key derived from the index root for this purpose only. The purpose
 * (for example `contacts.list:FRA`) binds a cursor to the listing that issued
 * it. A cursor whose MAC does not verify, or whose payload does not parse into
 * the listing's typed fields, is refused with 400; nothing from it reaches a
 * query unless the server wrote it.
 */
import { z } from 'zod';
import { constantTimeEqual, hmacSha256, utf8 } from '../crypto/index.ts';
import { Problem } from './problem.ts';

const invalid = () => new Problem('bad-request', 'cursor is not valid; use the nextCursor of a previous page');
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A timestamp as the database returns it, within the range a cursor can hold. */
export const cursorTime = z.iso
  .datetime()
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999);

export function createCursorCodec(key: Uint8Array) {
  const mac = (purpose: string, payload: string) => hmacSha256(key, utf8(`${purpose}\u0000${payload}`));

  function encode(purpose: string, fields: readonly (string | number)[]): string {
    const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
    return `${payload}.${Buffer.from(mac(purpose, payload)).toString('base64url')}`;
  }

  function decode<S extends z.ZodType>(purpose: string, cursor: string, schema: S): z.output<S> {
    const [payload, tag, ...rest] = cursor.split('.');
    if (!payload || !tag || rest.length > 0 || !BASE64URL.test(payload) || !BASE64URL.test(tag)) throw invalid();
    if (!constantTimeEqual(new Uint8Array(Buffer.from(tag, 'base64url')), mac(purpose, payload))) throw invalid();
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw invalid();
    return parsed.data;
  }

  return { encode, decode };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
