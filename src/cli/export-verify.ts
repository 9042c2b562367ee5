/**
 * Offline export verifier: `npm run export:verify -- <file> --public-key <export key> [options]`
 *
 *   <file>                 an export as downloaded from GET /v1/states/{code}/export (signed, or encrypted)
 *   --public-key KEY       the directory's export key (base64 Ed25519, GET /v1/exports/public-key), pinned out of band
 *   --secret-key FILE      the state's X25519 secret key, to open an encrypted export
 *                          (a PEM "PRIVATE KEY" from `openssl genpkey -algorithm X25519`, or 32 bytes base64)
 *   --ledger-key VKEY      also check the checkpoint's signature with the ledger's verifier key (GET /v1/ledger/public-key)
 *   --out FILE             write the verified content: the .vcf or .csv file, or the (decrypted) signed JSON export
 *   --help                 this text
 *
 * No network, no database. Exit status: 0 verified, 1 verification failed
 * (altered, wrong key, cannot decrypt), 2 usage error.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { boxPublicKey, CryptoError, initCrypto, openSealed, toHex } from '../crypto/index.ts';
import { contactsOf, ExportVerificationError, formatAge, keyIdOf, parseExportFile, parseKey32, verifySignedExport, type ExportBundle } from '../exports/bundle.ts';
import { NoteError, openCheckpoint, parseVerifierKey } from '../ledger/note.ts';

export const USAGE =
  'usage: npm run export:verify -- <file> --public-key <base64 Ed25519 export key> [--secret-key <file>] [--ledger-key <verifier key>] [--out <file>]';

class UsageError extends Error {}

export interface CliResult {
  code: 0 | 1 | 2;
  output: string[];
  errors: string[];
}

/** Reads an X25519 secret key: PEM (PKCS#8) or 32 bytes base64. */
function readSecretKey(path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new UsageError(`cannot read --secret-key file ${path}`);
  }
  if (text.startsWith('-----BEGIN')) {
    try {
      const jwk = createPrivateKey(text).export({ format: 'jwk' });
      if (jwk.crv !== 'X25519' || typeof jwk.d !== 'string') throw new Error('not X25519');
      return new Uint8Array(Buffer.from(jwk.d, 'base64url'));
    } catch {
      throw new UsageError(`--secret-key ${path} is not an X25519 private key in PEM`);
    }
  }
  try {
    return parseKey32(text, `--secret-key ${path}`);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => r.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join('  ').trimEnd());
}

function describeBundle(bundle: ExportBundle, hash: string, now: Date, writing: boolean): string[] {
  const age = formatAge(now.getTime() - Date.parse(bundle.generatedAt));
  const lines = [
    `export for ${bundle.state} (${bundle.participation}), format ${bundle.kind}`,
    `generated ${bundle.generatedAt}, ${age} ago`,
    `made at ledger checkpoint: size ${bundle.checkpoint.treeSize}, root ${bundle.checkpoint.rootHash} (${bundle.checkpoint.origin})`,
    `bundle hash (as in the ledger entry): ${hash}`,
  ];
  if (bundle.notice) lines.push(`notice: ${bundle.notice}`);
  lines.push(`${bundle.contactCount} contact(s)`);
  if (bundle.kind === 'json') {
    const contacts = contactsOf(bundle);
    if (contacts.length > 0) {
      lines.push(
        ...table([
          ['STATE', 'DOMAINS', 'NAME', 'TITLE', 'ORGANIZATION', 'EMAIL', 'PHONE', 'TIMEZONE', 'LANG'],
          ...contacts.map((c) => [c.state, c.domains.join(','), c.name, c.title, c.organization, c.email, c.phone, c.timezone, c.languages.join(',')]),
        ]),
      );
    }
  } else if (bundle.content && !writing) {
    lines.push(`the ${bundle.kind === 'vcard' ? 'vCard' : 'CSV'} file ${bundle.content.filename} is inside; write it with --out FILE (json exports print the table)`);
  }
  return lines;
}

export async function runCli(argv: string[], now: Date = new Date()): Promise<CliResult> {
  const output: string[] = [];
  const errors: string[] = [];
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          'public-key': { type: 'string' },
          'secret-key': { type: 'string' },
          'ledger-key': { type: 'string' },
          out: { type: 'string' },
          help: { type: 'boolean', default: false },
        },
      });
    } catch (err) {
      throw new UsageError(`${(err as Error).message.split('\n')[0]} (--help for usage)`);
    }
    const { values, positionals } = parsed;
    if (values.help) return { code: 0, output: [USAGE], errors };
    if (positionals.length !== 1) throw new UsageError(`give exactly one export file (--help for usage)`);
    if (!values['public-key']) throw new UsageError('--public-key is required: the export key published by the directory (GET /v1/exports/public-key)');
    let publicKey: Uint8Array;
    try {
      publicKey = parseKey32(values['public-key'], '--public-key');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const ledgerKey = values['ledger-key'] !== undefined ? parseLedgerKey(values['ledger-key']) : undefined;
    const file = positionals[0]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${file}`);
    }

    await initCrypto();
    let parsedFile = parseExportFile(text);
    let signedText = text;
    if ('encrypted' in parsedFile) {
      const enc = parsedFile.encrypted;
      if (!values['secret-key']) {
        throw new UsageError(`${file} is encrypted for ${enc.state} (recipient key ${enc.recipient.keyId}): give --secret-key FILE`);
      }
      const secretKey = readSecretKey(values['secret-key']);
      let plain: Uint8Array;
      try {
        plain = openSealed(secretKey, new Uint8Array(Buffer.from(enc.ciphertext, 'base64')));
      } catch (err) {
        if (err instanceof CryptoError) {
          throw new ExportVerificationError(
            `cannot decrypt: the export was encrypted to key ${enc.recipient.keyId}, and either --secret-key is not that key or the ciphertext was altered`,
          );
        }
        throw err;
      }
      // The envelope's metadata is not encrypted: hold it to the key that opened it.
      const opened = boxPublicKey(secretKey);
      if (enc.recipient.publicKey !== Buffer.from(opened).toString('base64') || enc.recipient.keyId !== keyIdOf(opened)) {
        throw new ExportVerificationError('the recipient named in the envelope is not the key that opened it: the envelope was altered');
      }
      signedText = Buffer.from(plain).toString('utf8');
      parsedFile = parseExportFile(signedText);
      if ('encrypted' in parsedFile) throw new ExportVerificationError('the decrypted content is not a signed export');
      if (parsedFile.signed.bundle.state !== enc.state) throw new ExportVerificationError(`the envelope says ${enc.state} but the signed bundle is for ${parsedFile.signed.bundle.state}`);
      output.push(`decrypted with the secret key of recipient ${enc.recipient.keyId}`);
    }
    const { bundle, hash } = verifySignedExport(parsedFile.signed, publicKey);
    output.push(`signature valid: Ed25519, export key ${keyIdOf(publicKey)}`);
    if (ledgerKey) {
      try {
        const cp = openCheckpoint(bundle.checkpoint.note, ledgerKey);
        if (cp.size !== bundle.checkpoint.treeSize || toHex(cp.rootHash) !== bundle.checkpoint.rootHash || cp.origin !== bundle.checkpoint.origin) {
          throw new ExportVerificationError('the checkpoint note does not match the checkpoint size and root in the bundle');
        }
        output.push(`checkpoint note signed by the ledger key ${ledgerKey.name}+${ledgerKey.keyId}`);
      } catch (err) {
        if (err instanceof NoteError) throw new ExportVerificationError(`the checkpoint note does not verify with --ledger-key: ${err.message}`);
        throw err;
      }
    }
    output.push(...describeBundle(bundle, hash, now, values.out !== undefined));
    if (values.out) {
      writeFileSync(values.out, bundle.content ? bundle.content.text : signedText, { mode: 0o600 });
      output.push(`wrote ${values.out}`);
    }
    return { code: 0, output, errors };
  } catch (err) {
    if (err instanceof UsageError) {
      errors.push(`export-verify: ${err.message}`);
      return { code: 2, output: [], errors };
    }
    if (err instanceof ExportVerificationError) {
      errors.push(`EXPORT VERIFICATION FAILED: ${err.message}`);
      return { code: 1, output: [], errors };
    }
    throw err;
  }
}

function parseLedgerKey(text: string) {
  try {
    return parseVerifierKey(text);
  } catch (err) {
    throw new UsageError(`--ledger-key: ${(err as Error).message}`);
  }
}

// Run when executed (npm run export:verify), not when imported (tests).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const result = await runCli(process.argv.slice(2)).catch((err: unknown): CliResult => {
    process.stderr.write(`export-verify: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return { code: 2, output: [], errors: [] };
  });
  for (const line of result.errors) process.stderr.write(`${line}\n`);
  for (const line of result.output) process.stdout.write(`${line}\n`);
  process.exit(result.code);
}
