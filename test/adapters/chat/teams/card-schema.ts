import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { z } from 'zod';

/**
 * The official Adaptive Card 1.5 schema (vendored, see test/fixtures/SOURCES.md). It names itself with
 * draft-04 style `id`, which Ajv 8 refuses, so the key is renamed in memory; the file stays verbatim.
 * URI formats are checked only for "no whitespace" (data URIs included); Ajv ships no URI format itself.
 */
const { id, ...schema } = JSON.parse(readFileSync(new URL('../../../fixtures/adaptive-card-1.5.json', import.meta.url), 'utf8')) as { id: string } & Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true, formats: { uri: /^\S+$/, 'uri-reference': /^\S*$/ } });
ajv.addMetaSchema(draft06);
const validate = ajv.compile({ $id: id, ...schema });

/**
 * Teams' host property `msteams` (full width, mention entities), which the official schema does not
 * know: checked on its own, and each mention's `<at>name</at>` must appear in the card's text.
 */
const MsteamsProperty = z.object({
  width: z.literal('Full').optional(),
  entities: z.array(z.object({ type: z.literal('mention'), text: z.string().regex(/^<at>[^<]+<\/at>$/), mentioned: z.object({ id: z.string().min(1), name: z.string().min(1) }).strict() }).strict()).optional(),
}).strict();

/** Every schema violation in the card, as "path: message" lines; empty when the card is valid. */
export function cardSchemaErrors(card: unknown): string[] {
  const { msteams, ...official } = typeof card === 'object' && card !== null ? card as Record<string, unknown> : { msteams: undefined };
  const errors = validate(official) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`);
  if (msteams === undefined) return errors;
  const parsed = MsteamsProperty.safeParse(msteams);
  if (!parsed.success) return [...errors, ...parsed.error.issues.map((issue) => `/msteams/${issue.path.join('/')}: ${issue.message}`)];
  const json = JSON.stringify(official.body);
  const unmentioned = (parsed.data.entities ?? []).filter((entity) => !json.includes(JSON.stringify(entity.text).slice(1, -1)));
  return [...errors, ...unmentioned.map((entity) => `/msteams/entities: ${entity.text} does not appear in the card's text`)];
}
