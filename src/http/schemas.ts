/** Schemas shared by several route modules. */
import { z } from 'zod';
import { isIso3166Alpha3 } from '../states/iso3166.ts';

export const stateCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 code in upper case, e.g. FRA', abort: true })
  .refine(isIso3166Alpha3, 'is not an ISO 3166-1 alpha-3 code');

export const stateParams = z.object({ code: stateCode });
export const idParams = z.object({ id: z.uuid() });

export const MAX_PAGE_SIZE = 100;
export const limitQuery = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50);

export const receiptSchema = z
  .object({
    index: z.number().int().min(0).describe('Position of the ledger entry recording this change'),
    leafHash: z.string().describe('RFC 9162 leaf hash of that entry, hex'),
  })
  .meta({ id: 'Receipt', description: 'Ledger receipt: fetch an inclusion proof for it later to hold the server to this change' });

export { problemSchema } from './problem.ts';
