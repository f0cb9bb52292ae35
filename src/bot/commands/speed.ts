import { rankLikelyCauses } from '../../analytics/likely-cause.js';
import type { Step } from '../../analytics/step-change.js';
import { largestStepUp } from '../../analytics/step-change.js';
import type { VitalName, VitalStatus } from '../../analytics/web-vitals.js';
import { median } from '../../analytics/median.js';
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
import { addDays, calendarDay, isoDay, parseIsoDay, zonedTime } from '../time-zone.js';
import { changeKindText } from '../change-kind-text.js';
import { MINUTE_MS } from '../../analytics/time.js';

const DEFAULT_DAYS = 28;
/** A step this large in daily lab LCP medians is a regression worth a sentence (and this relative). */
const MIN_REGRESSION_MS = 400;
const MIN_REGRESSION_SHARE = 0.15;
/** A regression has recovered when the last days gave back at least this share of the step. */
const RECOVERED_SHARE = 0.6;
const RECENT_DAYS = 3;
/** A day-level step began somewhere in its day: changes up to a day before it, or during it, are candidates. */
const CAUSE_LOOKBACK_MINUTES = 24 * 60;
const DAY_MINUTES = 24 * 60;

type FormFactor = 'mobile' | 'desktop';

interface SpeedArgs {
  period: PeriodPair;
  formFactor: FormFactor;
  page?: string;
}

export const speed = defineCommand<SpeedArgs>({
  name: 'speed',
  aliases: ['velocità', 'velocita', 'pagespeed', 'vitals'],
  keywords: ['lcp', 'inp', 'cls', 'lighthouse', 'cwv'],
  summary: 'speed.summary',
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
    const urls = await data.measuredUrls();
    const url = page === undefined ? undefined : urls.find((candidate) => candidate === page || new URL(candidate).pathname === page);
    if (page !== undefined && url === undefined) {
      return fail({ kind: 'bad_input', message: t('parse.badChoice', { what: t('speed.unknownUrl'), value: page, choices: urls.map(pathOf).join(', ') || '—' }) });
    }
    const range = period.current;
    const [lab, field, changes] = await Promise.all([
      data.labDays(range, formFactor, timeZone),
      data.fieldDays(range, formFactor, timeZone),
      data.changesBetween({ start: new Date(range.start.getTime() - CAUSE_LOOKBACK_MINUTES * MINUTE_MS), end: range.end }, ['tag_manager', 'deploy']),
    ]);
    const days = daysOf(range.start, lastInstantOf(range), timeZone);
    const pages = (url ? [url] : [...new Set([...lab.map((row) => row.url), ...field.map((row) => row.url)])].sort())
      .map((pageUrl) => pageSpeed(pageUrl, days, lab, field));
    if (pages.every((item) => item.labLcp.every((value) => value === null) && item.latestField === undefined)) {
      return fail({ kind: 'no_data', message: t('speed.noRuns', { start: fmt.date(range.start), end: fmt.date(lastInstantOf(range)) }) });
    }
    return ok(speedReply(period, formFactor, days, pages, changes, context));
  },
});

interface PageSpeed {
  url: string;
  labLcp: (number | null)[];
  labThirdParty: (number | null)[];
  fieldLcp: (number | null)[];
  latestLab: LabDay | undefined;
  latestField: FieldDay | undefined;
  step: Step | null;
}

function pageSpeed(url: string, days: string[], lab: LabDay[], field: FieldDay[]): PageSpeed {
  const labByDay = new Map(lab.filter((row) => row.url === url).map((row) => [row.day, row]));
  const fieldByDay = new Map(field.filter((row) => row.url === url).map((row) => [row.day, row]));
  const labLcp = days.map((day) => labByDay.get(day)?.lcpMs ?? null);
  const step = largestStepUp(labLcp);
  return {
    url,
    labLcp,
    labThirdParty: days.map((day) => labByDay.get(day)?.thirdPartyMs ?? null),
    fieldLcp: days.map((day) => fieldByDay.get(day)?.lcpMs ?? null),
    latestLab: [...labByDay.values()].at(-1),
    latestField: [...fieldByDay.values()].at(-1),
    step: step && step.change >= MIN_REGRESSION_MS && step.relativeChange >= MIN_REGRESSION_SHARE ? step : null,
  };
}

function speedReply(period: PeriodPair, formFactor: FormFactor, days: string[], pages: PageSpeed[], changes: ChangeRecord[], context: CommandContext): Reply {
  const { t, fmt } = context;
  const worst = pages.filter((item) => item.step !== null).sort((a, b) => b.step!.change - a.step!.change)[0];
  const charted = worst ?? pages.find((item) => item.latestField && vitalStatus('lcp', item.latestField.lcpMs ?? 0) !== 'good') ?? pages[0]!;
  const cause = worst ? likelyCause(worst, days, changes, context) : undefined;
  // Only the likely cause is marked: a marker per deploy would bury the one that matters.
  const blocks: Block[] = [pagesTable(pages, context), pageChart(charted, days, cause ? [cause] : [], context)];
  const summary = worst ? regressionSentence(worst, days, cause, context) : t('speed.allStable', {
    pages: pages.length,
    good: pages.filter((item) => item.latestField?.lcpMs != null && vitalStatus('lcp', item.latestField.lcpMs) === 'good').length,
  });
  return reply({
    title: t('speed.title', { period: periodText(period.current, fmt), formFactor: t(formFactor === 'mobile' ? 'speed.mobile' : 'speed.desktop') }),
    summary,
    blocks,
  });
}

/** The change most likely behind a page's step: the step began somewhere in its day. */
function likelyCause(page: PageSpeed, days: string[], changes: ChangeRecord[], { timeZone }: CommandContext): ChangeRecord | undefined {
  const dayStart = zonedDayStart(days[page.step!.index]!, timeZone);
  return rankLikelyCauses(changes.map((change) => ({ ...change, atMs: change.at.getTime() })), dayStart.getTime(), CAUSE_LOOKBACK_MINUTES, DAY_MINUTES)
    .sort((a, b) => kindRank(a.change.kind) - kindRank(b.change.kind))[0]?.change;
}

function regressionSentence(page: PageSpeed, days: string[], cause: ChangeRecord | undefined, context: CommandContext): string {
  const { t, fmt, timeZone } = context;
  const step = page.step!;
  const dayStart = zonedDayStart(days[step.index]!, timeZone);
  const recent = median(page.labLcp.slice(-RECENT_DAYS).filter((value): value is number => value !== null));
  const thirdPartyBefore = median(page.labThirdParty.slice(Math.max(0, step.index - 7), step.index).filter(isNumber));
  const thirdPartyAfter = median(page.labThirdParty.slice(step.index, step.index + 3).filter(isNumber));
  let sentence = t('speed.regression', {
    page: pathOf(page.url),
    before: fmt.seconds(step.before),
    after: fmt.seconds(step.after),
    day: fmt.date(dayStart),
    cause: cause
      ? t('speed.causeAfter', { kind: changeKindText(cause.kind, t), ref: cause.ref, at: fmt.dateTime(cause.at), summary: cause.summary ? `: ${cause.summary}` : '' })
      : '',
  });
  if (thirdPartyBefore !== null && thirdPartyAfter !== null && thirdPartyAfter > thirdPartyBefore) {
    sentence += t('speed.thirdParty', { ms: `${fmt.integer(thirdPartyAfter - thirdPartyBefore)} ms` });
  }
  if (recent !== null && step.index + RECENT_DAYS < days.length) {
    sentence += recent <= step.after - RECOVERED_SHARE * step.change ? t('speed.recovered', { now: fmt.seconds(recent) }) : t('speed.stillSlow', { now: fmt.seconds(recent) });
  }
  const fieldLcp = page.latestField?.lcpMs;
  sentence += fieldLcp != null ? t('speed.field', { value: fmt.seconds(fieldLcp), status: statusText(vitalStatus('lcp', fieldLcp), t) }) : t('speed.noField');
  return sentence;
}

/** Tag-manager publishes first: they are what adds third-party scripts to pages. */
function kindRank(kind: ChangeRecord['kind']): number {
  return kind === 'tag_manager' ? 0 : 1;
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
      { key: 'tbt', label: t('speed.tbt'), kind: 'number' },
      { key: 'thirdParty', label: t('speed.thirdPartyMs'), kind: 'number' },
      { key: 'fieldLcp', label: t('speed.fieldLcp'), kind: 'number' },
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
        vital(lab?.tbtMs, (ms) => `${fmt.integer(ms)} ms`),
        vital(lab?.thirdPartyMs, (ms) => `${fmt.integer(ms)} ms`),
        vital(field?.lcpMs, fmt.seconds),
        vital(field?.inpMs, (ms) => `${fmt.integer(ms)} ms`),
        vital(field?.cls, (value) => fmt.number(value, 2)),
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

function zonedDayStart(day: string, timeZone: string): Date {
  return zonedTime(parseIsoDay(day)!, timeZone);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const isNumber = (value: number | null): value is number => value !== null;
const round = (value: number | null) => (value === null ? null : Math.round(value));
