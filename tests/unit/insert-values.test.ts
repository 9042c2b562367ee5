import { describe, expect, it } from 'vitest';
import { insertValues } from '../../src/db/index.ts';

describe('insertValues (hand-built INSERT text of the hottest writes)', () => {
  it('numbers parameters after those already collected, in the first row key order, one tuple per row', () => {
    const params: unknown[] = ['earlier'];
    const when = new Date(0);
    const text = insertValues('notification_outbox', [{ id: 'a', at: when, n: 1 }, { id: 'b', at: when, n: 2 }], params);
    expect(text).toBe('insert into "notification_outbox" ("id", "at", "n") values ($2, $3, $4), ($5, $6, $7)');
    expect(params).toEqual(['earlier', 'a', when, 1, 'b', when, 2]);
  });

  it('gives the same text for the same shape (so the statement is prepared once per connection)', () => {
    const a = insertValues('requests', [{ id: '1', x: null }], []);
    const b = insertValues('requests', [{ id: '2', x: 'y' }], []);
    expect(a).toBe(b);
  });

  it('refuses identifiers that are not plain, rows without columns, and rows lacking a column of the first', () => {
    expect(() => insertValues('requests; drop table x', [{ id: 1 }], [])).toThrow(/not a plain identifier/);
    expect(() => insertValues('requests', [{ 'id" = 1; --': 1 }], [])).toThrow(/not a plain identifier/);
    expect(() => insertValues('requests', [], [])).toThrow(/no rows/);
    expect(() => insertValues('requests', [{ id: 1, a: 2 }, { id: 2 }], [])).toThrow(/lacks column a/);
  });
});
