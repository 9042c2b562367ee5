import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateClientTypes, OPENAPI_FILE, SCHEMA_FILE } from '../../src/cli/client-types.ts';
import { ProblemError, problemMessage, unwrap } from '../../src/client/index.ts';

describe('the typed client', () => {
  it('src/client/schema.ts is what openapi-typescript generates from the committed openapi.yaml (run `npm run client:types`)', async () => {
    const fresh = await generateClientTypes(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(fresh).toContain('"/v1/requests/{id}/acknowledgement"');
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(fresh);
  });

  it('turns a problem+json error into one line with its title, detail and type', () => {
    const problem = { type: 'https://x.example/problems/invalid-transition', title: 'This transition is not allowed', status: 409, detail: 'cannot answer a request\nthat is closed' };
    expect(problemMessage(409, problem, '/v1/requests/1/responses')).toBe(
      '/v1/requests/1/responses: HTTP 409 This transition is not allowed: cannot answer a request that is closed (https://x.example/problems/invalid-transition)',
    );
    expect(problemMessage(502, 'Bad gateway\n<html>')).toBe('HTTP 502: Bad gateway');
    expect(problemMessage(500, undefined)).toBe('HTTP 500');
  });

  it('unwrap returns the data of a success and throws a ProblemError for an error response', () => {
    expect(unwrap({ data: { a: 1 }, response: new Response('{}', { status: 200 }) })).toEqual({ a: 1 });
    const problem = { type: 't', title: 'Not found', status: 404 };
    const err = (() => {
      try {
        unwrap({ error: problem, response: new Response('', { status: 404 }) });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProblemError);
    expect(err).toMatchObject({ status: 404, type: 't', problem, message: 'HTTP 404 Not found (t)' });
  });
});
