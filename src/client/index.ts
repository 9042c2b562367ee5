/**
 * A typed client for the directory's API, for integrators and for the
 * project's own tools: openapi-fetch over the types that openapi-typescript
 * generates from openapi.yaml (schema.ts, `npm run client:types`).
 *
 *   const api = createDirectoryClient({ baseUrl: 'https://poc.example.org', token });
 *   const { request } = unwrap(await api.POST('/v1/requests', { body: { ... } }));
 *
 * Every call resolves to `{ data, error, response }`; `unwrap` returns the data
 * or throws a ProblemError carrying the RFC 9457 problem.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, paths } from './schema.ts';
export type Problem = components['schemas']['Problem'];
export type DirectoryClient = Client<paths>;

export interface DirectoryClientOptions {
  /** The service's origin, e.g. https://poc.example.org */
  baseUrl: string;
  /** A JWT or an API key, sent as `Authorization: Bearer …` */
  token?: string | undefined;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** A fetch implementation (default: the global fetch). */
  fetch?: (input: Request) => Promise<Response>;
}

export function createDirectoryClient({ baseUrl, token, headers, fetch: fetchImpl }: DirectoryClientOptions): DirectoryClient {
  return createClient<paths>({
    baseUrl,
    headers: { accept: 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** An error response of the API, with its problem details when the body was one. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  /** The problem details, when the body was one. */
  readonly problem: Partial<Problem> | undefined;
  constructor(
    readonly status: number,
    body: unknown,
    where = '',
  ) {
    super(problemMessage(status, body, where));
    this.problem = isProblem(body) ? body : undefined;
  }
  get type(): string | undefined {
    return this.problem?.type;
  }
}

const isProblem = (body: unknown): body is Partial<Problem> => typeof body === 'object' && body !== null && ('title' in body || 'type' in body);

/** One line: `[/v1/x: ]HTTP 409 This transition is not allowed…: cannot answer a request that is closed (https://…/invalid-transition)` */
export function problemMessage(status: number, body: unknown, where = ''): string {
  const prefix = `${where ? `${where}: ` : ''}HTTP ${status}`;
  if (!isProblem(body)) return typeof body === 'string' && body ? `${prefix}: ${body.split('\n')[0]!.slice(0, 200)}` : prefix;
  const text = [body.title, body.detail].filter((s) => typeof s === 'string' && s).join(': ');
  return `${prefix}${text ? ` ${text}` : ''}${body.type ? ` (${body.type})` : ''}`.replace(/\s*\n\s*/g, ' ');
}

/** The data of a successful call, or a thrown ProblemError for an error response. */
export function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(result: R): Exclude<R['data'], undefined> {
  const { response } = result;
  if (!response.ok) throw new ProblemError(response.status, result.error, response.url ? new URL(response.url).pathname : '');
  return result.data as Exclude<R['data'], undefined>;
}
