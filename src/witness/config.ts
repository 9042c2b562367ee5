/**
 * Witness configuration (a JSON file) and its signing key (a file holding the
 * base64 32-byte Ed25519 seed, never in the configuration itself).
 *
 *   {
 *     "name": "witness.state-a.example/w1",
 *     "keyFile": "witness-a.key",
 *     "stateFile": "witness-a.state.json",
 *     "listen": "127.0.0.1:7381",
 *     "prefix": "",
 *     "logs": [{ "origin": "poc.example.org/ledger", "keys": ["poc.example.org/ledger+1a2b3c4d+AQ..."] }]
 *   }
 *
 * Relative paths are relative to the configuration file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ed25519KeyPair, type Ed25519KeyPair } from '../tlog/crypto.ts';
import { decodeBase64, isValidKeyName, parseVerifierKey } from '../tlog/note.ts';
import type { FollowedLog } from './witness.ts';

const configSchema = z.object({
  name: z.string().refine(isValidKeyName, 'must be a key name: no spaces, no "+"'),
  keyFile: z.string().min(1),
  stateFile: z.string().min(1),
  listen: z.string().regex(/^[^:]+:\d+$/, 'host:port').default('127.0.0.1:7380'),
  prefix: z.string().regex(/^(\/[^\s?#]*)?$/).default(''),
  logs: z.array(z.object({ origin: z.string().min(1), keys: z.array(z.string()).min(1) })).min(1),
});

export interface WitnessConfig {
  name: string;
  keyPair: Ed25519KeyPair;
  stateFile: string;
  host: string;
  port: number;
  prefix: string;
  logs: FollowedLog[];
}

export function readSeedFile(path: string): Uint8Array {
  const seed = decodeBase64(readFileSync(path, 'utf8').trim());
  if (!seed || seed.length !== 32) throw new Error(`${path} must hold a base64 32-byte Ed25519 seed`);
  return seed;
}

export function loadWitnessConfig(path: string): WitnessConfig {
  const base = dirname(resolve(path));
  const raw = configSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const [host, port] = [raw.listen.slice(0, raw.listen.lastIndexOf(':')), Number(raw.listen.slice(raw.listen.lastIndexOf(':') + 1))];
  return {
    name: raw.name,
    keyPair: ed25519KeyPair(readSeedFile(resolve(base, raw.keyFile))),
    stateFile: resolve(base, raw.stateFile),
    host,
    port,
    prefix: raw.prefix,
    logs: raw.logs.map((l) => ({ origin: l.origin, keys: l.keys.map(parseVerifierKey) })),
  };
}
