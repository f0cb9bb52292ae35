import { parseArgs } from 'node:util';
import { z } from 'zod';
import { seedDemo } from '../adapters/store/seed/seed-demo.js';
import { DEMO_CUSTOMERS, DEMO_SEED, demoEnd } from '../first-start.js';
import type { AdminCommand } from './admin-command.js';

const SeedArgs = z.object({
  customers: z.coerce.number().int().min(1).max(5_000_000).default(DEMO_CUSTOMERS),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(DEMO_SEED),
  'mean-orders': z.coerce.number().min(1).max(50).optional(),
  end: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  replace: z.boolean().default(false),
  'no-stories': z.boolean().default(false),
});

export const demoSeed: AdminCommand = {
  words: ['demo', 'seed'],
  usage: 'mkt demo seed [--customers N] [--seed S] [--mean-orders M] [--end ISO] [--replace] [--no-stories]',
  description: 'load the deterministic demo shop (refuses a database with orders unless --replace)',
  async run(args, app, io) {
    let values;
    try {
      values = parseArgs({
        args: [...args],
        options: { customers: { type: 'string' }, seed: { type: 'string' }, 'mean-orders': { type: 'string' }, end: { type: 'string' }, replace: { type: 'boolean' }, 'no-stories': { type: 'boolean' } },
        strict: true,
      }).values;
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${demoSeed.usage}`);
      return 2;
    }
    const parsed = SeedArgs.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) io.err(`--${issue.path.join('.')}: ${issue.message}`);
      return 2;
    }
    const options = parsed.data;
    const end = options.end ? new Date(options.end) : demoEnd(new Date());
    const startedAt = process.hrtime.bigint();
    let lastLine = '';
    const outcome = await seedDemo(app.db, {
      end,
      customers: options.customers,
      seed: options.seed,
      stories: !options['no-stories'],
      replace: options.replace,
      currency: app.config.CURRENCY,
      ...(options['mean-orders'] ? { meanOrders: options['mean-orders'] } : {}),
      onProgress: ({ stage, done, total }) => {
        const line = `seeding ${stage} ${total > 0 ? Math.floor((100 * done) / total) : 100}%`;
        if (line !== lastLine) io.progress(line);
        lastLine = line;
      },
    });
    io.progress('');
    if (!outcome.seeded) {
      io.err(`The database already holds ${outcome.existingOrders.toLocaleString('en')} orders; nothing was changed. Run again with --replace to empty the data tables and seed anew.`);
      return 1;
    }
    // Fresh planner statistics: without them the first joins over the new rows can take minutes.
    await app.db.exec('ANALYZE');
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const rows = Object.entries(outcome.rows).map(([table, count]) => `${table} ${count.toLocaleString('en')}`).join(', ');
    io.out(`Seeded in ${seconds.toFixed(1)} s (peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB): ${rows}.`);
    return 0;
  },
};
