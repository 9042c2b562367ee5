/**
 * Ledger HTTP API: entries, signed checkpoints, inclusion and consistency
 * proofs, and the checkpoint signing key.
 *
 * Who may call what (proofs and checkpoints carry hashes, sizes and times,
 * never entry content):
 *   public key            anyone (it is public, and verifiers need it first)
 *   checkpoints           any authenticated caller, observers included
 *   consistency proofs    any authenticated caller, observers included
 *   entries               secretariat and auditors: all; delegates: entries their state is party to
 *   inclusion proofs      as entries (others' entries are 404 to delegates); observers: none
 *   sign a checkpoint now secretariat and auditors
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toHex } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import { authorize } from '../auth/policy.ts';
import { notFound, Problem } from '../http/problem.ts';
import { parseTilePath, TILE_WIDTH } from '../tlog/tiles.ts';
import { problemSchema } from '../http/schemas.ts';
import type { StoredCheckpoint } from './checkpoints.ts';
import { encodeBase64 } from './note.ts';
import type { LedgerService } from './service.ts';
import { tileBytes } from './tiles.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/);
/** Entries per page: delegates, and the secretariat and auditors (who download the whole ledger to verify it). */
const MAX_PAGE = 1000;
const MAX_PAGE_AUDITORS = 10_000;
const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const entrySchema = z
  .looseObject({
    v: z.literal(1),
    index: z.number().int(),
    type: z.string(),
    at: z.string(),
    actor: z.looseObject({ role: z.string(), sub: z.string(), state: z.string().optional() }),
    parties: z.array(z.string()),
    subject: z.record(z.string(), z.string()),
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
    commitment: z.string().optional(),
  })
  .meta({
    id: 'LedgerEntry',
    description:
      'A ledger entry, served exactly as logged (no field added or removed). Its leaf hash is SHA-256(0x00 || UTF-8 bytes of the RFC 8785 canonical JSON of this object) (RFC 9162 §2.1.1).',
  });

const checkpointSchema = z
  .object({
    origin: z.string().describe('The log identity: first line of the note and name of the signing key'),
    treeSize: z.number().int().min(0),
    rootHash: hash.describe('RFC 9162 root hash of the first treeSize entries, hex (base64 in the note)'),
    note: z
      .string()
      .describe(
        'The signed checkpoint, a C2SP signed note (c2sp.org/tlog-checkpoint, c2sp.org/signed-note): "<origin>\\n<treeSize>\\n<base64 root>\\n", a blank line, and "— <origin> <base64(4-byte key ID || Ed25519 signature)>\\n", followed by the witnesses\' cosignature lines (c2sp.org/tlog-cosignature) when witnesses are configured. Verify it with the public key (and the witness keys); trust only what the note says.',
      ),
    createdAt: z.string().describe('When the server signed it'),
  })
  .meta({ id: 'LedgerCheckpoint', description: 'A signed checkpoint (tree head) of the ledger' });

const proofSchema = z.array(hash).describe('RFC 9162 proof hashes, hex, in verification order');

function served(origin: string, c: StoredCheckpoint) {
  return { origin, treeSize: c.treeSize, rootHash: toHex(c.rootHash), note: c.note, createdAt: c.createdAt.toISOString() };
}

export const ledgerRoutes =
  (ledger: LedgerService, db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    const { checkpoints, witnessing } = ledger;
    const origin = checkpoints.origin;

    app.get('/v1/ledger/entries', {
      config: { action: 'ledger.read-entries' },
      schema: {
        tags: ['ledger'],
        operationId: 'listLedgerEntries',
        description: 'Ledger entries from index `from`, in order, with `next` as the index to continue from. Entries are addressed by index like a transparency log; see docs/api.md for why this differs from cursor pagination.',
        summary: 'Ledger entries from an index (secretariat and auditors: all; delegates: entries their state is party to)',
        querystring: z.object({
          from: z.coerce.number().int().min(0).default(0),
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_PAGE_AUDITORS)
            .default(100)
            .describe(`At most ${MAX_PAGE_AUDITORS} for the secretariat and auditors (full verification), ${MAX_PAGE} for delegates`),
        }),
        response: {
          200: z.object({
            entries: z.array(z.object({ index: z.number().int(), leafHash: hash, entry: entrySchema })),
            next: z.number().int().nullable().describe('Index to pass as `from` for the next page, null at the end'),
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
      handler: async (req, reply) => {
        const actor = req.actor!;
        // Observers are refused by the policy ('ledger.read-entries'); a state's users read smaller pages.
        if (actor.role !== 'secretariat' && actor.role !== 'auditor' && req.query.limit > MAX_PAGE) throw new Problem('bad-request', `limit must not exceed ${MAX_PAGE}`);
        const page = await ledger.listCanonical(db, actor, req.query.from, req.query.limit);
        // Served exactly as logged: each entry is its stored canonical JSON text, verbatim (the schema above documents it).
        const entries = page.entries.map((e) => `{"index":${e.index},"leafHash":"${e.leafHash}","entry":${e.canonical}}`);
        const body = `{"entries":[${entries.join(',')}],"next":${page.next === null ? 'null' : page.next}}`;
        // A string with a JSON content type is sent as it is (the type provider only knows the object shape).
        return reply.type('application/json').send(body as never);
      },
    });

    app.get('/v1/ledger/public-key', {
      config: { action: 'public' },
      schema: {
        tags: ['ledger'],
        operationId: 'getLedgerPublicKey',
        description: 'The Ed25519 key that signs ledger checkpoints. Public so verifiers can fetch it first; pin it out of band.',
        summary: 'The key that signs checkpoints (public: verifiers need it before anything else; pin it)',
        security: [],
        response: {
          200: z
            .object({
              origin: z.string(),
              algorithm: z.literal('Ed25519'),
              keyName: z.string().describe('Key name in signature lines (the origin)'),
              keyId: z.string().regex(/^[0-9a-f]{8}$/).describe('SHA-256(keyName || 0x0A || 0x01 || publicKey)[:4], hex'),
              publicKey: z.string().describe('The 32-byte Ed25519 public key, base64'),
              verifierKey: z.string().describe('C2SP signed-note verifier key: <keyName>+<keyId>+base64(0x01 || publicKey)'),
            })
            .meta({ id: 'LedgerPublicKey' }),
        },
      },
      handler: async () => ({
        origin,
        algorithm: 'Ed25519' as const,
        keyName: checkpoints.verifierKey.name,
        keyId: checkpoints.verifierKey.keyId,
        publicKey: encodeBase64(checkpoints.verifierKey.publicKey),
        verifierKey: checkpoints.verifierKeyString,
      }),
    });

    app.get('/v1/ledger/checkpoint', {
      config: { action: 'ledger.read-checkpoints' },
      schema: {
        tags: ['ledger'],
        operationId: 'getLatestCheckpoint',
        summary: 'The latest signed checkpoint (signed now if none exists or one is due)',
        description:
          'A new checkpoint is signed when LEDGER_CHECKPOINT_ENTRIES entries are not covered by the latest one, or the oldest uncovered entry is LEDGER_CHECKPOINT_SECONDS old; so the checkpoint served lags the ledger by less than that.',
        response: { 200: checkpointSchema, 401: problemSchema },
      },
      handler: async () => served(origin, (await witnessing.attach(db, [(await checkpoints.sign(db, 'read')).checkpoint!]))[0]!),
    });

    app.post('/v1/ledger/checkpoint', {
      config: { action: 'ledger.sign-checkpoint' },
      schema: {
        tags: ['ledger'],
        operationId: 'signCheckpoint',
        description: 'Signs a checkpoint of the ledger as it is now, for an audit that needs a fresh anchor.',
        summary: 'Sign a checkpoint of the current ledger now (secretariat and auditors)',
        response: { 200: checkpointSchema, 201: checkpointSchema, 401: problemSchema, 403: problemSchema },
      },
      handler: async (req, reply) => {
        const { checkpoint, created } = await checkpoints.sign(db, 'now');
        return reply.code(created ? 201 : 200).send(served(origin, (await witnessing.attach(db, [checkpoint!]))[0]!));
      },
    });

    app.get('/v1/ledger/checkpoints', {
      config: { action: 'ledger.read-checkpoints' },
      schema: {
        tags: ['ledger'],
        operationId: 'listCheckpoints',
        description: 'Every signed checkpoint by ascending tree size, for checking consistency between them.',
        summary: 'Every signed checkpoint, by ascending tree size',
        querystring: z.object({ from: count.default(0).describe('Smallest tree size'), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        response: {
          200: z.object({
            checkpoints: z.array(checkpointSchema),
            next: z.number().int().nullable().describe('Tree size to pass as `from` for the next page, null at the end'),
          }),
          400: problemSchema,
          401: problemSchema,
        },
      },
      handler: async (req) => {
        const page = await checkpoints.list(db, req.query.from, req.query.limit);
        return { checkpoints: (await witnessing.attach(db, page.checkpoints)).map((c) => served(origin, c)), next: page.next };
      },
    });

    app.get('/v1/ledger/checkpoints/:size', {
      config: { action: 'ledger.read-checkpoints' },
      schema: {
        tags: ['ledger'],
        operationId: 'getCheckpoint',
        description: 'The checkpoint signed at exactly this tree size; 404 when none was signed at that size.',
        summary: 'The signed checkpoint of a tree size (404 if none was signed at that size)',
        params: z.object({ size: count }),
        response: { 200: checkpointSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
      handler: async (req) => {
        const [c] = await witnessing.attach(db, [await checkpoints.get(db, req.params.size)]);
        if (!c) throw notFound('checkpoint');
        return served(origin, c);
      },
    });

    app.get('/v1/ledger/entries/:index/inclusion-proof', {
      config: { action: 'ledger.read-entries' },
      schema: {
        tags: ['ledger'],
        operationId: 'getInclusionProof',
        summary: 'Inclusion proof of an entry (secretariat and auditors: any; delegates: entries their state is party to)',
        description:
          'Without treeSize, the proof is for the latest checkpoint, which is returned with it (409 if that checkpoint does not cover the entry yet). Verify with RFC 9162 §2.1.3.2 against the checkpoint root, from the leaf hash you compute yourself.',
        params: z.object({ index: count }),
        querystring: z.object({ treeSize: count.min(1).optional() }),
        response: {
          200: z
            .object({
              index: z.number().int(),
              treeSize: z.number().int(),
              leafHash: hash.describe('The leaf hash the tree holds for this entry'),
              proof: proofSchema,
              checkpoint: checkpointSchema.optional().describe('The latest checkpoint, when treeSize was not given'),
            })
            .meta({ id: 'LedgerInclusionProof' }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
        },
      },
      handler: async (req) => {
        const p = await ledger.inclusionProof(db, req.actor!, req.params.index, req.query.treeSize);
        return {
          index: p.index,
          treeSize: p.treeSize,
          leafHash: toHex(p.leafHash),
          proof: p.proof.map(toHex),
          ...(p.checkpoint ? { checkpoint: served(origin, (await witnessing.attach(db, [p.checkpoint]))[0]!) } : {}),
        };
      },
    });

    app.get('/v1/ledger/consistency-proof', {
      config: { action: 'ledger.read-checkpoints' },
      schema: {
        tags: ['ledger'],
        operationId: 'getConsistencyProof',
        summary: 'Consistency proof between two tree sizes (any authenticated caller)',
        description: 'Proves that the tree of `to` entries extends the tree of `from` entries. Verify with RFC 9162 §2.1.4.2 against the two checkpoint roots.',
        querystring: z.object({ from: count, to: count }),
        response: {
          200: z.object({ from: z.number().int(), to: z.number().int(), proof: proofSchema }).meta({ id: 'LedgerConsistencyProof' }),
          400: problemSchema,
          401: problemSchema,
        },
      },
      handler: async (req) => {
        const p = await ledger.consistencyProof(db, req.query.from, req.query.to);
        return { from: p.from, to: p.to, proof: p.proof.map(toHex) };
      },
    });
    app.get('/v1/ledger/witnesses', {
      config: { action: 'ledger.witness-status' },
      schema: {
        tags: ['ledger'],
        operationId: 'listWitnesses',
        summary: 'The witnesses that cosign checkpoints and how they answer (secretariat and auditors)',
        description:
          'Each configured witness (LEDGER_WITNESSES), the tree size it last cosigned, whether it cosigned the latest checkpoint, and its last failure (a witness that is down is retried with backoff; it never blocks appends).',
        response: {
          200: z
            .object({
              quorum: z.number().int(),
              latestCheckpoint: z.object({ treeSize: z.number().int(), cosignatures: z.number().int(), witnessed: z.boolean() }).nullable(),
              witnesses: z.array(
                z.object({
                  name: z.string(),
                  url: z.string(),
                  verifierKey: z.string().describe('<name>+<key ID>+base64(0x04 || Ed25519 public key) (c2sp.org/tlog-cosignature)'),
                  cosignedLatest: z.boolean(),
                  cosignedSize: z.number().int().nullable(),
                  consecutiveFailures: z.number().int(),
                  lastAttemptAt: z.string().nullable(),
                  lastSuccessAt: z.string().nullable(),
                  lastError: z.string().nullable(),
                }),
              ),
            })
            .meta({ id: 'LedgerWitnesses' }),
          401: problemSchema,
          403: problemSchema,
        },
      },
      handler: async () => witnessing.status(db, await checkpoints.latest(db)),
    });

    app.get('/v1/ledger/tlog/checkpoint', {
      config: { action: 'ledger.read-tiles' },
      schema: {
        tags: ['ledger'],
        operationId: 'getTlogCheckpoint',
        description: 'The latest checkpoint as a signed note with its witness cosignatures, in the c2sp.org/tlog-checkpoint text format.',
        summary: 'The latest checkpoint as a tiled log serves it (c2sp.org/tlog-tiles): the cosigned note, text/plain',
        response: { 200: z.string().describe('The signed note with its cosignatures'), 401: problemSchema },
      },
      handler: async (_req, reply) => {
        const [c] = await witnessing.attach(db, [(await checkpoints.sign(db, 'read')).checkpoint!]);
        return reply.header('cache-control', 'private, max-age=5').type('text/plain; charset=utf-8').send(c!.note);
      },
    });

    app.get('/v1/ledger/tlog/tile/*', {
      config: { action: 'ledger.read-tiles' },
      schema: {
        tags: ['ledger'],
        operationId: 'getTlogTile',
        summary: 'A hash tile or an entry bundle (c2sp.org/tlog-tiles): tile/<L>/<N>[.p/<W>], tile/entries/<N>[.p/<W>]',
        description:
          'Hash tiles: 256 (or W) consecutive SHA-256 hashes of tree level 8·L, application/octet-stream, to any authenticated caller. Entry bundles (uint16 length-prefixed canonical entries): secretariat and auditors only. Full tiles never change (cached, immutable); partial tiles are not cached. 404 until the tree holds the tile.',
        params: z.object({ '*': z.string() }),
        response: { 200: z.any().describe('application/octet-stream: the tile or bundle bytes'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      handler: async (req, reply) => {
        const tile = parseTilePath(req.params['*']);
        if (!tile) throw new Problem('bad-request', 'not a tile path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], N in x-prefixed 3-digit groups');
        if (tile.level === 'entries') authorize(req.actor!, 'ledger.read-entry-bundles');
        const bytes = await tileBytes(db, tile);
        if (!bytes) throw notFound('tile');
        return reply
          .header('cache-control', tile.width === TILE_WIDTH ? 'private, max-age=31536000, immutable' : 'no-store')
          .type('application/octet-stream')
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      },
    });
  };
