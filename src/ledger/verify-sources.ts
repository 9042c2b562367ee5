/**
 * Where the ledger verifier reads from: the HTTP API (any party with a
 * token), or the database directly (auditors with database access). Both
 * hand the same untrusted data to verify.ts, which checks everything.
 */
import { createDirectoryClient, type DirectoryClient } from '../client/index.ts';
import { fromHex } from '../crypto/index.ts';
import type { DatabaseHandle } from '../db/index.ts';
import { addSignatureLines } from '../tlog/cosignature.ts';
import { ledgerDb } from './tables.ts';
import { storedConsistencyProof, storedInclusionProof, treeSize } from './tree-store.ts';
import { SourceError, type LedgerSource, type SourceEntry, type SourceGap } from './verify.ts';
import type { RawEntryChunk } from './leaf-checker.ts';
import { HASH_BYTES } from './merkle.ts';

const PAGE = 1000;
/** Entries per HTTP page for the secretariat and auditors. */
const ENTRY_PAGE = 10_000;
/** Entries per database round trip (keyset pagination on seq, the next chunk fetched while this one is checked). */
const DB_CHUNK = 20_000;

const hashes = (value: unknown, what: string): Uint8Array[] => {
  if (!Array.isArray(value) || !value.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) throw new SourceError(`malformed ${what}`);
  return value.map((h: string) => fromHex(h));
};

/** The HTTP API of a running service, read through the typed client (src/client). */
export class HttpSource implements LedgerSource {
  readonly description: string;
  readonly #api: DirectoryClient;

  constructor(baseUrl: string, token: string | undefined, fetchImpl: typeof fetch = fetch) {
    this.description = new URL(baseUrl).origin;
    this.#api = createDirectoryClient({ baseUrl: this.description, token, fetch: (request) => fetchImpl(request) });
  }

  /** One call: its status and body (the data, or the error body); unreachable or non-JSON bodies are SourceErrors. */
  async #get(what: string, call: (api: DirectoryClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<{ status: number; body: unknown }> {
    let result;
    try {
      result = await call(this.#api);
    } catch (err) {
      if (err instanceof SyntaxError) throw new SourceError(`GET ${what}: not JSON`);
      throw new SourceError(`cannot reach ${this.description}: ${(err as Error).message}`);
    }
    return { status: result.response.status, body: result.response.ok ? result.data : result.error };
  }

  async #json(what: string, call: (api: DirectoryClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Record<string, unknown>> {
    const { status, body } = await this.#get(what, call);
    if (status !== 200) {
      const detail = typeof body === 'object' && body !== null && 'detail' in body ? String(body.detail) : '';
      throw new SourceError(`GET ${what}: HTTP ${status}${detail ? ` (${detail})` : typeof body === 'string' ? ', not JSON' : ''}`, status);
    }
    if (typeof body !== 'object' || body === null) throw new SourceError(`GET ${what}: not a JSON object`);
    return body as Record<string, unknown>;
  }

  async publicKey(): Promise<string | undefined> {
    const body = await this.#json('/v1/ledger/public-key', (api) => api.GET('/v1/ledger/public-key'));
    return typeof body.verifierKey === 'string' ? body.verifierKey : undefined;
  }

  async latestCheckpoint(): Promise<string | undefined> {
    const body = await this.#json('/v1/ledger/checkpoint', (api) => api.GET('/v1/ledger/checkpoint'));
    return typeof body.note === 'string' ? body.note : undefined;
  }

  async *checkpoints(): AsyncIterable<string> {
    let from: number | null = 0;
    while (from !== null) {
      const query: { from: number; limit: number } = { from, limit: PAGE };
      const body = await this.#json(`/v1/ledger/checkpoints?from=${from}`, (api) => api.GET('/v1/ledger/checkpoints', { params: { query } }));
      const list = body.checkpoints;
      if (!Array.isArray(list)) throw new SourceError('malformed checkpoint list');
      for (const c of list) {
        if (typeof c?.note !== 'string') throw new SourceError('malformed checkpoint');
        yield c.note;
      }
      from = typeof body.next === 'number' ? body.next : null;
    }
  }

  async *entries(from: number): AsyncIterable<SourceEntry | SourceGap> {
    let at: number | null = from;
    // The secretariat and auditors may read pages of ENTRY_PAGE entries; delegates PAGE (400 for more).
    let limit = ENTRY_PAGE;
    const page = (query: { from: number; limit: number }) => (api: DirectoryClient) => api.GET('/v1/ledger/entries', { params: { query } });
    while (at !== null) {
      let body: Record<string, unknown>;
      try {
        body = await this.#json(`/v1/ledger/entries?from=${at}&limit=${limit}`, page({ from: at, limit }));
      } catch (err) {
        if (err instanceof SourceError && err.status === 400 && limit > PAGE) {
          limit = PAGE;
          continue;
        }
        // A page the server cannot render: find the entry that breaks it.
        if (!(err instanceof SourceError) || (err.status ?? 0) < 500) throw err;
        const single = await this.#get(`/v1/ledger/entries?from=${at}&limit=1`, page({ from: at, limit: 1 }));
        if (single.status !== 200) {
          yield { index: at, error: `HTTP ${single.status}` };
          return;
        }
        body = single.body as Record<string, unknown>;
      }
      const list = body.entries;
      if (!Array.isArray(list)) throw new SourceError('malformed entry list');
      for (const e of list) {
        if (typeof e?.index !== 'number' || typeof e?.leafHash !== 'string') throw new SourceError('malformed entry');
        yield { index: e.index, leafHash: e.leafHash, entry: e.entry };
      }
      at = typeof body.next === 'number' ? body.next : null;
    }
  }

  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    const body = await this.#json(`/v1/ledger/entries/${index}/inclusion-proof?treeSize=${size}`, (api) =>
      api.GET('/v1/ledger/entries/{index}/inclusion-proof', { params: { path: { index }, query: { treeSize: size } } }),
    );
    return hashes(body.proof, 'inclusion proof');
  }

  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    const body = await this.#json(`/v1/ledger/consistency-proof?from=${from}&to=${to}`, (api) => api.GET('/v1/ledger/consistency-proof', { params: { query: { from, to } } }));
    return hashes(body.proof, 'consistency proof');
  }
}

/**
 * The database, read directly (an auditor's read-only role is enough). It
 * cannot sign, so the freshest checkpoint is the latest stored one.
 */
export class DatabaseSource implements LedgerSource {
  readonly description: string;
  constructor(
    private readonly database: DatabaseHandle,
    description = 'database',
    /** Rows per read (tests use small chunks to cross chunk boundaries). */
    private readonly chunk = DB_CHUNK,
  ) {
    this.description = description;
  }

  async publicKey(): Promise<string | undefined> {
    return undefined;
  }

  async latestCheckpoint(): Promise<string | undefined> {
    return undefined;
  }

  async *checkpoints(): AsyncIterable<string> {
    let from = 0;
    for (;;) {
      const rows = await ledgerDb(this.database.db)
        .selectFrom('ledger_checkpoints')
        .select(['tree_size', 'note'])
        .where('tree_size', '>=', from)
        .orderBy('tree_size')
        .limit(PAGE)
        .execute();
      // With the witnesses' cosignatures, as the API serves them (table of migration 0014).
      const lines = new Map<number, string[]>();
      if (rows.length > 0) {
        const cosignatures = await ledgerDb(this.database.db)
          .selectFrom('ledger_cosignatures')
          .select(['tree_size', 'line'])
          .where('tree_size', 'in', rows.map((r) => Number(r.tree_size)))
          .orderBy('witness')
          .execute();
        for (const c of cosignatures) lines.set(Number(c.tree_size), [...(lines.get(Number(c.tree_size)) ?? []), c.line]);
      }
      for (const r of rows) yield lines.has(Number(r.tree_size)) ? addSignatureLines(r.note, lines.get(Number(r.tree_size))!) : r.note;
      if (rows.length < PAGE) return;
      from = Number(rows.at(-1)!.tree_size) + 1;
    }
  }

  /** Stored entries from `from` in index order, a chunk of rows at a time, the next chunk read while the caller works on this one. */
  async *#rowChunks(from: number) {
    const fetchChunk = (at: number) =>
      this.database.db.selectFrom('ledger_entries').select(['seq', 'canonical', 'leaf_hash']).where('seq', '>=', at).orderBy('seq').limit(this.chunk).execute();
    let pending = fetchChunk(from);
    for (;;) {
      const rows = await pending;
      const last = rows.at(-1);
      if (rows.length === this.chunk && last) {
        pending = fetchChunk(Number(last.seq) + 1);
        pending.catch(() => undefined); // awaited on the next turn; not an unhandled rejection if iteration stops first
      }
      if (rows.length > 0) yield rows;
      if (rows.length < this.chunk) return;
    }
  }

  async *entries(from: number): AsyncIterable<SourceEntry | SourceGap> {
    for await (const rows of this.#rowChunks(from)) {
      for (const r of rows) {
        let entry: unknown;
        try {
          entry = JSON.parse(r.canonical);
        } catch {
          yield { index: Number(r.seq), error: 'the stored entry is not JSON' };
          return;
        }
        const bytes = r.leaf_hash;
        yield {
          index: Number(r.seq),
          get leafHash() {
            return Buffer.from(bytes).toString('hex');
          },
          leafHashBytes: bytes,
          entry,
          canonical: r.canonical,
        };
      }
    }
  }

  /** The same rows as entries(), unparsed, a chunk at a time: for the verifier's worker thread. */
  async *rawEntries(from: number): AsyncIterable<RawEntryChunk> {
    for await (const rows of this.#rowChunks(from)) {
      const leafHashes = new Uint8Array(HASH_BYTES * rows.length);
      const indices: number[] = [];
      const texts: string[] = [];
      rows.forEach((r, i) => {
        indices.push(Number(r.seq));
        texts.push(r.canonical);
        // A stored hash of the wrong length cannot match: it is sent as 32 bytes of 0xff, so the entry fails as "does not hash to its leaf hash".
        leafHashes.set(r.leaf_hash.length === HASH_BYTES ? r.leaf_hash : new Uint8Array(HASH_BYTES).fill(0xff), HASH_BYTES * i);
      });
      yield { indices, texts, leafHashes };
    }
  }

  async #withinTree(size: number): Promise<void> {
    const current = await treeSize(this.database.db);
    if (size > current) throw new SourceError(`tree size ${size} exceeds the stored tree (${current})`);
  }

  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    await this.#withinTree(size);
    try {
      return (await storedInclusionProof(this.database.db, index, size)).proof;
    } catch (err) {
      throw new SourceError((err as Error).message);
    }
  }

  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    await this.#withinTree(to);
    try {
      return await storedConsistencyProof(this.database.db, from, to);
    } catch (err) {
      throw new SourceError((err as Error).message);
    }
  }
}
