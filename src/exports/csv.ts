/**
 * CSV (RFC 4180) for offline exports: a header, then one row per contact.
 * Pure.
 *
 * Fields are quoted when they hold a quote, comma, CR or LF (quotes doubled);
 * records end in CRLF; the file starts with a UTF-8 byte order mark so that
 * spreadsheet programs read non-Latin names correctly. Lists (domains,
 * languages) are joined with ";".
 *
 * Spreadsheet formula injection: a cell that starts with "=", "@", a tab or a
 * CR, or with "+" or "-" not followed by digits only, is prefixed with a
 * single quote ("'"), so that a value written by one state cannot run as a
 * formula on another state's machine (OWASP "CSV injection"). Phone numbers
 * (E.164, "+" and digits) and OpenPGP key blocks ("-----BEGIN PGP PUBLIC KEY
 * BLOCK-----", multi-line, so quoted) are not changed.
 */
import type { ContactView } from '../contacts/schemas.ts';

export const CSV_COLUMNS = [
  'id',
  'state',
  'domains',
  'name',
  'title',
  'rank',
  'organization',
  'email',
  'phone',
  'languages',
  'timezone',
  'availability',
  'publicKey',
  'notes',
  'visibility',
  'verificationStatus',
  'verifiedAt',
  'confirmedAt',
  'stale',
  'version',
  'createdAt',
  'updatedAt',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The value as written in a cell, with the formula-injection guard applied. */
export function guardFormula(value: string): string {
  if (/^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-]\d+$/.test(value) && !value.startsWith(PGP_ARMOUR))) return `'${value}`;
  return value;
}

/** An OpenPGP public key block (the only public-key form starting with "-" that the directory accepts) is kept as it is. */
const PGP_ARMOUR = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

export function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cells(c: ContactView): Record<CsvColumn, string> {
  return {
    id: c.id,
    state: c.state,
    domains: c.domains.join(';'),
    name: c.name,
    title: c.title,
    rank: c.rank,
    organization: c.organization,
    email: c.email,
    phone: c.phone,
    languages: c.languages.join(';'),
    timezone: c.timezone,
    availability: c.availability,
    publicKey: c.publicKey ?? '',
    notes: c.notes ?? '',
    visibility: c.visibility,
    verificationStatus: c.verification.status,
    verifiedAt: c.verification.verifiedAt ?? '',
    confirmedAt: c.confirmedAt,
    stale: String(c.stale),
    version: String(c.version),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A CSV file (text/csv; charset=utf-8; header=present) of the contacts. */
export function toCsvFile(contacts: readonly ContactView[]): string {
  const row = (values: readonly string[]) => values.map((v) => quoteField(guardFormula(v))).join(',') + '\r\n';
  return '\uFEFF' + row(CSV_COLUMNS) + contacts.map((c) => row(CSV_COLUMNS.map((col) => cells(c)[col]))).join('');
}
