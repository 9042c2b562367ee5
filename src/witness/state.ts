/**
 * The witness's memory: for each log origin, the latest checkpoint it
 * cosigned. One small JSON file, replaced atomically on every update (write a
 * temporary file, fsync it, rename it over the old one, fsync the directory),
 * so a crash leaves either the old or the new state, never a torn one.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface LogRecord {
  size: number;
  /** base64 root hash. */
  rootHash: string;
  /** The checkpoint as submitted (log-signed note), for the record. */
  checkpoint: string;
  updatedAt: string;
}

export interface WitnessStateFile {
  version: 1;
  logs: Record<string, LogRecord>;
}

export class FileStore {
  readonly path: string;
  #state: WitnessStateFile;

  constructor(path: string) {
    this.path = resolve(path);
    this.#state = existsSync(this.path) ? FileStore.#parse(readFileSync(this.path, 'utf8'), this.path) : { version: 1, logs: {} };
  }

  static #parse(text: string, path: string): WitnessStateFile {
    const s = JSON.parse(text) as WitnessStateFile;
    if (s?.version !== 1 || typeof s.logs !== 'object' || s.logs === null) throw new Error(`${path} is not a witness state file`);
    return s;
  }

  get(origin: string): LogRecord | undefined {
    return Object.hasOwn(this.#state.logs, origin) ? this.#state.logs[origin] : undefined;
  }

  /** Persists the new record durably before returning. */
  put(origin: string, record: LogRecord): void {
    const next: WitnessStateFile = { version: 1, logs: { ...this.#state.logs, [origin]: record } };
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(next, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.#state = next;
  }
}
