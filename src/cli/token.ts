/**
 * Mints a development JWT (HS256, signed with JWT_SECRET or the development
 * secret in DATA_DIR/dev-keys) to try the API:
 *   npm run token -- --role delegate --state FRA [--sub alice] [--ttl 3600]
 */
import { ROLES } from '../auth/actor.ts';
import { DevTokenError, mintDevToken } from '../auth/dev-token.ts';
import { loadConfig } from '../config.ts';
import { runCommand, UsageError } from './args.ts';

const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> [--state ISO3] [--sub NAME] [--ttl SECONDS]

Mints a development token (HS256, signed with JWT_SECRET or the development secret
in DATA_DIR/dev-keys) and prints it. Not available when JWT_PUBLIC_KEY is set.

  --role ROLE     one of ${ROLES.join(', ')} (required)
  --state ISO3    the delegate's state, ISO 3166-1 alpha-3 (required for delegates)
  --sub NAME      the subject (default: derived from role and state)
  --ttl SECONDS   lifetime (default 3600)
  -h, --help      this text`;

await runCommand(
  'token',
  USAGE,
  {
    options: {
      role: { type: 'string' },
      state: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  async ({ values }) => {
    const role = values.role;
    if (!role) throw new UsageError('--role is required');
    const ttl = Number(values.ttl);
    if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError('--ttl must be a positive number of seconds');
    try {
      process.stdout.write((await mintDevToken(loadConfig(), { role, state: values.state, sub: values.sub, ttl })) + '\n');
    } catch (err) {
      if (err instanceof DevTokenError) throw new UsageError(err.message);
      throw err;
    }
  },
);
