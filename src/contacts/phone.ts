/**
 * Phone numbers as people write them ("+33 1 23 45 67 89", "01 23 45 67 89",
 * "0033 1 23 45 67 89", "(202) 555-0143"), validated against the numbering plan
 * of their country with libphonenumber-js (full metadata: lengths and digit
 * patterns) and stored in E.164. A number without a country code is read in the
 * numbering plan of the contact's state, when that state has its own.
 */
import countries from 'i18n-iso-countries';
import { getExampleNumber, isSupportedCountry, ParseError, parsePhoneNumberWithError, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** The telephone country of an ISO 3166-1 alpha-3 state, when libphonenumber knows its numbering plan. */
export function phoneCountryOf(state: string): CountryCode | undefined {
  const alpha2 = countries.alpha3ToAlpha2(state);
  return alpha2 && isSupportedCountry(alpha2) ? alpha2 : undefined;
}

const REASONS: Record<string, string> = {
  NOT_A_NUMBER: 'is not a phone number',
  INVALID_COUNTRY: 'needs its country code: write it in international format, starting with +',
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has a length no number of its country has',
};

function example(country: CountryCode | undefined): string {
  const sample = getExampleNumber(country ?? 'FR', examples);
  return sample ? ` (e.g. ${sample.formatInternational()})` : '';
}

/** E.164 form of `input`, or the reason it is not a valid number (read in the state's plan when it has no country code). */
export function normalisePhone(input: string, state: string): { ok: true; e164: string } | { ok: false; message: string } {
  const country = phoneCountryOf(state);
  const where = country ? `as numbers of ${regionNames.of(country)}` : 'as international numbers';
  try {
    const options = country ? { defaultCountry: country } : {};
    const number = parsePhoneNumberWithError(input, options);
    if (number.isValid()) return { ok: true, e164: number.number };
    const of = number.country ? regionNames.of(number.country) : `country code +${number.countryCallingCode}`;
    const length = validatePhoneNumberLength(input, options);
    const reason = length && length in REASONS ? `${REASONS[length]} for ${of}` : `is not a valid phone number for ${of}`;
    return { ok: false, message: `${reason}${example(number.country ?? country)}` };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const reason = REASONS[err.message] ?? 'is not a valid phone number';
    return { ok: false, message: `${reason}; a number without a country code is read ${where}${example(country)}` };
  }
}
