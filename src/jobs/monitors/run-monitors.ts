import type { Db } from '../../adapters/store/db.js';
import { baselineCaptureRate, captureHours, changesBetween, eventHourCounts, fieldRecords, trackingFrontier } from '../../adapters/store/queries/monitors.js';
import { labRuns } from '../../adapters/store/queries/speed.js';
import { createFormatter } from '../../bot/format.js';
import type { Locale } from '../../bot/messages/index.js';
import { translator } from '../../bot/messages/index.js';
import type { IncidentAction } from '../incident-rules.js';
import type { TeamChannels } from '../incident-lifecycle.js';
import { applyEvaluation } from '../incident-lifecycle.js';
import { evaluateCaptureDrop } from '../../analytics/monitors/capture-drop.js';
import type { Evaluation } from '../../analytics/monitors/evaluation.js';
import { mergeEvaluations } from '../../analytics/monitors/evaluation.js';
import { evaluateEventVolume } from '../../analytics/monitors/event-volume.js';
import { evaluatePageSpeed } from '../../analytics/monitors/page-speed.js';
import type { MonitorSettings } from './settings.js';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../analytics/time.js';

// Tracking data older than this at the frontier means ingestion stopped: judge nothing rather than alarm.
const MAX_TRACKING_LAG_MS = 6 * HOUR_MS;
// Hours of each week the event query returns at least: the span a drop's start is looked for in (more when the longest window is longer).
const EVENT_HOURS_BACK = 24;
// CrUX is published daily; two extra days find the record from before a regression began.
const FIELD_EXTRA_DAYS = 2;

export interface MonitorRunOptions {
  asOf: Date;
  settings: MonitorSettings;
  channels: TeamChannels;
  locale: Locale;
  /** The configured CURRENCY, for any money an incident post states. */
  currency: string;
  timeZone: string;
}

export interface MonitorRunReport {
  evaluations: Evaluation[];
  actions: { signal: string; target: string; action: IncidentAction['kind'] | 'already_evaluated' }[];
}

/** Each tracking monitor's own verdict (volume per event, purchase capture), from the last hour of data that has arrived. */
export async function trackingMonitorVerdicts(db: Db, asOf: Date, settings: MonitorSettings): Promise<Evaluation[]> {
  const frontier = await trackingFrontier(db, asOf);
  if (!frontier || asOf.getTime() - frontier.getTime() > MAX_TRACKING_LAG_MS) return [];
  const endMs = frontier.getTime();
  const rows = await eventHourCounts(db, settings.events.names, endMs, Math.max(EVENT_HOURS_BACK, settings.events.maxWindowHours), settings.events.baselineWeeks);
  const volume = settings.events.names.map((event) => {
    const counts = new Map(rows.filter((row) => row.event === event).map((row) => [row.hourMs, row.count]));
    return evaluateEventVolume({ event, counts }, endMs, settings.events);
  });
  const { capture } = settings;
  const lookbackStart = new Date(endMs - capture.lookbackHours * HOUR_MS);
  const hours = await captureHours(db, capture.event, lookbackStart, frontier);
  const rate = await baselineCaptureRate(db, capture.event, new Date(lookbackStart.getTime() - capture.baselineDays * DAY_MS), lookbackStart);
  return [...volume, evaluateCaptureDrop(hours, rate, endMs, capture)];
}

/** Tracking evaluations per event: the monitors of one event make one verdict, so one incident. */
export async function evaluateTracking(db: Db, asOf: Date, settings: MonitorSettings): Promise<Evaluation[]> {
  const evaluations = await trackingMonitorVerdicts(db, asOf, settings);
  const targets = [...new Set(evaluations.map((evaluation) => evaluation.target))];
  return targets.map((target) => mergeEvaluations(evaluations.filter((evaluation) => evaluation.target === target)));
}

/** Page speed evaluations, one per site origin. */
export async function evaluateSpeed(db: Db, asOf: Date, settings: MonitorSettings['speed']): Promise<Evaluation[]> {
  const start = new Date(asOf.getTime() - settings.lookbackDays * DAY_MS);
  const lab = await labRuns(db, { start, end: asOf });
  const field = await fieldRecords(db, new Date(start.getTime() - FIELD_EXTRA_DAYS * DAY_MS), asOf);
  const origins = [...new Set([...lab, ...field].map((run) => new URL(run.url).origin))].sort();
  return origins.map((origin) => evaluatePageSpeed(
    origin,
    lab.filter((run) => new URL(run.url).origin === origin),
    field.filter((record) => new URL(record.url).origin === origin),
    asOf.getTime(),
    settings,
  ));
}

/** One pass of every monitor at `asOf`: evaluate, then apply each verdict in its own transaction. */
export async function runMonitors(db: Db, options: MonitorRunOptions): Promise<MonitorRunReport> {
  const { asOf, settings } = options;
  const evaluations = [...await evaluateTracking(db, asOf, settings), ...await evaluateSpeed(db, asOf, settings.speed)];
  const changesStart = new Date(asOf.getTime() - (settings.speed.lookbackDays * DAY_MS + settings.causeLookbackMinutes * MINUTE_MS));
  const context = {
    asOf,
    rules: settings.rules,
    channels: options.channels,
    changes: await changesBetween(db, changesStart, asOf),
    causeLookbackMinutes: settings.causeLookbackMinutes,
    causeWindowMinutes: settings.causeWindowMinutes,
    posts: { t: translator(options.locale), fmt: createFormatter(options.locale, options.currency, options.timeZone) },
  };
  const actions: MonitorRunReport['actions'] = [];
  for (const evaluation of evaluations) {
    actions.push({ signal: evaluation.signal, target: evaluation.target, action: await applyEvaluation(db, evaluation, context) });
  }
  return { evaluations, actions };
}
