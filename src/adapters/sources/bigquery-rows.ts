import { z } from 'zod';

/**
 * BigQuery's REST answers carry rows as cells (`{ f: [{ v }] }`, records nested the same way,
 * repeated fields as arrays of `{ v }`) beside the schema that names them
 * (cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list). These turn them back into
 * objects shaped as an export to JSON files writes them: INT64 as strings, FLOAT64 as numbers.
 */

export interface BigQueryField {
  name: string;
  type: string;
  mode?: string | undefined;
  fields?: BigQueryField[] | undefined;
}

export const BigQueryField: z.ZodType<BigQueryField> = z.lazy(() => z.object({
  name: z.string(),
  type: z.string(),
  mode: z.string().optional(),
  fields: z.array(BigQueryField).optional(),
}));

export const BigQuerySchema = z.object({ fields: z.array(BigQueryField) });

interface Cell { v?: unknown }
const FLOAT_TYPES = new Set(['FLOAT', 'FLOAT64']);
const RECORD_TYPES = new Set(['RECORD', 'STRUCT']);

export function decodeRow(fields: readonly BigQueryField[], row: unknown): Record<string, unknown> {
  const cells = (row as { f?: Cell[] } | null)?.f ?? [];
  return Object.fromEntries(fields.map((field, index) => [field.name, decodeField(field, cells[index]?.v ?? null)]));
}

function decodeField(field: BigQueryField, value: unknown): unknown {
  if (field.mode === 'REPEATED') return Array.isArray(value) ? value.map((item: Cell) => decodeValue(field, item?.v ?? null)) : [];
  return decodeValue(field, value);
}

function decodeValue(field: BigQueryField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (RECORD_TYPES.has(field.type)) return decodeRow(field.fields ?? [], value);
  if (FLOAT_TYPES.has(field.type)) return Number(value);
  if (field.type === 'BOOLEAN' || field.type === 'BOOL') return value === 'true';
  return value;
}
