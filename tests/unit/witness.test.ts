/**
 * Witness conformance (C2SP tlog-witness add-checkpoint) through HTTP: every
 * status code, the atomic check-and-update under concurrent submissions, and
 * persistence across a restart; and the attack witnesses exist for: the log
 * key holder re-signs a rewritten history.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyCosignatures } from '../../src/tlog/cosignature.ts';
import { ed25519KeyPair } from '../../src/tlog/crypto.ts';
import { hashLeaf, MemoryTree } from '../../src/tlog/merkle.ts';
import { encodeBase64, formatCheckpoint, signNote, verifierKeyOf } from '../../src/tlog/note.ts';
import { createWitnessServer } from '../../src/witness/server.ts';
import { FileStore } from '../../src/witness/state.ts';
import { createWitness } from '../../src/witness/witness.ts';

const ORIGIN = 'poc.example.org/ledger';
const logPair = ed25519KeyPair(new Uint8Array(32).fill(1));
const logKey = verifierKeyOf(ORIGIN, logPair.publicKey);
const strangerPair = ed25519KeyPair(new Uint8Array(32).fill(2));
const witnessPair = ed25519KeyPair(new Uint8Array(32).fill(3));

const leaves = (from: number, to: number, tag = '') => Array.from({ length: to - from }, (_, i) => hashLeaf(Buffer.from(`entry ${from + i}${tag}`)));
const honest = new MemoryTree(leaves(0, 300));

function checkpoint(tree: MemoryTree, size: number, pair = logPair, origin = ORIGIN): string {
  return signNote(formatCheckpoint({ origin, size, rootHash: tree.root(size) }), origin, pair);
}
function request(old: number, proof: Uint8Array[], note: string): string {
  return `old ${old}\n${proof.map((p) => `${encodeBase64(p)}\n`).join('')}\n${note}`;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function start(stateFile: string) {
  const witness = createWitness({ name: 'witness.state-a.example/w1', keyPair: witnessPair, logs: [{ origin: ORIGIN, keys: [logKey] }], store: new FileStore(stateFile) });
  const server = createWitnessServer(witness, { prefix: '/witness', origins: [ORIGIN] });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/witness/add-checkpoint`;
  const post = async (body: string) => {
    const res = await fetch(url, { method: 'POST', body });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  return { witness, post, server };
}

const tmpState = () => join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json');

describe('add-checkpoint status codes', () => {
  it('200 with a cosignature that verifies; then consistent growth with a proof; equal size and root again', async () => {
    const { witness, post } = await start(tmpState());
    const first = await post(request(0, [], checkpoint(honest, 10)));
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^\u2014 witness\.state-a\.example\/w1 \S+\n$/u);
    const cosigned = checkpoint(honest, 10) + first.body;
    expect(verifyCosignatures(cosigned, [witness.key])).toHaveLength(1);

    const grown = await post(request(10, honest.consistencyProof(10, 100), checkpoint(honest, 100)));
    expect(grown.status).toBe(200);
    expect(verifyCosignatures(checkpoint(honest, 100) + grown.body, [witness.key])).toHaveLength(1);
    expect((await post(request(100, [], checkpoint(honest, 100)))).status).toBe(200);
    expect(witness.latest(ORIGIN)?.size).toBe(100);
  });

  it('404 for an unknown origin, 403 when no trusted signature verifies', async () => {
    const { post } = await start(tmpState());
    const other = new MemoryTree(leaves(0, 5));
    const unknown = await post(request(0, [], checkpoint(other, 5, logPair, 'other.example/log')));
    expect(unknown.status).toBe(404);
    // Signed by a stranger under the log's name: the key ID differs, so no trusted signature.
    const forged = await post(request(0, [], checkpoint(honest, 5, strangerPair)));
    expect(forged.status).toBe(403);
    // The log's key ID but a wrong signature.
    const good = checkpoint(honest, 5);
    const bad = good.replace(/ (\S{10})(\S+)\n$/, (_m, a: string, b: string) => ` ${a}${b[0] === 'A' ? 'B' : 'A'}${b.slice(1)}\n`);
    expect((await post(request(0, [], bad))).status).toBe(403);
  });

  it('400 when the old size exceeds the checkpoint size, or the request is malformed', async () => {
    const { post } = await start(tmpState());
    expect((await post(request(20, [], checkpoint(honest, 10)))).status).toBe(400);
    for (const body of ['', 'old 01\n\n' + checkpoint(honest, 1), 'old 0\nnot-base64\n\n' + checkpoint(honest, 1), 'old 0\n' + checkpoint(honest, 1), 'old 0\n\nnot a note\n']) {
      expect((await post(body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await post(request(0, Array.from({ length: 64 }, () => new Uint8Array(32)), checkpoint(honest, 10)))).status).toBe(400);
  });

  it('409 with a text/x.tlog.size body when the old size is not the last cosigned one, or the roots differ at equal size', async () => {
    const { post } = await start(tmpState());
    expect((await post(request(0, [], checkpoint(honest, 50)))).status).toBe(200);
    const stale = await post(request(0, [], checkpoint(honest, 60)));
    expect(stale).toEqual({ status: 409, type: 'text/x.tlog.size', body: '50\n' });
    const wrongOld = await post(request(40, honest.consistencyProof(40, 60), checkpoint(honest, 60)));
    expect(wrongOld).toEqual({ status: 409, type: 'text/x.tlog.size', body: '50\n' });
    const fork = new MemoryTree([...leaves(0, 49), ...leaves(49, 50, 'forked')]);
    expect(await post(request(50, [], checkpoint(fork, 50)))).toEqual({ status: 409, type: 'text/x.tlog.size', body: '50\n' });
  });

  it('422 when the consistency proof does not verify', async () => {
    const { post, witness } = await start(tmpState());
    expect((await post(request(0, [], checkpoint(honest, 50)))).status).toBe(200);
    expect((await post(request(50, honest.consistencyProof(49, 60), checkpoint(honest, 60)))).status).toBe(422);
    expect((await post(request(50, [], checkpoint(honest, 60)))).status).toBe(422);
    expect(witness.latest(ORIGIN)?.size).toBe(50);
  });
});

describe('state', () => {
  it('check-and-update is atomic under concurrent submissions: one of several racing requests wins, the others get 409 with its size, and the size never goes back', async () => {
    const { post, witness } = await start(tmpState());
    expect((await post(request(0, [], checkpoint(honest, 10)))).status).toBe(200);
    let size = 10;
    for (let round = 0; round < 5; round++) {
      const targets = [size + 5, size + 20, size + 1, size + 12];
      const results = await Promise.all(targets.map((t) => post(request(size, honest.consistencyProof(size, t), checkpoint(honest, t)))));
      const winners = results.map((r, i) => ({ r, t: targets[i]! })).filter(({ r }) => r.status === 200);
      expect(winners).toHaveLength(1);
      const won = winners[0]!.t;
      for (const r of results.filter((x) => x.status !== 200)) expect(r).toEqual({ status: 409, type: 'text/x.tlog.size', body: `${won}\n` });
      expect(witness.latest(ORIGIN)?.size).toBe(won);
      size = won;
    }
  });

  it('persists before answering and survives a restart (the new process refuses a rollback)', async () => {
    const file = tmpState();
    const a = await start(file);
    expect((await a.post(request(0, [], checkpoint(honest, 77)))).status).toBe(200);
    expect(JSON.parse(readFileSync(file, 'utf8')).logs[ORIGIN].size).toBe(77);
    await new Promise((r) => a.server.close(r));
    const b = await start(file);
    expect(await b.post(request(0, [], checkpoint(honest, 10)))).toEqual({ status: 409, type: 'text/x.tlog.size', body: '77\n' });
    expect((await b.post(request(77, honest.consistencyProof(77, 80), checkpoint(honest, 80)))).status).toBe(200);
  });
});

describe('the attack: the log key holder rebuilds a different history and re-signs it', () => {
  it('every submission of the fork is refused (409 or 422), whatever old size and proof it claims', async () => {
    const { post, witness } = await start(tmpState());
    expect((await post(request(0, [], checkpoint(honest, 100)))).status).toBe(200);
    // Entry 37 rewritten, the tree recomputed, checkpoints re-signed with the real log key.
    const forked = new MemoryTree([...leaves(0, 37), ...leaves(37, 38, 'rewritten'), ...leaves(38, 300)]);
    const results = [
      await post(request(100, [], checkpoint(forked, 100))), // same size
      await post(request(100, forked.consistencyProof(100, 150), checkpoint(forked, 150))), // larger, the fork's own proof
      await post(request(100, honest.consistencyProof(100, 150), checkpoint(forked, 150))), // larger, the honest proof
      await post(request(0, [], checkpoint(forked, 200))), // pretending to be new
      await post(request(20, forked.consistencyProof(20, 200), checkpoint(forked, 200))),
    ];
    expect(results.map((r) => r.status)).toEqual([409, 422, 422, 409, 409]);
    expect(results.every((r) => !r.body.includes('\u2014'))).toBe(true);
    expect(witness.latest(ORIGIN)?.rootHash).toBe(encodeBase64(honest.root(100)));
  });
});
