import { parseArgs } from 'node:util';
import { z } from 'zod';

export const SECTIONS = ['rebuild', 'commands', 'customers', 'attribution', 'duckdb', 'pathdata', 'slack', 'first-start', 'monitors'] as const;
export type Section = (typeof SECTIONS)[number];

const DEFAULT_CUSTOMERS = { pg: 100_000, pglite: 20_000 } as const;

const BenchArgs = z.object({
  customers: z.coerce.number().int().min(100).optional(),
  'mean-orders': z.coerce.number().min(1).max(10).optional(),
  generator: z.enum(['bulk', 'demo']).default('bulk'),
  reuse: z.boolean().default(false),
  only: z.string().optional().transform((value, ctx) => {
    if (value === undefined) return [...SECTIONS];
    const picked = value.split(',').map((name) => name.trim());
    const unknown = picked.filter((name) => !(SECTIONS as readonly string[]).includes(name));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown section ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}` });
    return picked as Section[];
  }),
});

export interface BenchOptions {
  customers: number;
  meanOrders: number | undefined;
  /** bulk: N customers, about 10 N orders and 20 N touchpoints generated in SQL; demo: the demo seeder. */
  generator: 'bulk' | 'demo';
  reuse: boolean;
  sections: readonly Section[];
}

/** `--customers N [--generator bulk|demo] [--mean-orders M] --reuse --only a,b`; the default size depends on the database. */
export function parseBenchOptions(argv: readonly string[], isServer: boolean): { ok: true; options: BenchOptions } | { ok: false; error: string } {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: {
      customers: { type: 'string' }, 'mean-orders': { type: 'string' }, generator: { type: 'string' }, reuse: { type: 'boolean' }, only: { type: 'string' },
    } }));
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const parsed = BenchArgs.safeParse(values);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ') };
  if (parsed.data['mean-orders'] !== undefined && parsed.data.generator !== 'demo') {
    return { ok: false, error: '--mean-orders tunes the demo seeder: add --generator demo (the bulk generator makes about 10 orders per customer)' };
  }
  return { ok: true, options: {
    customers: parsed.data.customers ?? DEFAULT_CUSTOMERS[isServer ? 'pg' : 'pglite'],
    meanOrders: parsed.data['mean-orders'],
    generator: parsed.data.generator,
    reuse: parsed.data.reuse,
    sections: parsed.data.only,
  } };
}
