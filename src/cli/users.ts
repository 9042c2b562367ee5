/**
 * User registry from the command line (bootstrap the first secretariat user):
 *   npm run users -- add --role secretariat --subject alice@un.org --name "Alice" [--issuer URL] [--state ISO3] [--organization UUID] [--nomination REF]
 *   npm run users -- list
 * With the embedded database, stop the service first (PGlite has one connection).
 */
import { ROLES, STATE_ROLES, type Role } from '../auth/actor.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { initCrypto } from '../crypto/index.ts';
import { loadKeyring } from '../crypto/keyring.ts';
import { createServices } from '../services.ts';
import { isIso3166Alpha3 } from '../states/iso3166.ts';
import { runCommand, UsageError } from './args.ts';
import { withMigratedDatabase } from './database.ts';

const USAGE = `usage: npm run users -- add --role <${ROLES.join('|')}> --subject SUBJECT [--name DISPLAY_NAME] [--issuer ISSUER] [--state ISO3]
                             [--organization UUID] [--nomination REF]
       npm run users -- list

Registers a user in the registry (the first secretariat user is bootstrapped this way),
or lists the registered users. Works on DATABASE_URL, or on the embedded database under
DATA_DIR (stop the service first: the embedded database has one connection).

  --role ROLE          one of ${ROLES.join(', ')}
  --subject SUBJECT    the identity provider's subject (or an email), at most 256 characters
  --name NAME          display name (default: the subject)
  --issuer ISSUER      the token issuer the subject belongs to (default: JWT_ISSUER, or none)
  --state ISO3         the state, ISO 3166-1 alpha-3 (required for ${STATE_ROLES.join(' and ')})
  --organization UUID  the accredited observer organisation (required for observer; GET /v1/observers)
  --nomination REF     reference of the nomination (e.g. the note verbale), sealed
  -h, --help           this text`;

type NewUserInput = { subject: string; role: Role; state?: string; organizationId?: string; issuer?: string; displayName: string; nominationRef?: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

await runCommand(
  'users',
  USAGE,
  {
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      subject: { type: 'string' },
      name: { type: 'string' },
      issuer: { type: 'string' },
      state: { type: 'string' },
      organization: { type: 'string' },
      nomination: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  async ({ positionals, values }) => {
    const command = positionals[0];
    if (command !== 'add' && command !== 'list') throw new UsageError(command ? `unknown command: ${command}` : 'a command is required (add or list)');
    if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
    let input: NewUserInput | undefined;
    if (command === 'add') {
      const role = values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      if (!values.subject || values.subject.length > 256) throw new UsageError('--subject is required (at most 256 characters)');
      const state = values.state?.toUpperCase();
      if (STATE_ROLES.includes(role) && !(state && isIso3166Alpha3(state))) throw new UsageError(`--state (ISO 3166-1 alpha-3) is required for ${role}`);
      if (!STATE_ROLES.includes(role) && state) throw new UsageError(`--state is only for ${STATE_ROLES.join(' and ')}`);
      const organization = values.organization;
      if (role === 'observer' && !(organization && UUID.test(organization))) throw new UsageError('--organization (the id of an accredited observer organisation) is required for observer');
      if (role !== 'observer' && organization !== undefined) throw new UsageError('--organization is only for observer');
      input = {
        subject: values.subject,
        role,
        displayName: values.name ?? values.subject,
        ...(state ? { state } : {}),
        ...(organization ? { organizationId: organization } : {}),
        ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
        ...(values.nomination ? { nominationRef: values.nomination } : {}),
      };
    } else if (values.role || values.subject || values.name || values.issuer || values.state || values.organization || values.nomination) {
      throw new UsageError('list takes no options');
    }

    const config = loadConfig();
    await initCrypto();
    const keyring = loadKeyring(config);
    await withMigratedDatabase(config, async (database) => {
      const { users } = createServices({ db: database.db, keyring, clock: systemClock, config });
      const cli = { sub: 'system:cli', role: 'secretariat' as const, state: null };
      if (input) {
        const { user, receipt } = await users.register(cli, input);
        process.stdout.write(`registered ${user.role}${user.state ? ` of ${user.state}` : ''}${user.organizationId ? ` of organisation ${user.organizationId}` : ''}: id ${user.id} (issuer '${user.issuer}', subject ${user.subject}); ledger entry ${receipt.index}\n`);
      } else {
        for (const u of await users.list(cli, undefined)) process.stdout.write(`${u.id}  ${u.status.padEnd(11)} ${u.role.padEnd(11)} ${(u.state ?? '-').padEnd(3)}  ${u.subject}\n`);
      }
    });
  },
);
