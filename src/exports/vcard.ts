/**
 * vCard 4.0 (RFC 6350) for offline exports: one card per contact. Pure.
 *
 *   UID        urn:uuid:<contact id>
 *   FN, N      the name (N carries the whole name as its family-name component:
 *              the directory keeps one full name, and splitting names across
 *              writing systems is not reliable)
 *   TITLE      title            ORG        organisation
 *   EMAIL      email            TEL        phone (tel: URI)
 *   TZ         IANA time zone   LANG       languages, in order (PREF=1, 2, …)
 *   KEY        the contact's public key (text: OpenPGP armour or ed25519 key)
 *   CATEGORIES the domains      NOTE       notes
 *   REV        last change
 *   X-POC-STATE, X-POC-RANK, X-POC-AVAILABILITY, X-POC-VISIBILITY, X-POC-VERIFICATION
 *              the directory's own fields
 *
 * Text is escaped as RFC 6350 §3.4 asks (backslash, comma, newline; semicolon
 * in compound values), lines end in CRLF and are folded at 75 octets without
 * splitting a UTF-8 sequence (§3.2).
 */
import type { ContactView } from '../contacts/schemas.ts';

/** A text value (§3.4): backslash, comma and newline escaped. */
const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
/** A component of a compound value (N, ORG): semicolons escaped too. */
const escapeComponent = (s: string) => escapeText(s).replace(/;/g, '\\;');

/** Folds a content line at 75 octets (continuation lines start with one space). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = parts.length === 0 ? 75 : 74; // the leading space of a continuation counts
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** REV / timestamp form: 20261204T181500Z. */
const timestamp = (iso: string) => iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');

export function contactToVCard(c: ContactView): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `UID:urn:uuid:${c.id}`,
    `FN:${escapeText(c.name)}`,
    `N:${escapeComponent(c.name)};;;;`,
    `TITLE:${escapeText(c.title)}`,
    `ORG:${escapeComponent(c.organization)}`,
    `EMAIL;TYPE=work:${escapeText(c.email)}`,
    `TEL;VALUE=uri;TYPE=work,voice:tel:${c.phone}`,
    `TZ;VALUE=text:${escapeText(c.timezone)}`,
    ...c.languages.map((l, i) => `LANG;PREF=${i + 1}:${l}`),
    ...(c.publicKey ? [`KEY;VALUE=text:${escapeText(c.publicKey)}`] : []),
    `CATEGORIES:${c.domains.map(escapeText).join(',')}`,
    ...(c.notes ? [`NOTE:${escapeText(c.notes)}`] : []),
    `REV:${timestamp(c.updatedAt)}`,
    `X-POC-STATE;VALUE=text:${c.state}`,
    `X-POC-RANK;VALUE=text:${escapeText(c.rank)}`,
    `X-POC-AVAILABILITY;VALUE=text:${escapeText(c.availability)}`,
    `X-POC-VISIBILITY;VALUE=text:${c.visibility}`,
    `X-POC-VERIFICATION;VALUE=text:${c.verification.status}`,
    'END:VCARD',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** A vCard file (text/vcard; charset=utf-8) of the contacts, one card each. */
export function toVCardFile(contacts: readonly ContactView[]): string {
  return contacts.map(contactToVCard).join('');
}
