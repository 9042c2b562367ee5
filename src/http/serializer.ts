/**
 * Response serialisation compiled once per route and status code: the zod
 * response schema is converted to JSON Schema at start-up and compiled by
 * fast-json-stringify (Fastify's own serializer), which writes exactly the
 * schema's properties (anything else in the object is dropped, as with zod's
 * output parsing) without re-parsing the response with zod on every request.
 * Opt-in per schema (`fastSerialized`), for the hot routes whose responses
 * the service builds field by field; every other route, and a schema JSON
 * Schema cannot express (transforms, custom types), keeps zod's serializer.
 */
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;
type SerializerArgs = Parameters<typeof zodSerializerCompiler>[0];

/**
 * `anyOf: [X, {type: 'null'}]` (zod's nullable) becomes `type: [X.type, 'null']`:
 * fast-json-stringify resolves anyOf with a schema validator per value, a type list without one.
 */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) out[k] = simplify(v);
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const isNull = (s: unknown) => typeof s === 'object' && s !== null && (s as JsonSchema).type === 'null' && Object.keys(s).length === 1;
    const other = anyOf.find((s) => !isNull(s)) as JsonSchema | undefined;
    if (anyOf.some(isNull) && other && typeof other.type === 'string') {
      delete out.anyOf;
      return { ...out, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}

/** fast-json-stringify for the schema, or undefined when JSON Schema cannot express it. */
export function compileJsonSerializer(schema: z.ZodType): ((data: unknown) => string) | undefined {
  let json: unknown;
  try {
    // An empty metadata registry: no $defs/$ref for schemas with an id, everything inline.
    json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw', target: 'draft-7', metadata: z.registry() });
  } catch {
    return undefined;
  }
  const { $schema: _ignored, ...rest } = simplify(json) as JsonSchema;
  try {
    return fastJson(rest as unknown as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
  } catch {
    return undefined;
  }
}

const optedIn = new WeakSet<z.ZodType>();

/** Marks a response schema for the compiled serializer; returns it. */
export function fastSerialized<T extends z.ZodType>(schema: T): T {
  optedIn.add(schema);
  return schema;
}

export function serializerCompiler(args: SerializerArgs): (data: unknown) => string {
  const schema = args.schema;
  if (schema instanceof z.ZodType && optedIn.has(schema)) {
    const compiled = compileJsonSerializer(schema);
    if (compiled) return compiled;
  }
  return zodSerializerCompiler(args);
}
