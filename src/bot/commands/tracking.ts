import type { HourBaseline } from '../../analytics/baseline.js';
import { robustBaselines } from '../../analytics/baseline.js';
import { captureRate } from '../../analytics/capture-rate.js';
import type { CaptureReport } from '../../analytics/capture-rate.js';
import type { DropWindow } from '../../analytics/drop-windows.js';
import { DEFAULT_DROP_RULE, findDropWindows, isLowHour } from '../../analytics/drop-windows.js';
import type { RankedCause } from '../../analytics/likely-cause.js';
import { rankLikelyCauses } from '../../analytics/likely-cause.js';
import { lineChart } from '../charts.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { ChangeRecord, HourlyEventCount, TimeRange } from '../data-port.js';
import type { Period } from '../period.js';
import { lastInstantOf, periodText } from '../period-text.js';
import type { Block, Cell, Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';
import { changeKindText } from '../change-kind-text.js';
import { MINUTE_MS, HOUR_MS } from '../../analytics/time.js';

const DEFAULT_HOURS = 7 * 24;
/** The seasonal baseline compares each hour with the same hour of the previous weeks. */
const BASELINE_WEEKS = 6;
/**
 * Tracking reads hours, not days: a year is 8,784 points per event, with six weeks of baseline before
 * it. Longer periods are refused with the cap named (MAX_PERIOD_DAYS is ten years, 88,000 hours).
 */
export const TRACKING_MAX_DAYS = 366;
const CAUSE_LOOKBACK_MINUTES = 24 * 60;
/** Hourly counts cannot tell minutes apart: a change within the hour before a drop came "right before" it. */
const RIGHT_AFTER_MINUTES = 60;
const PREFERRED_CHART_EVENT = 'purchase';

interface TrackingArgs {
  period: Period;
  event?: string;
}

export const tracking = defineCommand<TrackingArgs>({
  name: 'tracking',
  heavy: true,
  aliases: ['tracciamento'],
  keywords: ['events', 'eventi', 'capture', 'ga4', 'analytics'],
  summary: 'tracking.summary',
  takesAsOf: true,
  examples: ['tracking', 'tracking purchase', 'tracking last 14d', 'tracking add_to_cart 2026-11-01..2026-11-07'],
  parse(words, { now, timeZone, t }) {
    const period = words.takePeriod(now, timeZone, t, TRACKING_MAX_DAYS);
    if (!period.ok) return period;
    // An event name is any remaining word; the run checks it against the events the data has.
    const event = words.takeMatch(/^[a-z][a-z0-9_]*$/);
    const hourNow = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    const current = period.value?.current ?? { start: new Date(hourNow - DEFAULT_HOURS * HOUR_MS), end: new Date(hourNow), label: 'last 7d' };
    return ok({ period: current, ...(event ? { event } : {}) });
  },
  async run({ period, event }, context) {
    const { data, t, fmt } = context;
    const known = await data.eventNames(context.now);
    if (event !== undefined && !known.includes(event)) {
      return fail({ kind: 'bad_input', message: t('parse.badChoice', { what: t('tracking.unknownEvent'), value: event, choices: known.join(', ') || '—' }) });
    }
    const events = event ? [event] : known;
    const history: TimeRange = { start: new Date(period.start.getTime() - BASELINE_WEEKS * 7 * 24 * HOUR_MS), end: period.end };
    const [hourly, backend, reported, changes] = await Promise.all([
      data.hourlyEvents(events, history),
      data.backendOrdersByDay(period, context.timeZone),
      data.reportedConversionsByDay(period, context.timeZone),
      data.changesBetween({ start: new Date(period.start.getTime() - CAUSE_LOOKBACK_MINUTES * MINUTE_MS), end: period.end }, ['deploy', 'tag_manager', 'campaign', 'config']),
    ]);
    const inPeriod = hourly.filter((point) => point.hourMs >= period.start.getTime());
    if (inPeriod.length === 0) {
      return fail({ kind: 'no_data', message: t('tracking.noEvents', { start: fmt.date(period.start), end: fmt.date(lastInstantOf(period)) }) });
    }
    const health = events.map((name) => eventHealth(name, hourly, period));
    const capture = captureRate(reported, backend);
    return ok(trackingReply(period, health, capture, changes, context));
  },
});

interface EventHealth {
  event: string;
  baselines: HourBaseline[];
  count: number;
  expected: number;
  lowHours: number;
  drops: DropWindow[];
}

function eventHealth(event: string, hourly: readonly HourlyEventCount[], period: Period): EventHealth {
  const points = hourly.filter((point) => point.eventName === event).map((point) => ({ hour: point.hourMs, count: point.count }));
  const hours: number[] = [];
  for (let hour = period.start.getTime(); hour < period.end.getTime(); hour += HOUR_MS) hours.push(hour);
  // Hours before the period's end are complete: a missing hour there had no events at all.
  const baselines = robustBaselines(points, hours, { weeks: BASELINE_WEEKS, completeUntil: period.end.getTime() });
  return {
    event,
    baselines,
    count: baselines.reduce((sum, hour) => sum + (hour.value ?? 0), 0),
    expected: baselines.reduce((sum, hour) => sum + (hour.median ?? 0), 0),
    lowHours: baselines.filter((hour) => isLowHour(hour, DEFAULT_DROP_RULE)).length,
    drops: findDropWindows(baselines, DEFAULT_DROP_RULE),
  };
}

interface Drop {
  event: string;
  window: DropWindow;
  cause: RankedCause<ChangeRecord & { atMs: number }> | undefined;
}

function trackingReply(period: Period, health: EventHealth[], capture: CaptureReport, changes: ChangeRecord[], context: CommandContext): Reply {
  const { t, fmt } = context;
  const candidates = changes.map((change) => ({ ...change, atMs: change.at.getTime() }));
  const drops: Drop[] = health.flatMap((item) => item.drops.map((window) => ({
    event: item.event,
    window,
    cause: rankLikelyCauses(candidates, window.startMs, CAUSE_LOOKBACK_MINUTES, HOUR_MS / MINUTE_MS)[0],
  })));
  const worst = [...drops].sort((a, b) => (b.window.expected - b.window.observed) - (a.window.expected - a.window.observed))[0];
  const blocks: Block[] = [eventsTable(health, context)];
  if (drops.length > 0) blocks.push(dropsTable(drops, context));
  blocks.push(captureTable(capture, context));
  const chartEvent = worst?.event ?? health.find((item) => item.event === PREFERRED_CHART_EVENT)?.event ?? health[0]?.event;
  const charted = health.find((item) => item.event === chartEvent);
  // Only the likely causes are marked: a marker per deploy would bury the one that matters.
  const causes = drops.flatMap((drop) => (drop.cause && drop.event === chartEvent ? [drop.cause.change] : []));
  if (charted) blocks.push(eventChart(charted, causes, context));

  const dropSentence = worst
    ? t('tracking.dropInsight', {
      event: worst.event,
      share: fmt.percent(worst.window.dropShare, 0),
      hours: worst.window.hours,
      start: fmt.dateTime(new Date(worst.window.startMs)),
      cause: worst.cause ? causeText(worst.cause, context) : '',
    })
    : t('tracking.healthy');
  const { overall } = capture;
  const captureSentence = overall.captureRate === null
    ? t('tracking.noCapture')
    : t('tracking.captureInsight', { rate: fmt.percent(overall.captureRate), missed: fmt.integer(overall.unrecorded), backend: fmt.integer(overall.backend) });
  return reply({ title: t('tracking.title', { period: periodText(period, fmt) }), summary: dropSentence + captureSentence, blocks });
}

function causeText(cause: RankedCause<ChangeRecord & { atMs: number }>, { t, fmt }: CommandContext): string {
  if (cause.leadMinutes < RIGHT_AFTER_MINUTES) {
    return t('tracking.causeRightAfter', { kind: changeKindText(cause.change.kind, t), ref: cause.change.ref, at: fmt.dateTime(cause.change.at) });
  }
  return t('tracking.causeAfter', {
    minutes: fmt.duration(cause.leadMinutes),
    kind: changeKindText(cause.change.kind, t),
    ref: cause.change.ref,
    summary: cause.change.summary ? ` (${cause.change.summary})` : '',
  });
}

function eventsTable(health: EventHealth[], { t, fmt }: CommandContext): Block {
  return {
    type: 'table',
    columns: [
      { key: 'event', label: t('tracking.event'), kind: 'text' },
      { key: 'count', label: t('tracking.count'), kind: 'number' },
      { key: 'expected', label: t('tracking.expected'), kind: 'number' },
      { key: 'change', label: t('tracking.vsUsual'), kind: 'percent' },
      { key: 'low', label: t('tracking.lowHours'), kind: 'number' },
    ],
    rows: health.map((item) => {
      const change = item.expected > 0 ? (item.count - item.expected) / item.expected : null;
      return [
        { text: item.event, raw: item.event },
        { text: fmt.integer(item.count), raw: item.count },
        { text: fmt.integer(item.expected), raw: item.expected },
        { text: fmt.delta(change), raw: change },
        { text: fmt.integer(item.lowHours), raw: item.lowHours },
      ];
    }),
  };
}

function dropsTable(drops: Drop[], context: CommandContext): Block {
  const { t, fmt } = context;
  return {
    type: 'table',
    caption: t('tracking.dropsCaption'),
    columns: [
      { key: 'event', label: t('tracking.event'), kind: 'text' },
      { key: 'start', label: t('tracking.dropStart'), kind: 'date' },
      { key: 'hours', label: t('tracking.duration'), kind: 'number' },
      { key: 'observed', label: t('tracking.observed'), kind: 'number' },
      { key: 'expected', label: t('tracking.expected'), kind: 'number' },
      { key: 'cause', label: t('tracking.likelyCause'), kind: 'text' },
    ],
    rows: drops.map((drop): Cell[] => [
      { text: drop.event, raw: drop.event },
      { text: fmt.dateTime(new Date(drop.window.startMs)), raw: new Date(drop.window.startMs).toISOString() },
      { text: fmt.integer(drop.window.hours), raw: drop.window.hours },
      { text: fmt.integer(drop.window.observed), raw: drop.window.observed },
      { text: fmt.integer(drop.window.expected), raw: drop.window.expected },
      drop.cause
        ? { text: `${changeKindText(drop.cause.change.kind, t)} ${drop.cause.change.ref} (${fmt.dateTime(drop.cause.change.at)})`, raw: drop.cause.change.ref }
        : { text: t('tracking.noCause'), raw: null },
    ]),
  };
}

function captureTable(capture: CaptureReport, { t, fmt }: CommandContext): Block {
  const row = (label: string, item: CaptureReport['overall']): Cell[] => [
    { text: label, raw: label },
    { text: fmt.integer(item.backend), raw: item.backend },
    { text: fmt.integer(item.reported), raw: item.reported },
    { text: item.captureRate === null ? fmt.delta(null) : fmt.percent(item.captureRate), raw: item.captureRate },
    { text: fmt.integer(item.unrecorded), raw: item.unrecorded },
  ];
  return {
    type: 'table',
    caption: t('tracking.captureCaption'),
    columns: [
      { key: 'channel', label: t('tracking.channel'), kind: 'text' },
      { key: 'backend', label: t('tracking.backend'), kind: 'number' },
      { key: 'reported', label: t('tracking.reported'), kind: 'number' },
      { key: 'rate', label: t('tracking.captureRate'), kind: 'percent' },
      { key: 'missing', label: t('tracking.missing'), kind: 'number' },
    ],
    rows: [...capture.byChannel.map((item) => row(item.channel, item)), row(t('tracking.total'), capture.overall)],
  };
}

function eventChart(item: EventHealth, changes: ChangeRecord[], { t, fmt }: CommandContext) {
  const labels = item.baselines.map((hour) => fmt.hourLabel(new Date(hour.hourMs)));
  const labelOfHour = new Map(item.baselines.map((hour, index) => [hour.hourMs, labels[index]!]));
  return lineChart({
    t,
    title: t('tracking.chartTitle', { event: item.event }),
    labels,
    series: [{ label: item.event, values: item.baselines.map((hour) => hour.value) }],
    band: {
      lowerLabel: t('tracking.bandLow'),
      upperLabel: t('tracking.bandHigh'),
      lower: item.baselines.map((hour) => hour.band?.lower ?? 0),
      upper: item.baselines.map((hour) => hour.band?.upper ?? 0),
    },
    markers: changes.flatMap((change) => {
      const at = labelOfHour.get(Math.floor(change.at.getTime() / HOUR_MS) * HOUR_MS);
      return at ? [{ at, label: `${changeKindText(change.kind, t)} ${change.ref}` }] : [];
    }),
  });
}
