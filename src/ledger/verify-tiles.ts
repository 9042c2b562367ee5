/**
 * Verification from a tiled log alone (c2sp.org/tlog-tiles): the checkpoint
 * (log signature, and the witness quorum if asked), then every hash tile and,
 * when the caller may read them, every entry bundle, checked against the
 * checkpoint root (tlog/tiles.ts does the checking); a remembered checkpoint
 * must be a prefix of the tree in the tiles.
 */
import { toHex } from '../tlog/crypto.ts';
import { verifyCosignatures, type CosignerKey } from '../tlog/cosignature.ts';
import { VerificationError } from '../tlog/merkle.ts';
import { formatVerifierKey, NoteError, openCheckpoint, type VerifierKey } from '../tlog/note.ts';
import { tilePath, verifyTreeFromTiles, type TileId } from '../tlog/tiles.ts';
import { canonicalJson } from './entry.ts';
import { emptyReport, SourceError, type VerifierState, type VerifyReport } from './verify.ts';

export interface TilesVerifyOptions {
  /** The tiled log's prefix, e.g. https://poc.example.org/v1/ledger/tlog/ */
  prefix: string;
  token?: string;
  key: VerifierKey;
  witnesses?: { keys: readonly CosignerKey[]; quorum: number };
  state?: VerifierState;
  fetch?: typeof fetch;
  now?: () => Date;
}

export async function verifyFromTiles(opts: TilesVerifyOptions): Promise<VerifyReport> {
  const base = new URL(opts.prefix.endsWith('/') ? opts.prefix : `${opts.prefix}/`);
  const fetchImpl = opts.fetch ?? fetch;
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const get = async (path: string): Promise<{ status: number; bytes: Uint8Array }> => {
    let res: Response;
    try {
      res = await fetchImpl(new URL(path, base), { headers });
    } catch (err) {
      throw new SourceError(`cannot reach ${base.origin}: ${(err as Error).message}`);
    }
    return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  const report = emptyReport('full', `${base.origin} (tiles)`);
  const failed = (reason: string, firstBadIndex: number | null = null): VerifyReport => ({ ...report, ok: false, failure: { firstBadIndex, reason } });

  const cp = await get('checkpoint');
  if (cp.status !== 200) throw new SourceError(`GET checkpoint: HTTP ${cp.status}`, cp.status);
  const note = Buffer.from(cp.bytes).toString('utf8');
  let checkpoint;
  try {
    checkpoint = openCheckpoint(note, opts.key);
  } catch (err) {
    if (err instanceof NoteError) return failed(`the tiled log serves a checkpoint that does not verify: ${err.message}`);
    throw err;
  }
  report.checkpointsChecked = 1;
  if (opts.witnesses) {
    const cosigned = verifyCosignatures(note, opts.witnesses.keys);
    report.cosignedBy = cosigned.map((c) => c.name);
    if (cosigned.length < opts.witnesses.quorum) {
      return failed(`the checkpoint (size ${checkpoint.size}) carries ${cosigned.length} valid cosignature(s) from the given witnesses, fewer than the quorum of ${opts.witnesses.quorum}`);
    }
  }
  let previous: { size: number; root: Uint8Array } | undefined;
  if (opts.state) {
    try {
      const remembered = openCheckpoint(opts.state.checkpoint, opts.key);
      previous = { size: remembered.size, root: remembered.rootHash };
    } catch (err) {
      if (err instanceof NoteError) return failed(`the state file holds a checkpoint that does not verify: ${err.message}`);
      throw err;
    }
  }

  // Entry bundles if this caller may read them (secretariat, auditors); hash tiles alone otherwise.
  const entriesReadable = checkpoint.size === 0 || (await get(tilePath({ level: 'entries', index: 0, width: Math.min(256, checkpoint.size) }))).status === 200;
  const fetchTile = async (tile: TileId) => {
    const r = await get(tilePath(tile));
    if (r.status !== 200) throw new SourceError(`GET ${tilePath(tile)}: HTTP ${r.status}`, r.status);
    return r.bytes;
  };
  try {
    const checked = await verifyTreeFromTiles({
      size: checkpoint.size,
      root: checkpoint.rootHash,
      fetchTile,
      ...(previous ? { previous } : {}),
      ...(entriesReadable
        ? {
            entries: {
              checkEntry: (index: number, bytes: Uint8Array) => {
                const text = Buffer.from(bytes).toString('utf8');
                let entry: { index?: unknown };
                try {
                  entry = JSON.parse(text) as { index?: unknown };
                } catch {
                  throw new VerificationError(`entry ${index} is not JSON`);
                }
                if (entry?.index !== index) throw new VerificationError(`the entry at position ${index} says it is entry ${String(entry?.index)}`);
                if (canonicalJson(entry) !== text) throw new VerificationError(`entry ${index} is not in canonical form (RFC 8785)`);
              },
            },
          }
        : {}),
    });
    report.entriesChecked = checked.entriesChecked;
    report.consistencyProofsChecked = previous ? 1 : 0;
  } catch (err) {
    if (err instanceof VerificationError) {
      const m = /^(?:entry|the entry at position) (\d+)/.exec(err.message);
      return failed(err.message, m ? Number(m[1]) : null);
    }
    throw err;
  }
  report.ok = true;
  report.treeSize = checkpoint.size;
  report.rootHash = toHex(checkpoint.rootHash);
  report.state = {
    version: 1,
    origin: checkpoint.origin,
    verifierKey: formatVerifierKey(opts.key),
    checkpoint: note,
    verifiedAt: (opts.now ?? (() => new Date()))().toISOString(),
  };
  return report;
}
