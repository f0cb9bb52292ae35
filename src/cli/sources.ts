import { checkSources } from '../adapters/sources/check.js';
import type { AdminCommand } from './admin-command.js';
import { coverageLines } from './jobs.js';

export const sourcesCheck: AdminCommand = {
  words: ['sources', 'check'],
  usage: 'mkt sources check',
  description: "try each configured source's credentials and reachability, one line each",
  async run(_args, app, io) {
    const checks = await checkSources(app.config);
    for (const check of checks) io.out(`${check.source.padEnd(12)} ${check.status.padEnd(14)} ${check.detail}`);
    // A source can be reachable and still too thin for the monitors: say which signals they cannot watch.
    io.out(`\nMonitors now:\n${await coverageLines(app)}`);
    return checks.some((check) => check.status === 'failing') ? 1 : 0;
  },
};
