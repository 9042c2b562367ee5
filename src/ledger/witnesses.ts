/**
 * The log side of witnessing (C2SP tlog-witness): each new checkpoint is
 * submitted to every configured witness, with a consistency proof from the
 * size that witness last cosigned (learned from its answers, kept in
 * ledger_witness_state); the cosignatures returned within the timeout are
 * checked and stored (ledger_cosignatures) and served appended to the
 * checkpoint note. Runs in the checkpoint ticker, off the request path: a
 * witness that is down is retried with backoff and reported, and never blocks
 * an append.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { WitnessSetting } from '../config.ts';
import type { Queryable } from '../db/index.ts';
import { addSignatureLines, formatCosignerKey, verifyCosignatures, type VerifiedCosignature } from '../tlog/cosignature.ts';
import { encodeBase64 } from '../tlog/note.ts';
import type { StoredCheckpoint } from './checkpoints.ts';
import { ledgerDb } from './tables.ts';
import { storedConsistencyProof } from './tree-store.ts';

export interface WitnessingOptions {
  witnesses: readonly WitnessSetting[];
  quorum: number;
  timeoutMs: number;
  clock: Clock;
  /** First retry delay after a failure; doubles per consecutive failure, up to 5 minutes. */
  retryMs?: number;
  fetch?: typeof fetch;
}

export interface WitnessOutcome {
  witness: string;
  ok: boolean;
  status?: number;
  error?: string;
}

export interface CollectResult {
  treeSize: number;
  cosignatures: number;
  quorum: number;
  ms: number;
  outcomes: WitnessOutcome[];
}

const MAX_BACKOFF_MS = 5 * 60_000;
type Log = Pick<FastifyBaseLogger, 'info' | 'warn'>;

export function createWitnessing({ witnesses, quorum, timeoutMs, clock, retryMs = 5000, fetch: fetchImpl = fetch }: WitnessingOptions) {
  async function stateOf(q: Queryable) {
    const rows = await ledgerDb(q).selectFrom('ledger_witness_state').selectAll().execute();
    return new Map(rows.map((r) => [r.witness, r]));
  }

  async function record(q: Queryable, witness: string, values: { cosigned_size?: number; error?: string | null; ok: boolean }) {
    const now = clock();
    const failures = values.ok ? 0 : undefined;
    await ledgerDb(q)
      .insertInto('ledger_witness_state')
      .values({
        witness,
        cosigned_size: values.cosigned_size ?? null,
        failures: values.ok ? 0 : 1,
        last_attempt_at: now,
        last_success_at: values.ok ? now : null,
        last_error: values.ok ? null : (values.error ?? null),
      })
      .onConflict((oc) =>
        oc.column('witness').doUpdateSet((eb) => ({
          ...(values.cosigned_size !== undefined ? { cosigned_size: values.cosigned_size } : {}),
          failures: failures ?? eb('ledger_witness_state.failures', '+', 1),
          last_attempt_at: now,
          ...(values.ok ? { last_success_at: now, last_error: null } : { last_error: values.error ?? null }),
        })),
      )
      .execute();
  }

  /** Cosignature lines stored for the given tree sizes. */
  async function linesFor(q: Queryable, sizes: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (sizes.length === 0 || witnesses.length === 0) return out;
    const rows = await ledgerDb(q)
      .selectFrom('ledger_cosignatures')
      .select(['tree_size', 'line'])
      .where('tree_size', 'in', sizes)
      .orderBy('tree_size')
      .orderBy('witness')
      .execute();
    for (const r of rows) {
      const size = Number(r.tree_size);
      out.set(size, [...(out.get(size) ?? []), r.line]);
    }
    return out;
  }

  /** The checkpoints with their stored cosignatures appended to the notes. */
  async function attach<T extends StoredCheckpoint | undefined>(q: Queryable, checkpoints: readonly T[]): Promise<T[]> {
    const present = checkpoints.filter((c): c is NonNullable<T> => c !== undefined);
    const lines = await linesFor(q, present.map((c) => c.treeSize));
    return checkpoints.map((c) => (c && lines.has(c.treeSize) ? ({ ...c, note: addSignatureLines(c.note, lines.get(c.treeSize)!) } as T) : c));
  }

  /** One add-checkpoint exchange, following at most two 409s to the size the witness holds. */
  async function submit(q: Queryable, w: WitnessSetting, checkpoint: StoredCheckpoint, known: number | undefined): Promise<WitnessOutcome> {
    let old = known ?? 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (old > checkpoint.treeSize) {
        const error = `the witness has cosigned size ${old}, above this checkpoint (${checkpoint.treeSize})`;
        await record(q, w.name, { ok: false, error });
        return { witness: w.name, ok: false, status: 409, error };
      }
      const proof = old === 0 || old === checkpoint.treeSize ? [] : await storedConsistencyProof(q, old, checkpoint.treeSize);
      const body = `old ${old}\n${proof.map((p) => `${encodeBase64(p)}\n`).join('')}\n${checkpoint.note}`;
      let res: Response;
      let text: string;
      try {
        res = await fetchImpl(`${w.url}/add-checkpoint`, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(timeoutMs) });
        text = await res.text();
      } catch (err) {
        const error = `unreachable: ${(err as Error).message}`;
        await record(q, w.name, { ok: false, error });
        return { witness: w.name, ok: false, error };
      }
      if (res.status === 409 && /^(0|[1-9][0-9]*)\n$/.test(text) && res.headers.get('content-type')?.startsWith('text/x.tlog.size')) {
        const size = Number(text.trim());
        if (size === old) {
          // Same size, different root: the witness holds another tree of this size.
          const error = `409: the witness holds a different tree of size ${size}`;
          await record(q, w.name, { ok: false, error, cosigned_size: size });
          return { witness: w.name, ok: false, status: 409, error };
        }
        old = size;
        continue;
      }
      if (res.status !== 200) {
        const error = `HTTP ${res.status}: ${text.slice(0, 200).trim()}`;
        await record(q, w.name, { ok: false, error });
        return { witness: w.name, ok: false, status: res.status, error };
      }
      let valid: VerifiedCosignature[];
      try {
        valid = verifyCosignatures(addSignatureLines(checkpoint.note, text.split('\n').filter(Boolean)), [w.key]);
      } catch {
        valid = [];
      }
      if (valid.length === 0) {
        const error = 'the response holds no valid cosignature by the configured key';
        await record(q, w.name, { ok: false, error });
        return { witness: w.name, ok: false, status: 200, error };
      }
      await ledgerDb(q)
        .insertInto('ledger_cosignatures')
        .values({ tree_size: checkpoint.treeSize, witness: w.name, line: valid[0]!.line, created_at: clock() })
        .onConflict((oc) => oc.columns(['tree_size', 'witness']).doNothing())
        .execute();
      await record(q, w.name, { ok: true, cosigned_size: checkpoint.treeSize });
      return { witness: w.name, ok: true, status: 200 };
    }
    const error = 'the witness keeps answering 409 with other sizes';
    await record(q, w.name, { ok: false, error });
    return { witness: w.name, ok: false, status: 409, error };
  }

  /**
   * Submits `checkpoint` to every witness that has not cosigned it yet and is
   * not backing off after failures; returns how many cosignatures it has.
   */
  async function collect(q: Queryable, checkpoint: StoredCheckpoint | undefined, log?: Log): Promise<CollectResult | undefined> {
    if (!checkpoint || witnesses.length === 0) return undefined;
    const started = performance.now();
    const [state, lines] = await Promise.all([stateOf(q), linesFor(q, [checkpoint.treeSize])]);
    const have = new Set(verifyCosignatures(addSignatureLines(checkpoint.note, lines.get(checkpoint.treeSize) ?? []), witnesses.map((w) => w.key)).map((c) => c.name));
    const now = clock().getTime();
    const due = witnesses.filter((w) => {
      if (have.has(w.name)) return false;
      const s = state.get(w.name);
      if (!s || s.failures === 0 || !s.last_attempt_at) return true;
      return now - s.last_attempt_at.getTime() >= Math.min(retryMs * 2 ** (s.failures - 1), MAX_BACKOFF_MS);
    });
    const outcomes = await Promise.all(
      due.map((w) => {
        const known = state.get(w.name)?.cosigned_size;
        return submit(q, w, checkpoint, known === null || known === undefined ? undefined : Number(known));
      }),
    );
    const cosignatures = have.size + outcomes.filter((o) => o.ok).length;
    const result = { treeSize: checkpoint.treeSize, cosignatures, quorum, ms: performance.now() - started, outcomes };
    for (const o of outcomes.filter((x) => !x.ok)) log?.warn({ witness: o.witness, status: o.status, error: o.error, treeSize: checkpoint.treeSize }, 'ledger witness refused or unreachable');
    if (outcomes.length > 0) {
      if (cosignatures < quorum) log?.warn({ treeSize: checkpoint.treeSize, cosignatures, quorum }, 'ledger checkpoint below its witness quorum');
      else log?.info({ treeSize: checkpoint.treeSize, cosignatures, quorum, ms: Math.round(result.ms) }, 'ledger checkpoint cosigned');
    }
    return result;
  }

  /** What the secretariat and auditors see: each witness, what it last cosigned, and the last failure. */
  async function status(q: Queryable, latest: StoredCheckpoint | undefined) {
    const state = await stateOf(q);
    const lines = latest ? ((await linesFor(q, [latest.treeSize])).get(latest.treeSize) ?? []) : [];
    const valid = latest ? verifyCosignatures(addSignatureLines(latest.note, lines), witnesses.map((w) => w.key)) : [];
    return {
      quorum,
      latestCheckpoint: latest ? { treeSize: latest.treeSize, cosignatures: valid.length, witnessed: valid.length >= quorum } : null,
      witnesses: witnesses.map((w) => {
        const s = state.get(w.name);
        return {
          name: w.name,
          url: w.url,
          verifierKey: formatCosignerKey(w.key),
          cosignedLatest: valid.some((v) => v.name === w.name),
          cosignedSize: s?.cosigned_size === null || s?.cosigned_size === undefined ? null : Number(s.cosigned_size),
          consecutiveFailures: s?.failures ?? 0,
          lastAttemptAt: s?.last_attempt_at?.toISOString() ?? null,
          lastSuccessAt: s?.last_success_at?.toISOString() ?? null,
          lastError: s?.last_error ?? null,
        };
      }),
    };
  }

  return { witnesses, quorum, collect, attach, status };
}

export type Witnessing = ReturnType<typeof createWitnessing>;
