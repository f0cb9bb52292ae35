// Detection delay and false alarms per week of each monitor on the demo shop.
// Stories on: when each monitor would have opened its incident after the story began, and closed it after the fix.
// Stories off (twelve quiet weeks): incidents each monitor would have opened, per judged week.
// Each monitor is replayed on its own through the incident rules (nothing is written).
// Run: npx tsx bench/monitors.ts [customers...]   (default 400 1000)
import { migrate } from '../src/adapters/store/migrate.js';
import { openPglite } from '../src/adapters/store/pglite.js';
import { seedDemo } from '../src/adapters/store/seed/seed-demo.js';
import { demoStories } from '../src/adapters/store/seed/stories.js';
import type { IncidentView } from '../src/jobs/incident-rules.js';
import { decideIncident } from '../src/jobs/incident-rules.js';
import type { Evaluation } from '../src/analytics/monitors/evaluation.js';
import { evaluateSpeed, trackingMonitorVerdicts } from '../src/jobs/monitors/run-monitors.js';
import { DEFAULT_MONITOR_SETTINGS } from '../src/jobs/monitors/settings.js';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../src/analytics/time.js';

const END = new Date('2026-11-26T09:00:00Z');
const STORY_STEP_MS = 30 * MINUTE_MS;
const QUIET_STEP_MS = 60 * MINUTE_MS;
const QUIET_DAYS = 42;
const settings = DEFAULT_MONITOR_SETTINGS;

const monitorOf = (evaluation: Evaluation): string => `${evaluation.monitor.replace('_', ' ')} ${evaluation.target}`;

interface Replay { memory: { breachesInRow: number; okSinceMs: number | null }; incident: IncidentView | null; opens: number[]; resolves: number[] }

async function replay(customers: number, stories: boolean, fromMs: number, stepMs: number): Promise<{ replays: Map<string, Replay>; passMs: number }> {
  const db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { end: END, customers, seed: 7, weeks: 12, stories });
  const replays = new Map<string, Replay>();
  const started = performance.now();
  let passes = 0;
  for (let ms = fromMs; ms <= END.getTime(); ms += stepMs, passes += 1) {
    const asOf = new Date(ms);
    const verdicts = [...await trackingMonitorVerdicts(db, asOf, settings), ...await evaluateSpeed(db, asOf, settings.speed)];
    for (const evaluation of verdicts) {
      const key = monitorOf(evaluation);
      const state = replays.get(key) ?? { memory: { breachesInRow: 0, okSinceMs: null }, incident: null, opens: [], resolves: [] };
      const { memory, action } = decideIncident({
        memory: state.memory, level: evaluation.level, severity: evaluation.severity, ownerTeam: 'both', isFieldConfirmed: null,
        incident: state.incident, isSilenced: false, nowMs: ms, rules: settings.rules,
      });
      state.memory = memory;
      if (action.kind === 'open' || action.kind === 'reopen') {
        state.opens.push(ms);
        state.incident = { id: state.opens.length, status: 'open', severity: evaluation.severity, ownerTeam: 'both', resolvedAtMs: null, mutedUntilMs: null, isFieldConfirmed: null };
      } else if (action.kind === 'resolve' && state.incident) {
        state.resolves.push(ms);
        state.incident = { ...state.incident, status: 'resolved', resolvedAtMs: ms };
      }
      replays.set(key, state);
    }
  }
  await db.close();
  return { replays, passMs: (performance.now() - started) / passes };
}

const hours = (ms: number): string => `${(ms / HOUR_MS).toFixed(1)} h`;

async function storyRun(customers: number): Promise<void> {
  const story = demoStories(END);
  const { replays, passMs } = await replay(customers, true, END.getTime() - 14 * DAY_MS, STORY_STEP_MS);
  console.log(`\nstories on, ${customers} customers, every 30 min through 14 days (${passMs.toFixed(0)} ms a pass)`);
  const began: Record<string, { startMs: number; fixMs: number }> = {
    'capture drop purchase': { startMs: story.trackingOutage.startsAt.getTime(), fixMs: story.trackingOutage.endsAt.getTime() },
    'event volume purchase': { startMs: story.trackingOutage.startsAt.getTime(), fixMs: story.trackingOutage.endsAt.getTime() },
    'page speed https://shop.example': { startMs: story.lcpRegression.publishAt.getTime(), fixMs: story.lcpRegression.removalAt.getTime() },
  };
  for (const [monitor, { opens, resolves }] of [...replays].sort(([a], [b]) => a.localeCompare(b))) {
    const expected = began[monitor];
    if (!expected) {
      console.log(`  ${monitor.padEnd(34)} no story; ${opens.length} incident(s) opened`);
      continue;
    }
    const open = opens.find((ms) => ms >= expected.startMs);
    const resolve = resolves.find((ms) => ms >= expected.fixMs);
    const detail = open === undefined ? 'not detected' : `detected after ${hours(open - expected.startMs)}, resolved ${resolve === undefined ? 'never' : `${hours(resolve - expected.fixMs)} after the fix`}`;
    console.log(`  ${monitor.padEnd(34)} ${detail}; ${opens.length} incident(s) opened`);
  }
}

async function quietRun(customers: number): Promise<void> {
  const { replays, passMs } = await replay(customers, false, END.getTime() - QUIET_DAYS * DAY_MS, QUIET_STEP_MS);
  console.log(`\nstories off, ${customers} customers, every hour through the last ${QUIET_DAYS / 7} of 12 weeks (${passMs.toFixed(0)} ms a pass)`);
  for (const [monitor, { opens }] of [...replays].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${monitor.padEnd(34)} ${(opens.length / (QUIET_DAYS / 7)).toFixed(2)} false alarms a week (${opens.length} in all)`);
  }
}

const customerCounts = process.argv.slice(2).map(Number).filter((count) => count > 0);
for (const customers of customerCounts.length > 0 ? customerCounts : [400, 1000]) {
  await storyRun(customers);
  await quietRun(customers);
}
