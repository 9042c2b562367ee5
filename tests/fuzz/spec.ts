/**
 * Fuzzing support: reads openapi.yaml and turns every operation's schemas
 * into fast-check arbitraries of near-valid values, plus hand-picked hostile
 * values and mutations (wrong types, huge and empty strings, NUL and lone
 * surrogates, prototype keys, deep nesting).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  id: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** `security: []` in the spec: the route needs no token. */
  public: boolean;
}

interface Spec {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> }; security?: unknown[] }>>;
  components: { schemas: Record<string, JsonSchema> };
}

export function loadSpec(file = path.resolve(import.meta.dirname, '../../openapi.yaml')): { operations: Operation[]; components: Record<string, JsonSchema> } {
  const spec = parse(readFileSync(file, 'utf8')) as Spec;
  const operations: Operation[] = [];
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase() as Operation['method'];
      if (!['GET', 'PUT', 'POST', 'PATCH', 'DELETE'].includes(method)) continue;
      operations.push({
        method,
        path: p,
        id: `${method} ${p}`,
        parameters: op.parameters ?? [],
        ...(op.requestBody?.content?.['application/json'] ? { body: op.requestBody.content['application/json'].schema } : {}),
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return { operations, components: spec.components.schemas };
}

// ---------------------------------------------------------------------------
// Hostile values

const deepArray = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
const deepObject = (depth: number) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;

export const NASTY_STRINGS: string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y\ud83d',
  '\ufeff',
  '\u202e\u0041',
  '💥'.repeat(40),
  'a'.repeat(257),
  'a'.repeat(20_001),
  'é'.repeat(30_000),
  '%00',
  '%zz',
  '../../etc/passwd',
  "'; drop table contacts; --",
  '$1',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e999',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'FRA',
  'fra',
  'XXX',
  'FR',
  'FRANCE',
  'x',
  '1',
  'a b',
  'xx-',
  'en-',
  'zz',
  'EN',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-4000-8000-000000000000',
  '------------------------------------',
  '-200000-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '2020-02-30T00:00:00Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999999999Z',
  '1970-01-01T00:00:00.000Z',
  'https://[::ffff:0:127.0.0.1]/',
  'https://user:pass@127.0.0.1:0/',
  'http://localhost/',
  'javascript:alert(1)',
  'https://' + 'a'.repeat(300) + '.example/',
  '+10000000000000000',
  'a@b',
  'a@b.c',
  '"@example.org',
];

export const NASTY_VALUES: unknown[] = [
  ...NASTY_STRINGS,
  null,
  true,
  false,
  0,
  -1,
  -0,
  1.5,
  2 ** 31,
  2 ** 53,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
  5e-324,
  [],
  {},
  [null],
  [''],
  ['\u0000'],
  Array.from({ length: 500 }, (_, i) => `x${i}`),
  { '': 1 },
  JSON.parse('{"__proto__":{"role":"secretariat","isAdmin":true}}') as unknown,
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown,
  deepArray(64),
  deepObject(64),
  deepArray(3000),
  deepObject(3000),
];

/** Whole request bodies sent as raw text (not necessarily JSON). */
export const NASTY_BODIES: string[] = [
  '',
  ' ',
  '{',
  '}',
  'null',
  '[]',
  '"a"',
  '1',
  'true',
  '{"a":1}{"b":2}',
  '\u0000',
  '{"\u0000":1}',
  '\ufeff{}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(4000) + '1' + '}'.repeat(4000),
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":1e99999}',
  '{"a":' + '9'.repeat(5000) + '}',
  'x'.repeat(70 * 1024),
  JSON.stringify({ a: 'b'.repeat(70 * 1024) }),
];

export const CONTENT_TYPES: (string | undefined)[] = [
  undefined,
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/problem+json',
  'application/JSON',
  'application/json, text/plain',
  'application/json;;;',
  'application/octet-stream',
  '*/*',
  '',
  'application/json\u00e9',
];

// ---------------------------------------------------------------------------
// Schema → arbitrary of (mostly) valid values

export interface Hints {
  /** Values to prefer for a property or parameter of this name (fixture ids, joined states). */
  byName: Record<string, unknown[]>;
  /** State codes that exist in the fixtures. */
  states: string[];
}

const MAX_STRING = 40;

function patternArb(pattern: string): fc.Arbitrary<string> | null {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return null;
  }
}

export function schemaArb(schema: JsonSchema, components: Record<string, JsonSchema>, hints: Hints, name?: string, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    return target ? schemaArb(target, components, hints, name, depth + 1) : fc.constant({});
  }
  const preferred = name ? hints.byName[name] : undefined;
  const inner = rawSchemaArb(schema, components, hints, depth);
  return preferred && preferred.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...preferred), weight: 3 }, { arbitrary: inner, weight: 1 }) : inner;
}

function rawSchemaArb(schema: JsonSchema, components: Record<string, JsonSchema>, hints: Hints, depth: number): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => schemaArb(s, components, hints, undefined, depth + 1)));
  if (schema.allOf) return schemaArb(Object.assign({}, ...schema.allOf) as JsonSchema, components, hints, undefined, depth + 1);
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((t) => rawSchemaArb({ ...schema, type: t }, components, hints, depth + 1)));
  }
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = Math.max(schema.minimum ?? -1000, -(2 ** 31));
      const max = Math.min(schema.maximum ?? 1000, 2 ** 31);
      const small = fc.integer({ min: Math.min(min, max), max: Math.max(Math.min(max, min + 100_000), min) });
      // The edges of the declared range and of the database's integer types.
      const lo = schema.minimum ?? -Number.MAX_SAFE_INTEGER;
      const hi = schema.maximum ?? Number.MAX_SAFE_INTEGER;
      const edges = [lo, lo + 1, hi, hi - 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -1, 0].filter((n) => n >= lo && n <= hi && Number.isSafeInteger(n));
      return fc.oneof({ arbitrary: small, weight: 3 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
    case 'string':
      return stringArb(schema, hints);
    case 'array': {
      const item = schema.items ? schemaArb(schema.items, components, hints, undefined, depth + 1) : fc.jsonValue();
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'object':
    default: {
      if (!schema.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(schema.properties)) model[key] = schemaArb(sub, components, hints, key, depth + 1);
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in model) });
    }
  }
}

function stringArb(schema: JsonSchema, hints: Hints): fc.Arbitrary<string> {
  if (schema.pattern === '^[A-Z]{3}$') {
    return fc.oneof({ arbitrary: fc.constantFrom(...hints.states), weight: 4 }, { arbitrary: fc.stringMatching(/^[A-Z]{3}$/), weight: 1 });
  }
  const options: fc.Arbitrary<string>[] = [];
  if (schema.format === 'date-time') options.push(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
  if (schema.format === 'uuid') options.push(fc.uuid());
  if (schema.format === 'email') options.push(fc.emailAddress());
  if (schema.format === 'uri') options.push(fc.webUrl());
  if (schema.pattern && schema.format !== 'date-time' && schema.format !== 'uuid') {
    const p = patternArb(schema.pattern);
    if (p) options.push(p);
  }
  if (options.length === 0) {
    const minLength = schema.minLength ?? 0;
    options.push(fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING)), unit: 'grapheme' }));
  }
  return options.length === 1 ? options[0]! : fc.oneof(...options);
}

// ---------------------------------------------------------------------------
// Mutations of a valid value

export type Mutation =
  | { kind: 'none' }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number; depth: number };

export const nastyValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_VALUES), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant<Mutation>({ kind: 'none' }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: nastyValueArb }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'state', 'status', 'version', '', '\u0000', 'extra'),
      value: nastyValueArb,
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), depth: fc.constantFrom(2, 50, 2000) }), weight: 1 },
);

type Slot = { get(): unknown; set(v: unknown): void; remove(): void; parent: unknown };

/** Every position in a JSON value (the root included), in a stable order. */
function slots(root: { v: unknown }): Slot[] {
  const out: Slot[] = [];
  const visit = (get: () => unknown, set: (v: unknown) => void, remove: () => void, parent: unknown) => {
    out.push({ get, set, remove, parent });
    const v = get();
    if (Array.isArray(v)) {
      v.forEach((_, i) => visit(() => v[i], (x) => (v[i] = x), () => v.splice(i, 1), v));
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        visit(
          () => o[k],
          (x) => Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true }),
          () => delete o[k],
          o,
        );
      }
    }
  };
  visit(() => root.v, (x) => (root.v = x), () => (root.v = undefined), null);
  return out;
}

/** Applies a mutation to a deep copy of `value`. `__proto__` keys are set as own properties. */
export function mutate(value: unknown, m: Mutation): unknown {
  if (m.kind === 'none') return value;
  const root = { v: value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown) };
  const all = slots(root);
  const slot = all[m.at % all.length]!;
  switch (m.kind) {
    case 'replace':
      slot.set(m.value);
      break;
    case 'delete':
      slot.remove();
      break;
    case 'add': {
      const target = slot.get();
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      } else if (Array.isArray(target)) {
        target.push(m.value);
      } else {
        slot.set({ [m.key]: m.value });
      }
      break;
    }
    case 'wrap': {
      let v = slot.get();
      for (let i = 0; i < m.depth; i++) v = i % 2 ? [v] : { a: v };
      slot.set(v);
      break;
    }
  }
  return root.v;
}

/** Percent-encodes a path or query value; lone surrogates become the (invalid) UTF-8 bytes of their code unit. */
export function pctEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    let out = '';
    for (const ch of s) {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff) {
        out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
      } else {
        out += encodeURIComponent(ch);
      }
    }
    return out;
  }
}

export const base64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** Cursors: base64url of odd strings, shaped like the ones the service hands out. */
export const CRAFTED_CURSORS: string[] = [
  base64url('FRA|2020-01-01T00:00:00.000Z|------------------------------------'),
  base64url('FRA|-200000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
  base64url('-200000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
  base64url('+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
  base64url('2020-01-01T00:00:00.000Z|------------------------------------'),
  base64url('2020-01-01T00:00:00.000Z|00000000-0000-4000-8000-00000000000g'),
  base64url('1|2'),
  base64url('FRA|1|------------------------------------'),
  base64url('FRA|0|aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'),
  base64url('|||'),
  base64url('\u0000|\u0000|\u0000'),
  base64url('FRA\u0000|2020-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
  base64url(Buffer.from([0xff, 0xfe, 0x00, 0xc3])),
  base64url('{"state":"FRA"}'),
  base64url('a'.repeat(3000)),
  '',
  '!!!',
  '====',
  'a',
  '%00',
  'a'.repeat(5000),
];
