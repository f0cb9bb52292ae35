import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

/**
 * The official Adaptive Card 1.5 schema (vendored, see test/fixtures/SOURCES.md). It names itself with
 * draft-04 style `id`, which Ajv 8 refuses, so the key is renamed in memory; the file stays verbatim.
 * URI formats are checked only for "no whitespace" (data URIs included); Ajv ships no URI format itself.
 */
const { id, ...schema } = JSON.parse(readFileSync(new URL('../../../fixtures/adaptive-card-1.5.json', import.meta.url), 'utf8')) as { id: string } & Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true, formats: { uri: /^\S+$/, 'uri-reference': /^\S*$/ } });
ajv.addMetaSchema(draft06);
const validate = ajv.compile({ $id: id, ...schema });

/** Every schema violation in the card, as "path: message" lines; empty when the card is valid. */
export function cardSchemaErrors(card: unknown): string[] {
  if (validate(card)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`);
}
