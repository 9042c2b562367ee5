/**
 * How the OpenAPI document is generated from the routes (see app.ts and
 * `npm run openapi`), beyond what @fastify/swagger and the zod type provider
 * do on their own:
 * - a route whose action is `public` (src/auth/policy.ts) is marked
 *   `security: []`, derived from its `config.action` so it cannot be forgotten;
 * - a rate-limited route that declares no 4xx response gets its 429;
 * - a wildcard route (`/tile/*`) is documented with a named parameter;
 * - problem responses are `application/problem+json` (RFC 9457);
 * - `servers` is `/`: the origin that serves the document (GET /openapi.json),
 *   whatever the deployment's public URL;
 * - component schemas no operation references are dropped.
 * `contractProblems` lists what a route must still declare (operationId,
 * description); the generator refuses to write a document that has any, and
 * a test asserts there are none.
 */
import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { problemSchema } from './problem.ts';

type Json = Record<string, unknown>;
type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type ObjectInput = Parameters<typeof jsonSchemaTransformObject>[0];

/** The name a wildcard (`*`) route's parameter is documented under. */
export const WILDCARD_PARAM = 'path';

export function routeTransform(input: TransformInput): { schema: FastifySchema; url: string } {
  const route = input.route as RouteOptions & { config?: { action?: string; rateLimit?: unknown } };
  let schema = input.schema as Json;
  const response = (schema.response ?? {}) as Record<string, unknown>;
  if (schema.response && route.config?.rateLimit !== false && !Object.keys(response).some((code) => code.startsWith('4'))) {
    schema = { ...schema, response: { ...response, 429: problemSchema } };
  }
  const out = jsonSchemaTransform({ ...input, schema: schema as TransformInput['schema'] });
  let { url } = out;
  let result = out.schema as Json;
  if (route.config?.action === 'public') result = { ...result, security: [] };
  if (url.endsWith('/*')) {
    url = `${url.slice(0, -1)}:${WILDCARD_PARAM}`;
    const params = result.params as { properties?: Json; required?: string[] } | undefined;
    if (params?.properties?.['*']) {
      const { '*': wildcard, ...rest } = params.properties;
      result = {
        ...result,
        params: { ...params, properties: { ...rest, [WILDCARD_PARAM]: wildcard }, required: (params.required ?? []).map((p) => (p === '*' ? WILDCARD_PARAM : p)) },
      };
    }
  }
  return { schema: result as FastifySchema, url };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function operations(doc: Json): Array<{ method: string; path: string; op: Json }> {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );
}

function refsIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) into.add(v.slice('#/components/schemas/'.length));
      else refsIn(v, into);
    }
  }
}

/** Keeps only the component schemas reachable from the paths. */
function pruneSchemas(doc: Json): void {
  const components = doc.components as { schemas?: Record<string, unknown> } | undefined;
  if (!components?.schemas) return;
  const used = new Set<string>();
  refsIn(doc.paths, used);
  const seen = new Set<string>();
  const queue = [...used];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const more = new Set<string>();
    refsIn(components.schemas[name], more);
    queue.push(...more);
  }
  components.schemas = Object.fromEntries(Object.entries(components.schemas).filter(([name]) => seen.has(name)));
}

/** Problem responses are served as application/problem+json: document them so. */
function problemContentType(doc: Json): void {
  for (const { op } of operations(doc)) {
    for (const [code, response] of Object.entries((op.responses ?? {}) as Record<string, { content?: Record<string, { schema?: Json }> }>)) {
      if (!/^[45]/.test(code) || !response.content) continue;
      const schema = Object.values(response.content)[0]?.schema;
      if (schema?.$ref === '#/components/schemas/Problem') response.content = { 'application/problem+json': { schema } };
    }
  }
}

export function documentTransform(input: ObjectInput): Json {
    const doc = jsonSchemaTransformObject(input) as Json;
    doc.servers = [{ url: '/', description: 'The deployment that serves this document (its PUBLIC_BASE_URL); a relative URL, resolved against where the document was fetched' }];
    problemContentType(doc);
    pruneSchemas(doc);
    return doc;
}

/** What the document lacks: every operation needs a unique camelCase operationId and a description. */
export function contractProblems(doc: Json): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const { method, path, op } of operations(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    const id = op.operationId;
    if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id)) problems.push(`${where}: needs schema.operationId in camelCase`);
    else if (ids.has(id)) problems.push(`${where}: operationId ${id} is already used by ${ids.get(id)}`);
    else ids.set(id, where);
    if (typeof op.description !== 'string' || op.description.trim().length < 20) problems.push(`${where}: needs schema.description (one or two useful sentences)`);
  }
  return problems;
}
