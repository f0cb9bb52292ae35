import { z } from 'zod';
import { fitBgNbd } from '../../analytics/bg-nbd.js';
import type { BgNbdFit } from '../../analytics/bg-nbd.js';
import type { FitResult } from '../../analytics/fit-result.js';
import { fitGammaGamma } from '../../analytics/gamma-gamma.js';
import type { GammaGammaFit } from '../../analytics/gamma-gamma.js';
import { expectedPurchasesIfAlive } from '../../analytics/bg-nbd-predict.js';
import { valueAtStake } from '../../analytics/value-at-stake.js';
import type { CustomerValueAtStake } from '../../analytics/value-at-stake.js';
import type { CommandContext, ParseContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { AsOf, ChurnRanking, CustomerData } from '../data-port.js';
import type { Period } from '../period.js';
import { asOfDay } from '../data-port.js';
import type { Field, Reply, TableBlock } from '../reply.js';
import { reply, tableToCsv } from '../reply.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Words } from '../words.js';
import { wholeNumber } from '../words.js';
import { segmentName } from '../rfm-segment-names.js';

const DEFAULT_TOP = 10;
const MAX_TOP = 500;
/** Rows shown in the chat; the rest of the top N rides in the CSV attachment. */
const INLINE_ROWS = 10;
const DEFAULT_HORIZON_DAYS = 90;
const MAX_HORIZON_DAYS = 730;
const UNIT_DAYS = { day: 1, week: 7 } as const;
type TimeUnit = keyof typeof UNIT_DAYS;
const UNIT_WORDS: Record<string, TimeUnit> = {
  day: 'day', days: 'day', d: 'day', giorno: 'day', giorni: 'day',
  week: 'week', weeks: 'week', w: 'week', settimana: 'week', settimane: 'week',
};

interface ChurnArgs {
  top: number;
  segment?: string;
  horizonDays: number;
  unit: TimeUnit;
  /** Only customers whose last order falls in this period ("churn risk last 90 days"). */
  activeIn?: Period;
}

export const churn = defineCommand<ChurnArgs>({
  name: 'churn',
  heavy: true,
  aliases: ['abbandono'],
  keywords: ['risk', 'rischio', 'lose', 'perdere'],
  // "rfm churn risk last 90 days" asks about churn, not about RFM segments.
  outranks: ['rfm'],
  summary: 'help.churn',
  examples: ['churn', 'churn top 20 segment champions', 'churn horizon 180d', 'churn as-of 2026-09-30 time-unit week'],
  revealsCustomerData: true,
  takesAsOf: true,
  parse: parseChurn,
  async run(args, context) {
    const { data, t, fmt } = context;
    // About a past day, only the orders before its end count: never the kept summaries, which hold every order.
    const asOf: AsOf = { end: context.now, isNow: context.asOfDay === undefined };
    const shownDay = fmt.date(new Date(`${context.asOfDay ?? asOfDay(asOf)}T12:00:00Z`));
    const population = await data.churnPopulation(asOf);
    if (population.customers === 0) return fail({ kind: 'no_data', message: t('churn.noCustomers', { asOf: shownDay }) });
    const models = await churnModels(data, { unit: args.unit, asOf });
    if (!models.ok) {
      return fail({ kind: 'no_data', message: t('churn.tooFewRepeatBuyers', { repeatBuyers: models.error.repeatBuyers, min: models.error.minRepeatBuyers, asOf: shownDay }) });
    }
    const unitDays = UNIT_DAYS[args.unit];
    const horizon = args.horizonDays / unitDays;
    // E[purchases | alive] depends on x and T only: computed here once per distinct pair, joined in SQL.
    const purchases = population.repeatPurchases.map((x, i) => expectedPurchasesIfAlive(models.value.bgNbd, { x, tx: 0, T: (population.ageDays[i] ?? 0) / unitDays }, horizon));
    const ranking = await data.churnRanking({
      asOf, unitDays, models: models.value, top: args.top, minPAlive: context.settings.churnMinPAlive,
      scope: { segmentMap: context.settings.rfmSegmentMap, ...(args.segment ? { segment: args.segment } : {}), ...(args.activeIn ? { activeIn: args.activeIn } : {}) },
      purchasesIfAlive: { repeatPurchases: population.repeatPurchases, ageDays: population.ageDays, purchases },
    });
    const answer = churnReply(args, ranking, models.value, shownDay, context);
    return answer ? ok(answer) : fail({ kind: 'no_data', message: t('churn.notConverged', { asOf: shownDay }) });
  },
});

function parseChurn(words: Words, { now, timeZone, t, settings }: ParseContext): Result<ChurnArgs> {
  const segmentIds = settings.rfmSegmentMap.segments.map((segment) => segment.id);
  const args: ChurnArgs = { top: DEFAULT_TOP, horizonDays: DEFAULT_HORIZON_DAYS, unit: 'week' };
  // `as-of D` is the dispatcher's (it came before the period, so a lone day after it is not one).
  const top = words.takeAfter(['top']);
  if (top !== undefined) {
    const parsed = wholeNumber(top === 'missing' ? '' : top, 'top', 1, MAX_TOP, words, t);
    if (!parsed.ok) return parsed;
    args.top = parsed.value;
    words.understood.push(`top ${parsed.value}`);
  }
  const segment = words.takeAfter(['segment', 'segmento']);
  if (segment !== undefined) {
    const id = segment.replaceAll('-', '_');
    if (segment === 'missing' || !segmentIds.includes(id)) {
      return fail(words.problem(t('parse.badChoice', { what: t('churn.segmentWhat'), value: segment === 'missing' ? '' : segment, choices: segmentIds.join(', ') })));
    }
    args.segment = id;
    words.understood.push(`segment ${id}`);
  }
  const horizon = words.takeAfter(['horizon', 'orizzonte']);
  if (horizon !== undefined) {
    const match = /^(\d+)(d|w)$/.exec(horizon);
    const days = match ? Number(match[1]) * (match[2] === 'w' ? 7 : 1) : 0;
    if (!match || days < 1 || days > MAX_HORIZON_DAYS) return fail(words.problem(t('churn.optionHorizon', { example: 'horizon 90d' })));
    args.horizonDays = days;
    words.understood.push(`horizon ${days}d`);
  }
  const unit = words.takeAfter(['time-unit', 'unit', 'unità']);
  if (unit !== undefined) {
    const chosen = UNIT_WORDS[unit];
    if (!chosen) return fail(words.problem(t('churn.optionUnit', { value: unit === 'missing' ? '' : unit })));
    args.unit = chosen;
    words.understood.push(`time-unit ${chosen}`);
  }
  const period = words.takePeriod(now, timeZone, t);
  if (!period.ok) return period;
  if (period.value) args.activeIn = period.value.current;
  return ok(args);
}

/** What the cache keeps: both fits with their diagnostics, validated when read back. */
const CachedChurnModels = z.object({
  bgNbd: z.object({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number(), logLikelihood: z.number(), converged: z.boolean(), iterations: z.number() }),
  gammaGamma: z.object({ p: z.number(), q: z.number(), gamma: z.number(), logLikelihood: z.number(), converged: z.boolean(), iterations: z.number() }),
});
type ChurnModelFits = { bgNbd: BgNbdFit; gammaGamma: GammaGammaFit };

/**
 * The fitted models for (unit, as-of point), reused from the cache until the order data changes. A
 * question about now and one about a past day are different points even on the same day.
 */
async function churnModels(data: CustomerData, { unit, asOf }: { unit: TimeUnit; asOf: AsOf }): Promise<FitResult<ChurnModelFits>> {
  const model = `bg_nbd_gamma_gamma_${unit}`;
  const cached = await data.cachedModel(model, asOf);
  const reused = CachedChurnModels.safeParse(cached.params);
  if (reused.success) return ok(reused.data);
  const unitDays = UNIT_DAYS[unit];
  const [groups, spends] = await Promise.all([data.historyGroups(asOf), data.repeatSpends(asOf)]);
  const bgNbd = fitBgNbd(groups.map((group) => ({ x: group.repeatPurchases, tx: group.activeDays / unitDays, T: group.ageDays / unitDays, count: group.customers })));
  if (!bgNbd.ok) return bgNbd;
  const gammaGamma = fitGammaGamma(spends.repeatPurchases.map((x, i) => ({ x, mbar: spends.repeatMeanValue[i] ?? 0 })));
  if (!gammaGamma.ok) return gammaGamma;
  const fits = { bgNbd: bgNbd.value, gammaGamma: gammaGamma.value };
  await data.storeModel(model, asOf, cached.dataVersion, fits);
  return ok(fits);
}

interface RankedCustomer extends CustomerValueAtStake {
  lastOrderAt: Date;
  segmentId: string;
}

/** Undefined when the fitted parameters make the predictions overflow (a fit stuck at absurd a and b). */
function churnReply(args: ChurnArgs, ranking: ChurnRanking, fits: ChurnModelFits, shownDay: string, context: CommandContext): Reply | undefined {
  const { t, fmt } = context;
  const unitDays = UNIT_DAYS[args.unit];
  // The database ranked; the figures shown are recomputed here by the analytics module, exactly.
  const ranked: RankedCustomer[] = ranking.top
    .map((h) => ({
      ...valueAtStake({ customerId: h.customerId, x: h.repeatPurchases, tx: h.activeDays / unitDays, T: h.ageDays / unitDays, mbar: h.repeatMeanValue }, fits, args.horizonDays / unitDays),
      lastOrderAt: h.lastOrderAt,
      segmentId: h.segmentId,
    }))
    .sort((a, b) => b.valueAtStake - a.valueAtStake || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  // Better no ranking than one that says −€∞.
  if (ranked.some((row) => !Number.isFinite(row.valueAtStake) || !Number.isFinite(row.expectedValue) || !Number.isFinite(row.probabilityAlive))) return undefined;
  const oneTimeBuyers = ranking.customers - ranking.repeatBuyers;
  const horizon = t('churn.horizonDays', { days: args.horizonDays });
  const segmentText = args.segment ? t('churn.inSegment', { segment: segmentName(args.segment, context) }) : '';
  const top = ranked[0];
  const atStake = ranked.reduce((sum, row) => sum + row.valueAtStake, 0);
  const floor = fmt.percent(context.settings.churnMinPAlive, 0);
  const summary = !top && ranking.gone.customers > 0
    ? t('churn.noneWinnable', { segment: segmentText, floor })
    : !top || atStake === 0
    ? t('churn.nothingAtStake', { segment: segmentText })
    : t('churn.summary', { count: ranked.length, atStake: fmt.money(atStake), horizon, top: top.customerId, topAlive: fmt.percent(top.probabilityAlive, 0) });

  const table = rankingTable(ranked, context);
  const inline: TableBlock = { ...table, rows: table.rows.slice(0, INLINE_ROWS), totalRows: table.rows.length,
    ...(table.rows.length > INLINE_ROWS ? { caption: t('churn.caption', { shown: INLINE_ROWS, total: table.rows.length }) } : {}) };
  return reply({
    title: t('churn.title', { asOf: shownDay, horizon }),
    summary,
    blocks: [
      ...(ranked.length > 0 ? [inline] : []),
      ...(ranking.gone.customers > 0
        ? [{ type: 'text' as const, text: t('churn.gone', { count: fmt.integer(ranking.gone.customers), isOne: ranking.gone.customers === 1, floor, revenue: fmt.money(ranking.gone.revenue) }) }]
        : []),
      ...(oneTimeBuyers > 0 ? [{ type: 'text' as const, text: t('churn.oneTimeBuyers', { count: fmt.integer(oneTimeBuyers) }) }] : []),
      { type: 'text', text: t('churn.model') },
      { type: 'fields', fields: modelFields(args.unit, fits, context) },
    ],
    data: { model: modelData(args.unit, fits), gone: ranking.gone, minPAlive: context.settings.churnMinPAlive },
    attachments: table.rows.length > INLINE_ROWS
      ? [{ filename: 'churn-risk.csv', mimeType: 'text/csv', content: tableToCsv(table), encoding: 'utf8', title: t('churn.csvTitle') }]
      : [],
  });
}

function rankingTable(ranked: readonly RankedCustomer[], context: CommandContext): TableBlock {
  const { t, fmt } = context;
  return {
    type: 'table',
    columns: [
      { key: 'customer', label: t('churn.customer'), kind: 'text' },
      { key: 'segment', label: t('churn.segment'), kind: 'text' },
      { key: 'lastOrder', label: t('churn.lastOrder'), kind: 'date' },
      { key: 'pAlive', label: t('churn.pAlive'), kind: 'percent' },
      { key: 'expectedPurchases', label: t('churn.expectedPurchases'), kind: 'number' },
      { key: 'expectedValue', label: t('churn.expectedValue'), kind: 'money' },
      { key: 'valueAtStake', label: t('churn.valueAtStake'), kind: 'money' },
    ],
    rows: ranked.map((row) => {
      const expectedPurchases = row.probabilityAlive * row.expectedPurchasesIfAlive;
      return [
        { text: row.customerId, raw: row.customerId },
        { text: segmentName(row.segmentId, context), raw: row.segmentId },
        { text: fmt.date(row.lastOrderAt), raw: row.lastOrderAt.toISOString() },
        { text: fmt.percent(row.probabilityAlive, 0), raw: row.probabilityAlive },
        { text: fmt.number(expectedPurchases, 2), raw: expectedPurchases },
        { text: fmt.money(row.expectedValue), raw: row.expectedValue },
        { text: fmt.money(row.valueAtStake), raw: row.valueAtStake },
      ];
    }),
  };
}

/** The fitted parameters under `model` in `mkt churn --json`. */
function modelData(unit: TimeUnit, { bgNbd, gammaGamma }: ChurnModelFits) {
  return {
    timeUnit: unit,
    r: bgNbd.r, alpha: bgNbd.alpha, a: bgNbd.a, b: bgNbd.b,
    p: gammaGamma.p, q: gammaGamma.q, gamma: gammaGamma.gamma,
    logLikelihood: bgNbd.logLikelihood,
    gammaGammaLogLikelihood: gammaGamma.logLikelihood,
    converged: bgNbd.converged && gammaGamma.converged,
  };
}

/** Raw parameter values ride in `raw` for `--json`; the text is for people. */
function modelFields(unit: TimeUnit, fits: ChurnModelFits, { t, fmt }: CommandContext): Field[] {
  const parameter = (label: string, value: number): Field => ({ label, value: fmt.number(value, 3), raw: value });
  const { bgNbd, gammaGamma } = fits;
  const converged = bgNbd.converged && gammaGamma.converged;
  return [
    { label: t('churn.timeUnit'), value: unit === 'day' ? t('churn.unitDay') : t('churn.unitWeek'), raw: unit },
    parameter('r', bgNbd.r), parameter('alpha', bgNbd.alpha), parameter('a', bgNbd.a), parameter('b', bgNbd.b),
    parameter('p', gammaGamma.p), parameter('q', gammaGamma.q), parameter('gamma', gammaGamma.gamma),
    { label: t('churn.logLikelihood'), value: fmt.number(bgNbd.logLikelihood, 1), raw: bgNbd.logLikelihood },
    { label: t('churn.converged'), value: converged ? t('churn.yes') : t('churn.no'), raw: String(converged) },
  ];
}
