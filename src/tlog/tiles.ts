/**
 * Tiled transparency logs (C2SP tlog-tiles). Pure: paths, tile and entry
 * bundle encodings, node hashes from tiles, and the check of a whole tree
 * from its tiles. Fetching is injected.
 *
 * A tile at level L, index N holds up to 256 consecutive Merkle tree hashes
 * at tree level 8·L: hash i is the perfect subtree of 256^L leaves starting at
 * leaf (N·256 + i)·256^L, i.e. the stored node (level 8·L, index N·256 + i).
 * Paths: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], N written in
 * 3-digit groups, all but the last prefixed with "x" (1234067 → x001/x234/067).
 * An entry bundle is a sequence of big-endian uint16 length-prefixed entries.
 */
import { constantTimeEqual } from './crypto.ts';
import { CompactRange, hashChildren, hashLeaf, HASH_BYTES, VerificationError, type NodeId } from './merkle.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
const MAX_ENTRY_BYTES = 0xffff;

/** A hash tile (level >= 0) or an entry bundle (level 'entries'); width 256 for a full tile. */
export interface TileId {
  readonly level: number | 'entries';
  readonly index: number;
  readonly width: number;
}

/** N as 3-digit path elements, all but the last prefixed with x. */
export function formatTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad tile index ${n}`);
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`. */
export function tilePath({ level, index, width }: TileId): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`bad tile width ${width}`);
  if (level !== 'entries' && (!Number.isInteger(level) || level < 0 || level > 63)) throw new RangeError(`bad tile level ${level}`);
  return `tile/${level}/${formatTileIndex(index)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/** Parses the part after `tile/`; undefined unless it is a canonical tile path. */
export function parseTilePath(path: string): TileId | undefined {
  const m = /^(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!m) return undefined;
  const level = m[1] === 'entries' ? 'entries' : Number(m[1]);
  if (level !== 'entries' && level > 63) return undefined;
  const groups = [...m[2]!.split('/').filter(Boolean).map((g) => g.slice(1)), m[3]!];
  if (groups.length > 1 && groups[0] === '000') return undefined; // no leading zero group
  const index = Number(groups.join(''));
  if (!Number.isSafeInteger(index)) return undefined;
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  if (width > 255 && m[4] !== undefined) return undefined;
  return { level, index, width };
}

/** Number of hashes at tile level L in a tree of `size` leaves: floor(size / 256^L). */
export function hashesAtLevel(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The width of tile (level, index) in a tree of `size` leaves: 256 if full, 1..255 if partial, 0 if it does not exist. */
export function tileWidth(level: number, index: number, size: number): number {
  const count = hashesAtLevel(level, size);
  return Math.max(0, Math.min(TILE_WIDTH, count - index * TILE_WIDTH));
}

/** Every tile of a tree of `size` leaves, level by level, left to right (the last of each level possibly partial). */
export function* tilesOf(size: number): Generator<TileId & { level: number }> {
  for (let level = 0; hashesAtLevel(level, size) > 0; level++) {
    const count = hashesAtLevel(level, size);
    for (let index = 0; index * TILE_WIDTH < count; index++) yield { level, index, width: tileWidth(level, index, size) };
  }
}

/** Splits tile bytes into hashes; throws if the length is not width × 32. */
export function tileHashes(bytes: Uint8Array, width: number): Uint8Array[] {
  if (bytes.length !== width * HASH_BYTES) throw new VerificationError(`a tile of width ${width} has ${width * HASH_BYTES} bytes, got ${bytes.length}`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < width; i++) out.push(bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
  return out;
}

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(entries.reduce((n, e) => n + 2 + e.length, 0));
  let at = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry bundle entry has at most ${MAX_ENTRY_BYTES} bytes, got ${e.length}`);
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

export function decodeEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new VerificationError('truncated entry bundle');
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + length > bytes.length) throw new VerificationError('truncated entry bundle');
    out.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return out;
}

/** The hash of a perfect run of 2^k hashes. */
function perfectRoot(hashes: readonly Uint8Array[]): Uint8Array {
  let level = [...hashes];
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(hashChildren(level[i]!, level[i + 1]!));
    level = up;
  }
  return level[0]!;
}

/** Which tile and which of its hashes a complete tree node (level, index) is computed from. */
export function tileSpanOf({ level, index }: NodeId): { tileLevel: number; tileIndex: number; from: number; count: number } {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const count = 2 ** (level % TILE_HEIGHT);
  const first = index * count; // position of the first hash at tree level 8·tileLevel
  return { tileLevel, tileIndex: Math.floor(first / TILE_WIDTH), from: first % TILE_WIDTH, count };
}

/**
 * Fetches the tiles the given nodes of a tree of `size` leaves need (each once,
 * in parallel) and returns a node lookup for merkle.ts's proof functions.
 */
export async function nodesFromTiles(
  ids: readonly NodeId[],
  size: number,
  fetchTile: (tile: TileId & { level: number }) => Promise<Uint8Array>,
): Promise<(id: NodeId) => Uint8Array> {
  const tiles = new Map<string, Promise<Uint8Array[]>>();
  const spans = ids.map((id) => ({ id, span: tileSpanOf(id) }));
  for (const { span } of spans) {
    const key = `${span.tileLevel}/${span.tileIndex}`;
    if (tiles.has(key)) continue;
    const width = tileWidth(span.tileLevel, span.tileIndex, size);
    if (width === 0) throw new VerificationError(`tile ${key} does not exist in a tree of ${size} leaves`);
    const tile = { level: span.tileLevel, index: span.tileIndex, width };
    tiles.set(key, fetchTile(tile).then((b) => tileHashes(b, width)));
  }
  const loaded = new Map<string, Uint8Array[]>();
  await Promise.all([...tiles].map(async ([k, p]) => loaded.set(k, await p)));
  const found = new Map<string, Uint8Array>();
  for (const { id, span } of spans) {
    const hashes = loaded.get(`${span.tileLevel}/${span.tileIndex}`)!;
    if (span.from + span.count > hashes.length) throw new VerificationError(`node ${id.level}/${id.index} is not complete in a tree of ${size} leaves`);
    found.set(`${id.level}/${id.index}`, perfectRoot(hashes.slice(span.from, span.from + span.count)));
  }
  return (id) => {
    const h = found.get(`${id.level}/${id.index}`);
    if (!h) throw new VerificationError(`node ${id.level}/${id.index} was not fetched`);
    return h;
  };
}

export interface TreeFromTilesOptions {
  size: number;
  root: Uint8Array;
  fetchTile: (tile: TileId) => Promise<Uint8Array>;
  /** Check the entry bundles too (each entry must hash to its level-0 tile hash); `checkEntry` may check an entry's content. */
  entries?: { checkEntry?: (index: number, entry: Uint8Array) => void };
  /** A remembered (size, root) the tree must extend. */
  previous?: { size: number; root: Uint8Array };
}

export interface TreeFromTilesReport {
  tilesChecked: number;
  entriesChecked: number;
}

/**
 * Checks a whole tree from its tiles: the level-0 tiles (and the entries, if
 * asked) against the checkpoint root, every higher tile hash against the tile
 * below it, and the remembered root at its size. Throws VerificationError
 * naming the first tile or entry that is wrong.
 */
export async function verifyTreeFromTiles(opts: TreeFromTilesOptions): Promise<TreeFromTilesReport> {
  const { size } = opts;
  const range = new CompactRange();
  const report = { tilesChecked: 0, entriesChecked: 0 };
  if (opts.previous && opts.previous.size > size) throw new VerificationError(`the tree (${size}) is smaller than the remembered one (${opts.previous.size})`);
  let below: Uint8Array[] = []; // hash of each full tile of the level below
  for (let level = 0; hashesAtLevel(level, size) > 0; level++) {
    const current: Uint8Array[] = [];
    const tiles = [...tilesOf(size)].filter((t) => t.level === level);
    for (const tile of tiles) {
      const hashes = tileHashes(await opts.fetchTile(tile), tile.width);
      report.tilesChecked += 1;
      if (level === 0) {
        if (opts.entries) {
          const bundle = decodeEntryBundle(await opts.fetchTile({ level: 'entries', index: tile.index, width: tile.width }));
          if (bundle.length !== tile.width) throw new VerificationError(`entry bundle ${tile.index} holds ${bundle.length} entries, not ${tile.width}`);
          bundle.forEach((entry, i) => {
            const index = tile.index * TILE_WIDTH + i;
            opts.entries!.checkEntry?.(index, entry);
            if (!constantTimeEqual(hashLeaf(entry), hashes[i]!)) throw new VerificationError(`entry ${index} does not hash to its level-0 tile hash`);
            report.entriesChecked += 1;
          });
        }
        for (const h of hashes) {
          range.append(h);
          if (opts.previous && range.size === opts.previous.size && !constantTimeEqual(range.root(), opts.previous.root)) {
            throw new VerificationError(`the tree of ${opts.previous.size} leaves in the tiles is not the one remembered (entries below ${opts.previous.size} were changed)`);
          }
        }
      } else {
        hashes.forEach((h, i) => {
          const expected = below[tile.index * TILE_WIDTH + i];
          if (!expected || !constantTimeEqual(expected, h)) throw new VerificationError(`hash ${i} of tile ${tilePath(tile)} is not the hash of the tile below`);
        });
      }
      if (tile.width === TILE_WIDTH) current.push(perfectRoot(hashes));
    }
    below = current;
  }
  if (!constantTimeEqual(range.root(), opts.root)) throw new VerificationError(`the tiles lead to root ${Buffer.from(range.root()).toString('base64')}, not the checkpoint's`);
  if (opts.previous && opts.previous.size === 0 && size === 0 && !constantTimeEqual(range.root(), opts.previous.root)) throw new VerificationError('empty roots differ');
  return report;
}
