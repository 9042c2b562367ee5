/**
 * Writes the typed client's TypeScript types from openapi.yaml:
 * `npm run client:types` (and `npm run openapi`, which regenerates both).
 * A test (tests/unit/client-types.test.ts) checks the committed file is current.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import YAML from 'yaml';
import { runCommand } from './args.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const OPENAPI_FILE = path.join(ROOT, 'openapi.yaml');
export const SCHEMA_FILE = path.join(ROOT, 'src/client/schema.ts');

const HEADER = '// Generated from openapi.yaml by `npm run client:types` (openapi-typescript); do not edit.\n// A test checks it matches a fresh generation.\n\n';

/** The TypeScript types (paths, components, operations) of an OpenAPI document given as YAML text. */
export async function generateClientTypes(yamlText: string): Promise<string> {
  const doc = YAML.parse(yamlText) as Parameters<typeof openapiTS>[0];
  const ast = await openapiTS(doc, { silent: true, alphabetize: false });
  return HEADER + astToString(ast);
}

const USAGE = `usage: npm run client:types [-- --in FILE --out FILE]

Generates the typed client's types (src/client/schema.ts) from openapi.yaml with
openapi-typescript. \`npm run openapi\` runs it after writing openapi.yaml.

  --in FILE       the OpenAPI document (default: openapi.yaml at the repository root)
  --out FILE      where to write (default: src/client/schema.ts)
  -h, --help      this text`;

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCommand('client-types', USAGE, { options: { in: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, async ({ values }) => {
    const input = values.in ? path.resolve(values.in) : OPENAPI_FILE;
    const out = values.out ? path.resolve(values.out) : SCHEMA_FILE;
    writeFileSync(out, await generateClientTypes(readFileSync(input, 'utf8')));
    process.stdout.write(`wrote ${out}\n`);
  });
}
