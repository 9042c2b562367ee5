/**
 * Offline ledger verifier: `npm run ledger:verify -- [options]`
 *
 *   --url URL              the service's HTTP API (with --token, or LEDGER_VERIFY_TOKEN)
 *   --database-url URL     or read the database directly (auditors); needs --public-key or a state file
 *   --public-key VKEY      the log's verifier key (name+keyid+base64), as published out of band;
 *                          without it, the key of the state file, or (first run only) the one the API serves
 *   --party                delegates: prove the entries the token may see, instead of recomputing the whole tree
 *   --state FILE           remembers the last verified checkpoint (default .ledger-verify-state.json)
 *   --sample N             inclusion proofs sampled into the latest checkpoint (default 8)
 *   --json                 print the report as JSON
 *   --witness VKEY         a witness's cosigner key (name+keyid+base64(0x04 || key)); repeat for each witness
 *   --quorum K             refuse a latest checkpoint without K valid cosignatures from those witnesses (default: all of them)
 *   --witness-wait S       wait up to S seconds for a fresh checkpoint to gather its quorum (default 15)
 *   --tiles URL            verify from the tiled log alone (c2sp.org/tlog-tiles), e.g. https://host/v1/ledger/tlog/
 *
 * Exit status: 0 verified, 1 verification failed (the report names the first bad index), 2 usage or access error.
 */
import { existsSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { initCrypto } from '../crypto/index.ts';
import { openDatabase, type DatabaseHandle } from '../db/index.ts';
import { formatVerifierKey, NoteError, parseVerifierKey, type VerifierKey } from '../ledger/note.ts';
import { DatabaseSource, HttpSource } from '../ledger/verify-sources.ts';
import { verifyFromTiles } from '../ledger/verify-tiles.ts';
import { parseCosignerKey, verifyCosignatures, type CosignerKey } from '../tlog/cosignature.ts';
import { SourceError, verifyLedger, type LedgerSource, type VerifierState, type VerifyReport } from '../ledger/verify.ts';
import { parseCommandLine, reportFailure, UsageError } from './args.ts';
import { progressLine } from './progress.ts';

const USAGE = `usage: npm run ledger:verify -- (--url URL [--token TOKEN] | --database-url URL | --tiles URL [--token TOKEN]) [--public-key VKEY] [--party] [--state FILE] [--sample N] [--witness VKEY ... [--quorum K] [--witness-wait S]] [--json]

Verifies the ledger offline: every entry against the signed checkpoints, and each
checkpoint as an extension of the one remembered from the previous run.

  --url URL            the service's HTTP API, with --token (or LEDGER_VERIFY_TOKEN)
  --database-url URL   or read the database directly (auditors)
  --public-key VKEY    the log's verifier key as published out of band; without it,
                       the key of the state file, or (first run only) the served one
  --party              delegates: prove only the entries the token may see
  --state FILE         the last verified checkpoint (default .ledger-verify-state.json)
  --tiles URL          or read the static tiles (tlog-tiles) under URL, e.g. BASE/v1/ledger/tlog
  --sample N           inclusion proofs sampled into the latest checkpoint (default 8)
  --witness VKEY       a witness's verifier key (repeatable): checkpoints must carry
                       cosignatures from --quorum of them (default: all)
  --quorum K           how many of the --witness keys must have cosigned
  --witness-wait S     seconds to wait for the cosignatures (default 15)
  --json               print the report as JSON
  -h, --help           this text

Exit status: 0 verified, 1 verification failed, 2 usage or access error.
Progress is shown on a terminal only.`;

interface Options {
  url?: string;
  token?: string;
  databaseUrl?: string;
  publicKey?: string;
  party: boolean;
  statePath: string;
  sample: number;
  json: boolean;
  tiles?: string;
  witnesses?: { keys: CosignerKey[]; quorum: number };
  witnessWaitSeconds: number;
}

function parse(argv: string[]): Options | null {
  const parsed = parseCommandLine({
    args: argv,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'database-url': { type: 'string' },
      'public-key': { type: 'string' },
      party: { type: 'boolean', default: false },
      state: { type: 'string', default: '.ledger-verify-state.json' },
      sample: { type: 'string', default: '8' },
      json: { type: 'boolean', default: false },
      witness: { type: 'string', multiple: true },
      quorum: { type: 'string' },
      'witness-wait': { type: 'string', default: '15' },
      tiles: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (parsed === null) return null;
  const { values } = parsed;
  if ([values.url, values['database-url'], values.tiles].filter(Boolean).length !== 1) throw new UsageError('give one of --url, --database-url or --tiles');
  if (values.tiles && values.party) throw new UsageError('--party needs --url');
  let witnesses: Options['witnesses'];
  if (values.witness?.length) {
    let keys: CosignerKey[];
    try {
      keys = values.witness.map(parseCosignerKey);
    } catch (err) {
      throw new UsageError(`--witness: ${(err as Error).message}`);
    }
    const quorum = values.quorum === undefined ? keys.length : Number(values.quorum);
    if (!Number.isInteger(quorum) || quorum < 1 || quorum > keys.length) throw new UsageError(`--quorum must be between 1 and the number of --witness keys (${keys.length})`);
    witnesses = { keys, quorum };
  } else if (values.quorum !== undefined) {
    throw new UsageError('--quorum needs --witness keys');
  }
  const witnessWaitSeconds = Number(values['witness-wait']);
  if (!Number.isFinite(witnessWaitSeconds) || witnessWaitSeconds < 0) throw new UsageError('--witness-wait must be a number of seconds');
  if (values['database-url'] && values.party) throw new UsageError('--party needs --url (the database shows every entry)');
  const sample = Number(values.sample);
  if (!Number.isInteger(sample) || sample < 0) throw new UsageError('--sample must be a non-negative integer');
  return {
    url: values.url,
    token: values.token ?? process.env.LEDGER_VERIFY_TOKEN,
    databaseUrl: values['database-url'],
    publicKey: values['public-key'],
    party: values.party,
    statePath: values.state,
    sample,
    json: values.json,
    ...(values.tiles ? { tiles: values.tiles } : {}),
    ...(witnesses ? { witnesses } : {}),
    witnessWaitSeconds,
  };
}

export function loadState(path: string): VerifierState | undefined {
  if (!existsSync(path)) return undefined;
  const state = JSON.parse(readFileSync(path, 'utf8')) as VerifierState;
  if (state?.version !== 1 || typeof state.checkpoint !== 'string' || typeof state.verifierKey !== 'string') throw new UsageError(`${path} is not a ledger-verify state file`);
  return state;
}

export function saveState(path: string, state: VerifierState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, path);
}

export interface CliResult {
  code: 0 | 1 | 2;
  report?: VerifyReport;
  output: string[];
  errors: string[];
}

/** The whole CLI, callable in-process (tests) with an optional fetch and progress sink. */
export async function runCli(argv: string[], fetchImpl: typeof fetch = fetch, onProgress?: (message: string) => void): Promise<CliResult> {
  const output: string[] = [];
  const errors: string[] = [];
  let database: DatabaseHandle | undefined;
  try {
    const opts = parse(argv);
    if (opts === null) return { code: 0, output: [USAGE], errors };
    await initCrypto();
    const state = loadState(opts.statePath);
    if (opts.tiles) {
      if (!opts.publicKey && !state) throw new UsageError('--tiles needs --public-key (the log key published by the operator) or a state file');
      const key = parseVerifierKey(opts.publicKey ?? state!.verifierKey);
      if (state && state.verifierKey !== formatVerifierKey(key)) throw new UsageError(`${opts.statePath} was made with the key ${state.verifierKey}; use another --state file for another key`);
      const report = await verifyFromTiles({ prefix: opts.tiles, key, fetch: fetchImpl, ...(opts.token ? { token: opts.token } : {}), ...(opts.witnesses ? { witnesses: opts.witnesses } : {}), ...(state ? { state } : {}) });
      if (report.ok && report.state) saveState(opts.statePath, report.state);
      if (opts.json) output.push(JSON.stringify({ ...report, state: undefined }, null, 2));
      else output.push(...describe(report, opts.statePath));
      return { code: report.ok ? 0 : 1, report, output, errors };
    }
    let source: LedgerSource;
    if (opts.databaseUrl) {
      database = await openDatabase({ kind: 'postgres', url: opts.databaseUrl, poolMax: 2 });
      source = new DatabaseSource(database, 'database');
    } else {
      source = new HttpSource(opts.url!, opts.token, fetchImpl);
    }

    let key: VerifierKey;
    if (opts.publicKey) {
      key = parseVerifierKey(opts.publicKey);
      if (state && state.verifierKey !== formatVerifierKey(key)) {
        throw new UsageError(`${opts.statePath} was made with the key ${state.verifierKey}; use another --state file for another key`);
      }
    } else if (state) {
      key = parseVerifierKey(state.verifierKey);
    } else {
      const served = await source.publicKey();
      if (!served) throw new UsageError('no public key: pass --public-key (the log key published by the operator)');
      key = parseVerifierKey(served);
      errors.push(`warning: trusting the key the server announces on first use: ${served}\n         compare it with the published key, or pass --public-key next time`);
    }

    if (opts.witnesses && opts.witnessWaitSeconds > 0) await waitForQuorum(source, opts.witnesses, opts.witnessWaitSeconds, (m) => !opts.json && errors.push(`ledger-verify: ${m}`));
    const report = await verifyLedger(source, {
      ...(opts.witnesses ? { witnesses: opts.witnesses } : {}),
      key,
      ...(state ? { state } : {}),
      mode: opts.party ? 'party' : 'full',
      sample: opts.sample,
      progress: (m) => {
        if (!opts.json) onProgress?.(`ledger-verify: ${m}`);
      },
    });
    if (report.ok && report.state) saveState(opts.statePath, report.state);
    if (opts.json) output.push(JSON.stringify({ ...report, state: undefined }, null, 2));
    else output.push(...describe(report, opts.statePath));
    return { code: report.ok ? 0 : 1, report, output, errors };
  } catch (err) {
    if (err instanceof UsageError) {
      errors.push(`ledger-verify: ${err.message} (see --help)`);
      return { code: 2, output, errors };
    }
    if (err instanceof SourceError || err instanceof NoteError) {
      errors.push(err.message);
      return { code: 2, output, errors };
    }
    throw err;
  } finally {
    await database?.close();
  }
}

/** A checkpoint signed moments ago may still be on its way to the witnesses: wait a little for its quorum. */
async function waitForQuorum(source: LedgerSource, witnesses: NonNullable<Options['witnesses']>, seconds: number, progress: (m: string) => void): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const note = await source.latestCheckpoint();
    if (note === undefined) return; // the source cannot say (database): the verifier decides on what it holds
    let count = 0;
    try {
      count = verifyCosignatures(note, witnesses.keys).length;
    } catch {
      return;
    }
    if (count >= witnesses.quorum || Date.now() >= deadline) return;
    progress(`latest checkpoint has ${count} of ${witnesses.quorum} cosignatures; waiting for the witnesses`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function describe(r: VerifyReport, statePath: string): string[] {
  const counts = `${r.entriesChecked} entries, ${r.checkpointsChecked} checkpoints, ${r.consistencyProofsChecked} consistency proofs, ${r.inclusionProofsChecked} inclusion proofs checked`;
  if (!r.ok) {
    const f = r.failure!;
    return [
      `LEDGER VERIFICATION FAILED (${r.source}, ${r.mode} mode)`,
      f.firstBadIndex === null ? 'first bad index: none can be named' : `first bad index: ${f.firstBadIndex}`,
      `reason: ${f.reason}`,
      counts,
    ];
  }
  return [
    `ledger verified (${r.source}, ${r.mode} mode): checkpoint of ${r.treeSize} entries, root ${r.rootHash}`,
    counts,
    ...(r.cosignedBy ? [`cosigned by ${r.cosignedBy.length} witness(es): ${r.cosignedBy.join(', ')}`] : []),
    ...(r.uncoveredEntries > 0 ? [`${r.uncoveredEntries} newer entries checked one by one, not yet covered by a checkpoint`] : []),
    `remembered in ${statePath}`,
  ];
}

// Run when executed (npm run ledger:verify), not when imported (tests).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const progress = progressLine();
  const result = await runCli(process.argv.slice(2), fetch, (m) => progress.update(m)).catch((err: unknown) => {
    progress.done();
    reportFailure('ledger-verify', err); // one line, no stack trace
    return { code: 2 as const, output: [], errors: [] };
  });
  progress.done();
  for (const line of result.errors) process.stderr.write(`${line}\n`);
  for (const line of result.output) process.stdout.write(`${line}\n`);
  process.exit(result.code);
}
