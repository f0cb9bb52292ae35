import { migrate } from '../adapters/store/migrate.js';
import type { AdminCommand } from './admin-command.js';

export const dbMigrate: AdminCommand = {
  words: ['db', 'migrate'],
  usage: 'mkt db migrate',
  description: 'apply the database migrations not applied yet (start-up does this too)',
  async run(_args, app, io) {
    const applied = await migrate(app.db);
    io.out(applied.length === 0 ? 'The database is up to date.' : `Applied migrations ${applied.join(', ')}.`);
    return 0;
  },
};
