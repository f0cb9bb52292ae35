import type { LabRegression, LabRegressionRule } from '../../analytics/lab-regression.js';
import { labRegression, stepWindows } from '../../analytics/lab-regression.js';
import { rankLikelyCauses } from '../../analytics/likely-cause.js';
import { median } from '../../analytics/median.js';
import type { LabRun } from '../../analytics/monitors/page-speed.js';
import { labPoints } from '../../analytics/monitors/page-speed.js';
import type { VitalName, VitalStatus } from '../../analytics/web-vitals.js';
import { vitalStatus } from '../../analytics/web-vitals.js';
import { lineChart } from '../charts.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { ChangeRecord, FieldDay, LabDay } from '../data-port.js';
import type { Translate } from '../messages/index.js';
import type { PeriodPair } from '../period.js';
import { lastDays } from '../period.js';
import { lastInstantOf, periodText } from '../period-text.js';
import type { Block, Cell, Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';
import { addDays, calendarDay, isoDay } from '../time-zone.js';
import { changeKindText } from '../change-kind-text.js';
import { MINUTE_MS } from '../../analytics/time.js';

const DEFAULT_DAYS = 28;
/** Changes up to a day before a regression began are candidates for its cause, as for the monitor's incidents. */
const CAUSE_LOOKBACK_MINUTES = 24 * 60;
const CHANGE_KINDS = ['deploy', 'tag_manager', 'campaign', 'config'] as const;

type FormFactor = 'mobile' | 'desktop';

interface SpeedArgs {
  period: PeriodPair;
  formFactor: FormFactor;
  page?: string;
}

export const speed = defineCommand<SpeedArgs>({
  name: 'speed',
  heavy: true,
  aliases: ['velocità', 'velocita', 'pagespeed', 'vitals'],
  keywords: ['lcp', 'inp', 'cls', 'lighthouse', 'cwv'],
  summary: 'speed.summary',
  takesAsOf: true,
  examples: ['speed', 'speed /product/widget', 'speed desktop last 14d', 'speed https://shop.example/checkout'],
  parse(words, { now, timeZone, t }) {
    const period = words.takePeriod(now, timeZone, t);
    if (!period.ok) return period;
    const formFactor = words.takeWord(['mobile', 'desktop', 'phone', 'telefono']);
    const page = words.takeMatch(/^(https?:\/\/\S+|\/\S*)$/);
    return ok({
      period: period.value ?? lastDays(now, timeZone, DEFAULT_DAYS),
      formFactor: formFactor === 'desktop' ? 'desktop' : 'mobile',
      ...(page ? { page } : {}),
    });
  },
  async run({ period, formFactor, page }, context) {
    const { data, t, fmt, timeZone } = context;
    const urls = await data.measuredUrls(context.now);
    const url = page === undefined ? undefined : urls.find((candidate) => candidate === page || new URL(candidate).pathname === page);
    if (page !== undefined && url === undefined) {
      return fail({ kind: 'bad_input', message: t('parse.badChoice', { what: t('speed.unknownUrl'), value: page, choices: urls.map(pathOf).join(', ') || '—' }) });
    }
    const range = period.current;
    const [lab, runs, field, changes] = await Promise.all([
      data.labDays(range, formFactor, timeZone),
      data.labRuns(range, formFactor),
      data.fieldDays(range, formFactor, timeZone),
      data.changesBetween({ start: new Date(range.start.getTime() - CAUSE_LOOKBACK_MINUTES * MINUTE_MS), end: range.end }, CHANGE_KINDS),
    ]);
    const days = daysOf(range.start, lastInstantOf(range), timeZone);
    const pages = (url ? [url] : [...new Set([...lab.map((row) => row.url), ...field.map((row) => row.url)])].sort())
      .map((pageUrl) => pageSpeed(pageUrl, days, { lab, runs, field }, context.settings.labRules.lcp));
    if (pages.every((item) => item.labLcp.every((value) => value === null) && item.latestField === undefined)) {
      return fail({ kind: 'no_data', message: t('speed.noRuns', { start: fmt.date(range.start), end: fmt.date(lastInstantOf(range)) }) });
    }
    return ok(speedReply(period, formFactor, days, pages, changes, context));
  },
});

interface PageSpeed {
  url: string;
  /** Daily medians and p75s for the chart; the latest day's for the table. */
  labLcp: (number | null)[];
  fieldLcp: (number | null)[];
  latestLab: LabDay | undefined;
  latestField: FieldDay | undefined;
  regression: PageRegression | null;
}

/** A page's lab LCP regression, judged on its runs by the monitor's rule (lab-regression.ts). */
interface PageRegression extends LabRegression {
  step: NonNullable<LabRegression['step']>;
  /** Median third-party time of the runs the step compares. */
  thirdPartyBefore: number | null;
  thirdPartyAfter: number | null;
  /** Whether runs after the step's own window exist, so the current level says something new. */
  hasLaterRuns: boolean;
}

function pageSpeed(url: string, days: string[], data: { lab: LabDay[]; runs: LabRun[]; field: FieldDay[] }, rule: LabRegressionRule): PageSpeed {
  const labByDay = new Map(data.lab.filter((row) => row.url === url).map((row) => [row.day, row]));
  const fieldByDay = new Map(data.field.filter((row) => row.url === url).map((row) => [row.day, row]));
  return {
    url,
    labLcp: days.map((day) => labByDay.get(day)?.lcpMs ?? null),
    fieldLcp: days.map((day) => fieldByDay.get(day)?.lcpMs ?? null),
    latestLab: [...labByDay.values()].at(-1),
    latestField: [...fieldByDay.values()].at(-1),
    regression: regressionOf(data.runs.filter((run) => run.url === url), rule),
  };
}

function regressionOf(runs: LabRun[], rule: LabRegressionRule): PageRegression | null {
  const measured = runs.filter((run) => run.lcpMs !== null);
  const found = labRegression(labPoints(measured, (run) => run.lcpMs), rule);
  if (!found?.step) return null;
  const { baseline, after } = stepWindows(found.step.index, measured.length, rule);
  const thirdParty = (window: [number, number]) => median(measured.slice(...window).flatMap((run) => (run.thirdPartyMs === null ? [] : [run.thirdPartyMs])));
  return { ...found, step: found.step, thirdPartyBefore: thirdParty(baseline), thirdPartyAfter: thirdParty(after), hasLaterRuns: after[1] < measured.length };
}

function speedReply(period: PeriodPair, formFactor: FormFactor, days: string[], pages: PageSpeed[], changes: ChangeRecord[], context: CommandContext): Reply {
  const { t, fmt } = context;
  const worst = pages.filter((item) => item.regression !== null).sort((a, b) => b.regression!.step.worsening - a.regression!.step.worsening)[0];
  const regression = worst?.regression ?? null;
  const charted = worst ?? pages.find((item) => item.latestField && vitalStatus('lcp', item.latestField.lcpMs ?? 0) !== 'good') ?? pages[0]!;
  const cause = regression ? likelyCause(regression.step.startMs, changes) : undefined;
  // Only the likely cause is marked: a marker per deploy would bury the one that matters.
  const blocks: Block[] = [pagesTable(pages, context), pageChart(charted, days, cause ? [cause] : [], context)];
  const summary = worst ? regressionSentence(worst, cause, context) : t('speed.allStable', {
    pages: pages.length,
    good: pages.filter((item) => item.latestField?.lcpMs != null && vitalStatus('lcp', item.latestField.lcpMs) === 'good').length,
  });
  return reply({
    title: t('speed.title', { period: periodText(period.current, fmt), formFactor: t(formFactor === 'mobile' ? 'speed.mobile' : 'speed.desktop') }),
    summary,
    blocks,
    data: {
      regression: worst && regression ? {
        url: worst.url, startedAt: new Date(regression.step.startMs).toISOString(),
        beforeMs: regression.step.before, afterMs: regression.step.after, currentMs: regression.current, level: regression.level,
      } : null,
    },
  });
}

/** The change most likely behind a regression that began at `startMs`, ranked as the monitor ranks an incident's causes. */
function likelyCause(startMs: number, changes: ChangeRecord[]): ChangeRecord | undefined {
  return rankLikelyCauses(changes.map((change) => ({ ...change, atMs: change.at.getTime() })), startMs, CAUSE_LOOKBACK_MINUTES)[0]?.change;
}

function regressionSentence(page: PageSpeed, cause: ChangeRecord | undefined, context: CommandContext): string {
  const { t, fmt } = context;
  const { step, current, level, thirdPartyBefore, thirdPartyAfter, hasLaterRuns } = page.regression!;
  let sentence = t('speed.regression', {
    page: pathOf(page.url),
    before: fmt.seconds(step.before),
    after: fmt.seconds(step.after),
    day: fmt.date(new Date(step.startMs)),
    cause: cause
      ? t('speed.causeAfter', { kind: changeKindText(cause.kind, t), ref: cause.ref, at: fmt.dateTime(cause.at), summary: cause.summary ? `: ${cause.summary}` : '' })
      : '',
  });
  if (thirdPartyBefore !== null && thirdPartyAfter !== null && thirdPartyAfter > thirdPartyBefore) {
    sentence += t('speed.thirdParty', { ms: `${fmt.integer(thirdPartyAfter - thirdPartyBefore)} ms` });
  }
  if (hasLaterRuns) sentence += level === 'ok' ? t('speed.recovered', { now: fmt.seconds(current) }) : t('speed.stillSlow', { now: fmt.seconds(current) });
  const fieldLcp = page.latestField?.lcpMs;
  sentence += fieldLcp != null ? t('speed.field', { value: fmt.seconds(fieldLcp), status: statusText(vitalStatus('lcp', fieldLcp), t) }) : t('speed.noField');
  return sentence;
}

function pagesTable(pages: PageSpeed[], { t, fmt }: CommandContext): Block {
  const vital = (value: number | null | undefined, show: (value: number) => string): Cell =>
    value == null ? { text: '—', raw: null } : { text: show(value), raw: value };
  return {
    type: 'table',
    columns: [
      { key: 'page', label: t('speed.page'), kind: 'text' },
      { key: 'score', label: t('speed.score'), kind: 'number' },
      { key: 'labLcp', label: t('speed.labLcp'), kind: 'number' },
      { key: 'labFcp', label: t('speed.labFcp'), kind: 'number' },
      { key: 'speedIndex', label: t('speed.speedIndex'), kind: 'number' },
      { key: 'tbt', label: t('speed.tbt'), kind: 'number' },
      { key: 'labCls', label: t('speed.labCls'), kind: 'number' },
      { key: 'thirdParty', label: t('speed.thirdPartyMs'), kind: 'number' },
      { key: 'fieldLcp', label: t('speed.fieldLcp'), kind: 'number' },
      { key: 'fieldFcp', label: t('speed.fieldFcp'), kind: 'number' },
      { key: 'inp', label: t('speed.inp'), kind: 'number' },
      { key: 'cls', label: t('speed.cls'), kind: 'number' },
      { key: 'status', label: t('speed.status'), kind: 'text' },
    ],
    rows: pages.map((page) => {
      const lab = page.latestLab;
      const field = page.latestField;
      const status = worstStatus(field);
      return [
        { text: pathOf(page.url), raw: page.url },
        lab?.performanceScore == null ? { text: '—', raw: null } : { text: fmt.integer(lab.performanceScore * 100), raw: lab.performanceScore },
        vital(lab?.lcpMs, fmt.seconds),
        vital(lab?.fcpMs, fmt.seconds),
        vital(lab?.speedIndexMs, fmt.seconds),
        vital(lab?.tbtMs, (ms) => `${fmt.integer(ms)} ms`),
        vital(lab?.cls, fmt.layoutShift),
        vital(lab?.thirdPartyMs, (ms) => `${fmt.integer(ms)} ms`),
        vital(field?.lcpMs, fmt.seconds),
        vital(field?.fcpMs, fmt.seconds),
        vital(field?.inpMs, (ms) => `${fmt.integer(ms)} ms`),
        vital(field?.cls, fmt.layoutShift),
        { text: status ? statusText(status, t) : t('speed.noData'), raw: status ?? null },
      ];
    }),
  };
}

/** The page's overall field status: the worst of its Core Web Vitals. */
function worstStatus(field: FieldDay | undefined): VitalStatus | undefined {
  if (!field) return undefined;
  const measured: [VitalName, number | null][] = [['lcp', field.lcpMs], ['inp', field.inpMs], ['cls', field.cls]];
  const statuses = measured.flatMap(([name, value]) => (value === null ? [] : [vitalStatus(name, value)]));
  if (statuses.length === 0) return undefined;
  return statuses.includes('poor') ? 'poor' : statuses.includes('needs_improvement') ? 'needs_improvement' : 'good';
}

function pageChart(page: PageSpeed, days: string[], changes: ChangeRecord[], { t, fmt, timeZone }: CommandContext) {
  const labels = days.map((day) => fmt.dayLabel(new Date(`${day}T12:00:00Z`)));
  const labelOfDay = new Map(days.map((day, index) => [day, labels[index]!]));
  return lineChart({
    t,
    title: t('speed.chartTitle', { page: pathOf(page.url) }),
    labels,
    series: [
      { label: t('speed.labSeries'), values: page.labLcp.map(round) },
      { label: t('speed.fieldSeries'), values: page.fieldLcp.map(round) },
    ],
    markers: changes.flatMap((change) => {
      const at = labelOfDay.get(isoDay(calendarDay(change.at, timeZone)));
      return at ? [{ at, label: `${changeKindText(change.kind, t)} ${change.ref}` }] : [];
    }),
  });
}

function statusText(status: VitalStatus, t: Translate): string {
  return status === 'good' ? t('speed.good') : status === 'poor' ? t('speed.poor') : t('speed.needsImprovement');
}

function daysOf(first: Date, last: Date, timeZone: string): string[] {
  const days: string[] = [];
  const end = isoDay(calendarDay(last, timeZone));
  for (let day = calendarDay(first, timeZone); isoDay(day) <= end; day = addDays(day, 1)) days.push(isoDay(day));
  return days;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const round = (value: number | null) => (value === null ? null : Math.round(value));
