import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MONITOR_EVERY_MINUTES, monitorPass } from '../jobs/monitors/monitor-job.js';
import type { ReplayEntry, ReplayReport } from '../jobs/monitors/replay.js';
import { replayMonitors, replayStepCount } from '../jobs/monitors/replay.js';
import { HOUR_MS, MINUTE_MS } from '../analytics/time.js';
import type { AdminCommand } from './admin-command.js';
import { columns } from './columns.js';

const USAGE = 'mkt monitors replay --from <time> --to <time> [--every 15m] [--dry-run]';
// A year of quarter hours is 35,040 steps; more than this is almost certainly a typo in a date.
const MAX_STEPS = 40_000;
const TIME_HINT = 'an ISO time like 2026-11-20T09:00:00Z, a date like 2026-11-20 (midnight UTC) or now';

const Instant = (flag: string, now: Date) => z.string({ error: `${flag}: required, ${TIME_HINT}` })
  .transform((text, ctx) => {
    if (text === 'now') return now;
    const parsed = z.iso.datetime({ offset: true }).or(z.iso.date()).safeParse(text);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `${flag}: expected ${TIME_HINT}, got "${text}"` });
      return z.NEVER;
    }
    return new Date(parsed.data.length === 10 ? `${parsed.data}T00:00:00Z` : parsed.data);
  });

const Every = z.string().default(`${MONITOR_EVERY_MINUTES}m`).transform((text, ctx) => {
  const match = /^(\d+)(m|h)$/.exec(text);
  const ms = match ? Number(match[1]) * (match[2] === 'h' ? HOUR_MS : MINUTE_MS) : Number.NaN;
  if (!(ms >= MINUTE_MS && ms <= 24 * HOUR_MS)) {
    ctx.addIssue({ code: 'custom', message: `--every: expected minutes or hours from 1m to 24h, like 15m or 1h, got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

function replayArgs(now: Date) {
  return z.object({ from: Instant('--from', now), to: Instant('--to', now), every: Every, 'dry-run': z.boolean().default(false) })
    .superRefine((args, ctx) => {
      if (args.to.getTime() <= args.from.getTime()) ctx.addIssue({ code: 'custom', message: '--to must be later than --from' });
      else if (args.to.getTime() > now.getTime()) ctx.addIssue({ code: 'custom', message: `--to is in the future (now is ${now.toISOString()}): a replay judges only what is stored; use --to now` });
      else if (replayStepCount(args.from, args.to, args.every) > MAX_STEPS) ctx.addIssue({ code: 'custom', message: `--from to --to is more than ${MAX_STEPS.toLocaleString('en')} steps of --every; shorten the period or step less often` });
      else if (replayStepCount(args.from, args.to, args.every) === 0) ctx.addIssue({ code: 'custom', message: '--from to --to holds no step of --every; widen the period' });
    });
}

export const monitorsReplay: AdminCommand = {
  words: ['monitors', 'replay'],
  usage: USAGE,
  description: 'run the monitors over stored history as the scheduler would (--dry-run: show the timeline, change nothing)',
  async run(args, app, io) {
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({ args: [...args], options: { from: { type: 'string' }, to: { type: 'string' }, every: { type: 'string' }, 'dry-run': { type: 'boolean' } }, strict: true }));
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USAGE}`);
      return 2;
    }
    const parsed = replayArgs(new Date()).safeParse(values);
    if (!parsed.success) {
      io.err(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\nUsage: ${USAGE}`);
      return 2;
    }
    const { from, to, every, 'dry-run': dryRun } = parsed.data;
    let shownPercent = -1;
    const result = await replayMonitors(app.db, (db, asOf) => monitorPass(db, app.config, asOf), {
      from, to, everyMs: every, dryRun,
      onStep(done, total) {
        const percent = Math.floor((100 * done) / total);
        if (percent % 5 !== 0 || percent === shownPercent) return;
        shownPercent = percent;
        io.progress(`replaying ${percent}% (${done} of ${total} steps)`);
      },
    });
    if (!result.ok) {
      io.err(`The monitors have already judged up to ${result.lastEvaluatedAt.toISOString()}: a replay that stores its incidents starts after that (--from ${result.lastEvaluatedAt.toISOString()} or later).\n`
        + 'Add --dry-run to replay any period from a fresh start without changing anything.');
      return 1;
    }
    io.out(replayText(result.report, every));
    return 0;
  },
};

/** The timeline, one line per incident change, and what the replay did in all. */
export function replayText(report: ReplayReport, everyMs: number): string {
  const lines: string[] = [];
  if (report.startedAfresh) lines.push(`The monitors had already judged a later moment, so this dry run started them afresh at ${report.firstAt?.toISOString() ?? ''} (no memory, no incidents).`);
  lines.push(report.timeline.length === 0 ? 'No incident opened or changed.' : columns([['at', 'change', 'signal', 'target', 'incident'], ...report.timeline.map(entryRow)]));
  const count = (action: ReplayEntry['action']) => report.timeline.filter((entry) => entry.action === action).length;
  const span = report.firstAt && report.lastAt ? ` from ${report.firstAt.toISOString()} to ${report.lastAt.toISOString()}` : '';
  lines.push('', `${report.dryRun ? 'Dry run: ' : ''}${report.steps} steps every ${everyMs / MINUTE_MS} min${span}: `
    + `${count('open')} opened, ${count('reopen')} re-opened, ${count('handover')} handed over, ${count('update')} updated, ${count('resolve')} resolved; `
    + `${report.postsQueued} posts ${report.dryRun ? 'would have been queued' : 'queued'}.`);
  if (report.stopped) lines.push('Stopped before --to.');
  lines.push(report.dryRun ? 'Nothing was changed.' : report.postsQueued > 0 ? 'The running bot (npm start) delivers the queued posts within seconds, or on its next start.' : '');
  return lines.join('\n').trimEnd();
}

function entryRow(entry: ReplayEntry): string[] {
  const details = [
    entry.incidentId === null ? '' : `#${entry.incidentId}`,
    entry.action === 'resolve' ? '' : entry.severity ?? '',
    entry.action === 'resolve' || entry.ownerTeam === null ? '' : `owner ${entry.ownerTeam}`,
    entry.action === 'resolve' ? '' : entry.cause === null ? 'no change explains it' : `likely cause ${entry.cause}`,
  ].filter((part) => part !== '');
  return [entry.at.toISOString().replace(':00.000Z', 'Z'), entry.action, entry.signal, entry.target, details.join(', ')];
}
