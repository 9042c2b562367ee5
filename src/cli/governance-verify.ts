/**
 * Recomputes every governance outcome from the ledger alone:
 * `npm run governance:verify -- (--url URL [--token TOKEN] | --database-url URL) [--json]`
 *
 * Reads every ledger entry (the secretariat's or an auditor's token, or the
 * database), checks that each leaf hash recomputes from its entry, and
 * recomputes each proposal's outcome from the rule and electorate recorded
 * when it was made, the positions cast and the states that withdrew
 * (src/governance/verify.ts). Run `npm run ledger:verify` too: it proves
 * that these entries are the signed log.
 *
 * Exit status: 0 every outcome agrees, 1 a difference was found, 2 usage or access error.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { initCrypto, toHex } from '../crypto/index.ts';
import { openDatabase, type DatabaseHandle } from '../db/index.ts';
import { recomputeGovernance, type GovernanceEntry, type GovernanceReport } from '../governance/verify.ts';
import { STATE_WITHDRAWN } from '../governance/events.ts';
import { canonicalJson, leafHash } from '../ledger/entry.ts';
import { DatabaseSource, HttpSource } from '../ledger/verify-sources.ts';
import { SourceError, type LedgerSource } from '../ledger/verify.ts';

const USAGE = 'usage: npm run governance:verify -- (--url URL [--token TOKEN] | --database-url URL) [--json]';

export interface GovernanceCliResult {
  code: 0 | 1 | 2;
  report?: GovernanceReport;
  output: string[];
  errors: string[];
}

/** The whole CLI, callable in-process (tests) with an optional fetch. */
export async function runGovernanceCli(argv: string[], fetchImpl: typeof fetch = fetch): Promise<GovernanceCliResult> {
  const output: string[] = [];
  const errors: string[] = [];
  let database: DatabaseHandle | undefined;
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, token: { type: 'string' }, 'database-url': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (err) {
    return { code: 2, output, errors: [`${(err as Error).message}`, USAGE] };
  }
  if (values.help) return { code: 0, output: [USAGE], errors };
  if (!values.url === !values['database-url']) return { code: 2, output, errors: ['give either --url or --database-url', USAGE] };
  try {
    await initCrypto();
    let source: LedgerSource;
    if (values['database-url']) {
      database = await openDatabase({ kind: 'postgres', url: values['database-url'], poolMax: 2 });
      source = new DatabaseSource(database, 'database');
    } else {
      source = new HttpSource(values.url!, values.token ?? process.env.LEDGER_VERIFY_TOKEN, fetchImpl);
    }
    const entries: GovernanceEntry[] = [];
    let expected = 0;
    for await (const item of source.entries(0)) {
      if ('error' in item) return { code: 1, output: [`entry ${item.index}: ${item.error}`], errors };
      if (item.index !== expected) return { code: 1, output: [`entries are not gap-free: expected ${expected}, got ${item.index}`], errors };
      expected++;
      if (toHex(leafHash(canonicalJson(item.entry))) !== item.leafHash) return { code: 1, output: [`entry ${item.index}: its leaf hash does not recompute`], errors };
      const e = item.entry as GovernanceEntry;
      if (e.type.startsWith('governance.') || e.type === STATE_WITHDRAWN) entries.push({ index: item.index, type: e.type, at: e.at, subject: e.subject, ...(e.facts ? { facts: e.facts } : {}) });
    }
    const report = recomputeGovernance(entries);
    if (values.json) output.push(JSON.stringify(report, null, 2));
    else {
      output.push(`${expected} ledger entries read, ${report.proposals.length} proposals, ${report.decided} decided`);
      for (const p of report.proposals) {
        const outcome = p.recomputed ? `${p.recorded?.outcome} (recomputed: ${p.recomputed.outcome}, ${p.recomputed.reason}; support ${p.recomputed.tally.support}, object ${p.recomputed.tally.object}, abstain ${p.recomputed.tally.abstain}, electorate ${p.recomputed.tally.electorate})` : p.status;
        output.push(`  ${p.proposal} ${p.kind}: ${outcome}`);
      }
      if (report.problems.length === 0) output.push('every outcome recomputes from the ledger');
      else for (const pr of report.problems) output.push(`DIFFERENCE at entry ${pr.index} (proposal ${pr.proposal}): ${pr.message}`);
    }
    return { code: report.problems.length === 0 ? 0 : 1, report, output, errors };
  } catch (err) {
    if (err instanceof SourceError) return { code: 2, output, errors: [err.message] };
    throw err;
  } finally {
    await database?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const result = await runGovernanceCli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`governance-verify: ${err instanceof Error ? err.message : String(err)}\n`);
    return { code: 2 as const, output: [], errors: [] };
  });
  for (const line of result.errors) process.stderr.write(`${line}\n`);
  for (const line of result.output) process.stdout.write(`${line}\n`);
  process.exit(result.code);
}
