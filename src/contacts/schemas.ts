/** Contact request/response schemas (zod): the API contract for contacts. */
import { z } from 'zod';

import { DOMAINS, VISIBILITIES, type Domain, type Visibility } from '../vocabulary.ts';

export { DOMAINS, type Domain, type Visibility };

const TIMEZONES = new Set(Intl.supportedValuesOf('timeZone').concat(['UTC', 'Etc/UTC']));
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

const text = (max: number) => z.string().trim().min(1).max(max);

const ISO_639_1 = /^[a-z]{2}$/;
/** Known ISO 639-1 code? Never throws: Intl.DisplayNames.of throws on anything that is not a BCP 47 tag. */
function isKnownLanguage(code: string): boolean {
  if (!ISO_639_1.test(code)) return false;
  let known = knownLanguages.get(code);
  if (known === undefined) {
    try {
      known = languageNames.of(code) !== undefined;
    } catch {
      known = false;
    }
    knownLanguages.set(code, known);
  }
  return known;
}
/** Answers of Intl.DisplayNames (about 35 µs a call), remembered: at most 26 × 26 two-letter codes. */
const knownLanguages = new Map<string, boolean>();

// zod runs every check even after one failed, so the second one must be safe on any string.
export const languageCode = z
  .string()
  .regex(ISO_639_1, 'must be an ISO 639-1 code (two lower-case letters)')
  .refine((c) => !ISO_639_1.test(c) || isKnownLanguage(c), 'is not an ISO 639-1 language code');

const ED25519_B64 = /^[A-Za-z0-9+/]{43}=$/;
const publicKey = z
  .string()
  .trim()
  .max(20_000)
  .refine(
    (k) =>
      (k.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----') && k.includes('-----END PGP PUBLIC KEY BLOCK-----')) ||
      (ED25519_B64.test(k.replace(/^ed25519:/, '')) && Buffer.from(k.replace(/^ed25519:/, ''), 'base64').length === 32),
    'must be an ASCII-armoured OpenPGP public key block or an Ed25519 public key (32 bytes, base64, optional "ed25519:" prefix)',
  );

/** The confidential fields of a contact: every one is encrypted at rest. */
export const contactFieldsSchema = z.object({
  name: text(200),
  title: text(200).describe('Official position'),
  rank: text(100).describe('Seniority level, so counterparts can match levels (e.g. "minister", "director", "senior officer")'),
  organization: text(300),
  email: z.email().max(254),
  phone: z
    .string()
    .trim()
    .min(3)
    .max(40)
    .regex(/^[+0-9()./\s-]+$/u, 'must be a phone number: digits, spaces and + ( ) . - /')
    .describe(
      'As people write it ("+33 1 23 45 67 89", "01 23 45 67 89", "0033 1 23 45 67 89"); a number without a country code is read in the numbering plan of the contact\'s state. Validated for its country and stored and returned in E.164 (+33123456789)',
    ),
  languages: z.array(languageCode).min(1).max(12).refine((l) => new Set(l).size === l.length, 'must not repeat a language'),
  timezone: z.string().refine((tz) => TIMEZONES.has(tz), 'must be an IANA time zone, e.g. Europe/Paris'),
  availability: text(200).describe('e.g. "24/7" or "Mon-Fri 09:00-18:00"'),
  publicKey: publicKey.nullable().optional(),
  notes: text(2000).nullable().optional(),
});
export type ContactFields = z.infer<typeof contactFieldsSchema>;

const domains = z
  .array(z.enum(DOMAINS))
  .min(1)
  .max(3)
  .refine((d) => new Set(d).size === d.length, 'must not repeat a domain')
  .describe('The domains this contact serves; one contact may serve several');

const visibility = z.enum(VISIBILITIES).describe('confidential (default): disclosed only under the disclosure rules; public: visible to everyone, including the unauthenticated public directory');

export const createContactSchema = contactFieldsSchema.extend({ domains, visibility: visibility.optional() }).strict();

export const updateContactSchema = contactFieldsSchema
  .partial()
  .extend({ domains: domains.optional(), visibility: visibility.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'at least one field must be given');

export type ContactPatch = z.infer<typeof updateContactSchema>;

export const contactSchema = z
  .object({
    id: z.uuid(),
    state: z.string(),
    domains: z.array(z.enum(DOMAINS)),
    name: z.string(),
    title: z.string(),
    rank: z.string(),
    organization: z.string(),
    email: z.string(),
    phone: z.string(),
    languages: z.array(z.string()),
    timezone: z.string(),
    availability: z.string(),
    publicKey: z.string().nullable(),
    notes: z.string().nullable(),
    visibility: z.enum(VISIBILITIES),
    verification: z.object({
      status: z.enum(['pending', 'verified', 'rejected']).describe('Set by the secretariat; any change of content returns it to pending'),
      verifiedAt: z.iso.datetime().nullable(),
      note: z.string().nullable().optional().describe("The secretariat's note (shown to the secretariat and the owning state only)"),
    }),
    confirmedAt: z.iso.datetime().describe('When the owning state last confirmed or changed the contact'),
    stale: z.boolean().describe('Not confirmed by its state within the freshness period (STALE_AFTER_DAYS)'),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Contact' });
export type ContactView = z.infer<typeof contactSchema>;
