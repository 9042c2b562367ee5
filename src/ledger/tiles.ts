/**
 * The ledger served as a tiled log (C2SP tlog-tiles): hash tiles straight
 * from ledger_tree_nodes (tile L, index N = stored nodes at level 8·L,
 * indices N·256 .. N·256 + W - 1) and entry bundles of the canonical entries.
 * A tile is served once the committed tree holds all of its hashes; a full
 * tile never changes after that.
 */
import type { Queryable } from '../db/index.ts';
import { encodeEntryBundle, TILE_WIDTH, tileWidth, type TileId } from '../tlog/tiles.ts';
import { utf8 } from '../tlog/crypto.ts';
import { nodesInRange, treeSize } from './tree-store.ts';

/** The tile's bytes, or undefined if the committed tree does not hold it (yet). */
export async function tileBytes(q: Queryable, tile: TileId): Promise<Uint8Array | undefined> {
  const size = await treeSize(q);
  const available = tileWidth(tile.level === 'entries' ? 0 : tile.level, tile.index, size);
  if (tile.width > available) return undefined;
  const from = tile.index * TILE_WIDTH;
  if (tile.level !== 'entries') return Buffer.concat(await nodesInRange(q, 8 * tile.level, from, tile.width));
  const rows = await q
    .selectFrom('ledger_entries')
    .select(['seq', 'canonical'])
    .where('seq', '>=', from)
    .where('seq', '<', from + tile.width)
    .orderBy('seq')
    .execute();
  if (rows.length !== tile.width) return undefined;
  return encodeEntryBundle(rows.map((r) => utf8(r.canonical)));
}
