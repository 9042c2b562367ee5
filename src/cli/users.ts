/**
 * User registry from the command line (bootstrap the first secretariat user):
 *   npm run users -- add --role secretariat --subject alice@un.org --name "Alice" [--issuer URL] [--state ISO3] [--nomination REF]
 *   npm run users -- list
 * With the embedded database, stop the service first (PGlite has one connection).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, STATE_ROLES, type Role } from '../auth/actor.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { initCrypto } from '../crypto/index.ts';
import { loadKeyring } from '../crypto/keyring.ts';
import { openDatabase } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createServices } from '../services.ts';
import { isIso3166Alpha3 } from '../states/iso3166.ts';

const usage = `usage: npm run users -- add --role ${ROLES.join('|')} --subject SUBJECT [--name DISPLAY_NAME] [--issuer ISSUER] [--state ISO3] [--nomination REF]
       npm run users -- list`;

function fail(message: string): never {
  process.stderr.write(`${message} (usage: npm run users -- --help)\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      subject: { type: 'string' },
      name: { type: 'string' },
      issuer: { type: 'string' },
      state: { type: 'string' },
      nomination: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (err) {
  fail((err as Error).message);
}
const { positionals, values } = parsed;
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const command = positionals[0];
if (command !== 'add' && command !== 'list') fail(command ? `unknown command: ${command}` : 'a command is required');
let input: { subject: string; role: Role; state?: string; issuer?: string; displayName: string; nominationRef?: string } | undefined;
if (command === 'add') {
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (!values.subject || values.subject.length > 256) fail('--subject is required (at most 256 characters)');
  const state = values.state?.toUpperCase();
  if (STATE_ROLES.includes(role) && !(state && isIso3166Alpha3(state))) fail(`--state (ISO 3166-1 alpha-3) is required for ${role}`);
  if (!STATE_ROLES.includes(role) && state) fail(`--state is only for ${STATE_ROLES.join(' and ')}`);
  input = {
    subject: values.subject,
    role,
    displayName: values.name ?? values.subject,
    ...(state ? { state } : {}),
    ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
    ...(values.nomination ? { nominationRef: values.nomination } : {}),
  };
}

const config = loadConfig();
await initCrypto();
const keyring = loadKeyring(config);
const database = config.DATABASE_URL
  ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL })
  : await openDatabase({ kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pglite') });
try {
  await migrateToLatest(database.db);
  const { users } = createServices({ db: database.db, keyring, clock: systemClock, config });
  const cli = { sub: 'system:cli', role: 'secretariat' as const, state: null };
  if (input) {
    const { user, receipt } = await users.register(cli, input);
    process.stdout.write(`registered ${user.role}${user.state ? ` of ${user.state}` : ''}: id ${user.id} (issuer '${user.issuer}', subject ${user.subject}); ledger entry ${receipt.index}\n`);
  } else {
    for (const u of await users.list(cli, undefined)) process.stdout.write(`${u.id}  ${u.status.padEnd(11)} ${u.role.padEnd(11)} ${(u.state ?? '-').padEnd(3)}  ${u.subject}\n`);
  }
} catch (err) {
  const detail = (err as { detail?: string }).detail ?? (err as Error).message;
  process.stderr.write(`${detail.split('\n')[0]}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
