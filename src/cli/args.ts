/**
 * What every command-line tool shares: `--help` prints the usage and exits 0;
 * a bad argument prints one line and exits 2; a configuration problem prints
 * its list and exits 2; any other failure prints one line (no stack trace
 * unless DEBUG is set) and exits 1.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config.ts';
import { DataDirectoryInUseError } from '../db/index.ts';

/** A wrong command line: reported in one line with exit status 2. */
export class UsageError extends Error {}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const before = end === -1 ? argv : argv.slice(0, end);
  return before.includes('--help') || before.includes('-h');
}

/** The parse errors of node:util parseArgs carry a code starting with ERR_PARSE_ARGS. */
function isParseArgsError(err: unknown): err is Error {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/**
 * parseArgs (strict) with `--help`/`-h` answered by `null` (the caller prints the usage)
 * and parse errors turned into one-line UsageErrors.
 */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): Parsed<T> | null {
  const argv = config.args ?? process.argv.slice(2);
  if (wantsHelp(argv)) return null;
  try {
    // strict is parseArgs' default; the config's own `args` (or the process's) is parsed.
    return parseArgs<T>({ ...config, args: argv });
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(err.message.split('\n')[0]!);
    throw err;
  }
}

/**
 * Runs a command's main function with the shared exit conventions.
 * `name` prefixes error lines; `usage` is printed by --help (stdout) and after a usage error hint.
 */
export async function runCommand<T extends ParseArgsConfig>(
  name: string,
  usage: string,
  config: T,
  main: (args: Parsed<T>) => Promise<void> | void,
): Promise<void> {
  let code = 0;
  try {
    const args = parseCommandLine(config);
    if (args === null) {
      process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
    } else {
      await main(args);
    }
  } catch (err) {
    code = reportFailure(name, err);
  }
  // Exit explicitly: a database pool or timer left by a failure must not keep the command alive.
  process.exit(code);
}

/** Writes the failure to stderr and returns the exit status it deserves. */
export function reportFailure(name: string, err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`${name}: ${err.message} (see --help)\n`);
    return 2;
  }
  if (err instanceof DataDirectoryInUseError) {
    // The embedded database allows one process: refuse clearly while the service (or another command) has it open.
    process.stderr.write(`${name}: refused: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`${name}: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${name}: ${message}\n`);
  if (process.env.DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}
