import type { AttributionModel } from '../../analytics/attribution/attribute.js';
import { ATTRIBUTION_MODELS, attribute } from '../../analytics/attribution/attribute.js';
import { computeRoas } from '../../analytics/attribution/roas.js';
import { assessSufficiency } from '../../analytics/attribution/sufficiency.js';
import { DEFAULT_HALF_LIFE_DAYS } from '../../analytics/attribution/time-decay.js';
import type { AttributionPath, ChannelCredit } from '../../analytics/attribution/types.js';
import type { ChartChannel, ChartSeries } from '../charts.js';
import { barChart, CHANNEL_COLORS } from '../charts.js';
import type { CommandContext } from '../command.js';
import { defineCommand } from '../command.js';
import type { AttributionDimension } from '../data-port.js';
import type { StaticMessageKey } from '../messages/index.js';
import { editDistance } from '../parse.js';
import type { PeriodPair } from '../period.js';
import { lastDays } from '../period.js';
import type { Block, Button, Reply } from '../reply.js';
import { reply } from '../reply.js';
import { fail, ok } from '../result.js';
import type { Words } from '../words.js';

const DEFAULT_DAYS = 30;
const LOOKBACK_DAYS = 30;
/** Past this many bars a horizontal chart keeps long campaign names readable. */
const MAX_VERTICAL_BARS = 8;
/** Markov gaining less than this many conversions over last click counts as no gain. */
const NEGLIGIBLE_GAIN = 0.05;

type ModelChoice = AttributionModel | 'compare';

/** Every spelling people use for a model, English and Italian; multi-word ones are matched as phrases. */
const SPELLINGS: Record<ModelChoice, readonly string[]> = {
  first_click: ['first_click', 'first-click', 'first click', 'first touch', 'first', 'primo clic', 'primo click', 'primo contatto', 'primo'],
  last_click: ['last_click', 'last-click', 'last click', 'last touch', 'last', 'ultimo clic', 'ultimo click', 'ultimo contatto', 'ultimo'],
  last_non_direct: ['last_non_direct', 'last-non-direct', 'last non-direct', 'last non direct', 'last nondirect', 'ultimo clic non diretto', 'ultimo non diretto', 'non-direct', 'non direct'],
  linear: ['linear', 'lineare'],
  time_decay: ['time_decay', 'time-decay', 'time decay', 'decay', 'decadimento temporale', 'decadimento'],
  position_based: ['position_based', 'position-based', 'position based', 'position', 'u-shaped', 'u shaped', 'basato sulla posizione', 'posizione'],
  markov: ['markov', 'markoviano', 'markoviana', 'data-driven', 'data driven', 'datadriven', 'dda'],
  shapley: ['shapley'],
  compare: ['compare', 'comparison', 'all', 'confronta', 'confronto', 'tutti'],
};
// Longest phrases first, so "last click" is not read as "last" followed by a stray "click".
const PHRASES = Object.entries(SPELLINGS)
  .flatMap(([choice, spellings]) => spellings.map((spelling) => ({ choice: choice as ModelChoice, words: spelling.split(' ') })))
  .sort((a, b) => b.words.length - a.words.length);

const MODEL_NAME: Record<AttributionModel, StaticMessageKey> = {
  first_click: 'attribution.model.first_click', last_click: 'attribution.model.last_click', last_non_direct: 'attribution.model.last_non_direct',
  linear: 'attribution.model.linear', time_decay: 'attribution.model.time_decay', position_based: 'attribution.model.position_based',
  markov: 'attribution.model.markov', shapley: 'attribution.model.shapley',
};
const DIMENSION_WORDS: Record<string, AttributionDimension> = {
  channel: 'channel', channels: 'channel', canale: 'channel', canali: 'channel',
  campaign: 'campaign', campaigns: 'campaign', campagna: 'campaign', campagne: 'campaign',
};
const BUTTON_CHOICES: readonly ModelChoice[] = ['last_click', 'linear', 'markov', 'compare'];

interface AttributionArgs {
  /** Undefined: the configured default model. */
  choice?: ModelChoice;
  period: PeriodPair;
  dimension: AttributionDimension;
}

export const attribution = defineCommand<AttributionArgs>({
  name: 'attribution',
  heavy: true,
  aliases: ['attribuzione'],
  summary: 'attribution.help',
  takesAsOf: true,
  examples: ['attribution', 'attribution compare last 90d', 'attribution last click this month', 'attribution linear last 30d by campaign'],
  parse(words, { now, timeZone, t }) {
    const period = words.takePeriod(now, timeZone, t);
    if (!period.ok) return period;
    const by = words.takeAfter(['by', 'per']);
    if (by === 'missing') return fail(words.problem(t('attribution.missingDimension')));
    const dimension = by === undefined ? 'channel' : DIMENSION_WORDS[by];
    if (dimension === undefined) return fail(words.problem(t('attribution.badDimension', { value: by ?? '' })));
    if (by !== undefined) words.understood.push(`by ${dimension}`);
    const first = takeModel(words);
    const second = takeModel(words);
    if (first && second) return fail(words.problem(t('attribution.twoModels', { first: first.text, second: second.text })));
    const rest = words.leftover();
    if (rest.length > 0) {
      const guess = closestChoice(rest[0]!);
      return fail({
        ...words.problem(t('attribution.badModel', { value: rest.join(' '), choices: ATTRIBUTION_MODELS.join(', ') })),
        ...(guess ? { suggestion: `attribution ${guess}${period.value ? ` ${period.value.current.label}` : ''}` } : {}),
      });
    }
    return ok({ ...(first ? { choice: first.choice } : {}), period: period.value ?? lastDays(now, timeZone, DEFAULT_DAYS), dimension });
  },
  async run({ choice, period, dimension }, context) {
    const { data, t, fmt, timeZone, settings } = context;
    const selected = choice ?? ATTRIBUTION_MODELS.find((model) => model === settings.attributionModel) ?? 'markov';
    const models = selected === 'compare' ? ATTRIBUTION_MODELS : [selected];
    const range = period.current;
    // Time decay is summed in the store: its paths collapse on touch ages too, ~10⁶ of them over a
    // large shop's journeys, too many to read into memory. The other models read paths without ages.
    const pathModels = models.filter((model) => model !== 'time_decay');
    // As of a past day, journeys are built from the rows before its end only (not the kept ones).
    const before = context.asOfDay === undefined ? {} : { before: context.now };
    const [journeys, timeDecay, spend] = await Promise.all([
      pathModels.length === 0 ? undefined : data.journeys({
        range, lookbackDays: LOOKBACK_DAYS, dimension, withNonConverting: pathModels.includes('markov'), ...before,
      }),
      models.includes('time_decay')
        ? data.timeDecayCredits({ range, lookbackDays: LOOKBACK_DAYS, dimension, halfLifeDays: DEFAULT_HALF_LIFE_DAYS, ...before })
        : undefined,
      data.spendBy(range, dimension, timeZone),
    ]);
    const { orders, ordersWithoutTouches } = journeys ?? timeDecay ?? { orders: 0, ordersWithoutTouches: 0 };
    const start = fmt.date(range.start);
    const end = fmt.date(new Date(range.end.getTime() - 1));
    if (orders === 0) return fail({ kind: 'no_data', message: t('attribution.noOrders', { start, end }) });
    if (orders === ordersWithoutTouches) {
      return fail({ kind: 'no_data', message: t('attribution.noTouches', { orders: fmt.integer(orders), start, end, days: LOOKBACK_DAYS }) });
    }
    const notes: Block[] = [];
    if (ordersWithoutTouches > 0) {
      notes.push({ type: 'text', text: t('attribution.unattributed', { count: fmt.integer(ordersWithoutTouches), orders: fmt.integer(orders), days: LOOKBACK_DAYS }) });
    }
    const paths = journeys?.paths ?? [];
    const creditsOf = (model: AttributionModel): ChannelCredit[] =>
      (model === 'time_decay' ? timeDecay?.credits ?? [] : attribute(model, paths));
    const view = { period, dimension, context, paths, creditsOf, notes };
    return ok(selected === 'compare'
      ? compareReply(view)
      : modelReply(selected, creditsOf(selected), spend, view));
  },
});

interface View {
  period: PeriodPair;
  dimension: AttributionDimension;
  context: CommandContext;
  /** The journeys without ages; empty when time decay alone was asked for. */
  paths: readonly AttributionPath[];
  /** One model's credit: time decay from the store's sum, the others from `paths`. */
  creditsOf: (model: AttributionModel) => ChannelCredit[];
  notes: Block[];
}

function modelReply(model: AttributionModel, credits: ChannelCredit[], spend: { channel: string; spend: number }[], view: View): Reply {
  const { t, fmt } = view.context;
  const total = credits.reduce((sum, credit) => sum + credit.conversions, 0);
  const roasBy = new Map(computeRoas(credits, spend).map((row) => [row.channel, row]));
  // Channels that spent but earned no credit still belong in the table: they cost money.
  const rows = [...credits, ...spend.filter((s) => !credits.some((c) => c.channel === s.channel)).map((s) => ({ channel: s.channel, conversions: 0, revenue: 0 }))];
  const name = t(MODEL_NAME[model]);
  const top = credits[0]!;
  const noValue = fmt.delta(null);
  return reply({
    title: t('attribution.title', { model: name, dimension: dimensionWord(view), period: view.period.current.label }),
    summary: t('attribution.summary', {
      model: name, top: top.channel, conversions: fmt.number(top.conversions, 1), share: fmt.percent(top.conversions / total), revenue: fmt.money(top.revenue),
    }),
    blocks: [
      ...sufficiencyNote(model, view),
      {
        type: 'table',
        caption: t('attribution.caption', { days: LOOKBACK_DAYS }),
        columns: [
          { key: 'label', label: dimensionHeader(view), kind: 'text' },
          { key: 'conversions', label: t('attribution.conversions'), kind: 'number' },
          { key: 'revenue', label: t('attribution.revenue'), kind: 'money' },
          { key: 'share', label: t('attribution.share'), kind: 'percent' },
          { key: 'spend', label: t('attribution.spend'), kind: 'money' },
          { key: 'roas', label: t('attribution.roas'), kind: 'number' },
        ],
        rows: rows.map((row) => {
          const money = roasBy.get(row.channel);
          const roas = money?.roas ?? null;
          const spent = money?.spend ?? null;
          return [
            { text: row.channel, raw: row.channel },
            { text: fmt.number(row.conversions, 1), raw: row.conversions },
            { text: fmt.money(row.revenue), raw: row.revenue },
            { text: fmt.percent(row.conversions / total), raw: row.conversions / total },
            { text: spent === null ? noValue : fmt.money(spent), raw: spent },
            { text: roas === null ? noValue : `${fmt.number(roas, 2)}×`, raw: roas },
          ];
        }),
      },
      barChart({
        t,
        title: t('attribution.chartTitle', { model: name }),
        labels: credits.map((credit) => credit.channel),
        series: [{ label: t('attribution.conversions'), values: credits.map((credit) => roundForChart(credit.conversions)) }],
        horizontal: credits.length > MAX_VERTICAL_BARS,
      }),
      ...view.notes,
    ],
    actions: switchButtons(model, view),
  });
}

function compareReply(view: View): Reply {
  const { t, fmt } = view.context;
  const byModel = new Map(ATTRIBUTION_MODELS.map((model) => [model, new Map(view.creditsOf(model).map((credit) => [credit.channel, credit.conversions]))]));
  const credited = (model: AttributionModel, channel: string) => byModel.get(model)?.get(channel) ?? 0;
  // Rows in last-click order, the view most reports start from.
  const channels = [...(byModel.get('last_click')?.keys() ?? [])];
  const total = channels.reduce((sum, channel) => sum + credited('last_click', channel), 0);
  const gains = channels.map((channel) => ({ channel, gain: credited('markov', channel) - credited('last_click', channel) }));
  const best = gains.reduce((top, entry) => (entry.gain > top.gain ? entry : top), gains[0]!);
  const summary = best.gain < NEGLIGIBLE_GAIN
    ? t('attribution.compareNoGain')
    : t('attribution.compareSummary', {
      channel: best.channel, extra: fmt.number(best.gain, 1),
      from: fmt.percent(credited('last_click', best.channel) / total), to: fmt.percent(credited('markov', best.channel) / total),
      points: fmt.points(best.gain / total),
    });
  const series: ChartSeries[] = channels.map((channel) => ({
    label: channel,
    values: ATTRIBUTION_MODELS.map((model) => roundForChart(credited(model, channel))),
    ...(isChartChannel(channel) ? { channel } : {}),
  }));
  return reply({
    title: t('attribution.compareTitle', { dimension: dimensionWord(view), period: view.period.current.label }),
    summary,
    blocks: [
      ...sufficiencyNote('markov', view),
      {
        type: 'table',
        caption: t('attribution.caption', { days: LOOKBACK_DAYS }),
        columns: [
          { key: 'label', label: dimensionHeader(view), kind: 'text' },
          ...ATTRIBUTION_MODELS.map((model) => ({ key: model, label: t(MODEL_NAME[model]), kind: 'number' as const })),
        ],
        rows: channels.map((channel) => [
          { text: channel, raw: channel },
          ...ATTRIBUTION_MODELS.map((model) => ({ text: fmt.number(credited(model, channel), 1), raw: credited(model, channel) })),
        ]),
      },
      barChart({ t, title: t('attribution.compareChartTitle'), labels: ATTRIBUTION_MODELS.map((model) => t(MODEL_NAME[model])), series }),
      ...view.notes,
    ],
    actions: switchButtons('compare', view),
  });
}

/** The verdict as one sentence, only for the models that need enough data and only when it is lacking. */
function sufficiencyNote(model: AttributionModel, { paths, context: { t, fmt } }: View): Block[] {
  if (model !== 'markov' && model !== 'shapley') return [];
  const verdict = assessSufficiency(paths, model);
  if (verdict.sufficient) return [];
  const rare = verdict.reasons.flatMap((reason) => (reason.kind === 'rare_channel' ? [reason.channel] : []));
  const reasons = verdict.reasons.flatMap((reason) => {
    if (reason.kind === 'too_few_conversions') return [t('attribution.reasonFewConversions', { conversions: fmt.integer(reason.conversions), minimum: reason.minimum })];
    if (reason.kind === 'no_non_converting_journeys') return [t('attribution.reasonNoNulls')];
    return [];
  });
  if (rare.length > 0) reasons.push(t('attribution.reasonRareChannels', { channels: fmt.list(rare) }));
  return [{ type: 'text', text: t('attribution.insufficient', { model: t(MODEL_NAME[model]), reasons: reasons.join('; ') }) }];
}

function switchButtons(current: ModelChoice, { period, dimension, context: { t } }: View): Button[] {
  const by = dimension === 'campaign' ? ' by campaign' : '';
  return BUTTON_CHOICES.filter((choice) => choice !== current).map((choice) => ({
    id: 'attribution.model',
    label: choice === 'compare' ? t('attribution.compareButton') : t(MODEL_NAME[choice]),
    command: `attribution ${choice} ${period.current.label}${by}`,
  }));
}

/** Consumes the first model phrase among the free words, the longest one where several start there. */
function takeModel(words: Words): { choice: ModelChoice; text: string } | undefined {
  const free = words.leftover();
  for (let index = 0; index < free.length; index += 1) {
    const phrase = PHRASES.find((candidate) => candidate.words.every((word, offset) => free[index + offset] === word));
    if (!phrase) continue;
    for (const word of phrase.words) words.takeWord([word]);
    words.understood.push(phrase.choice);
    return { choice: phrase.choice, text: phrase.words.join(' ') };
  }
  return undefined;
}

/** The model a typo most likely meant (edit distance at most 2), for the "did you mean" line. */
function closestChoice(word: string): ModelChoice | undefined {
  let best: { choice: ModelChoice; distance: number } | undefined;
  for (const phrase of PHRASES) {
    if (phrase.words.length > 1) continue;
    const distance = editDistance(word, phrase.words[0]!);
    if (distance <= 2 && (!best || distance < best.distance)) best = { choice: phrase.choice, distance };
  }
  return best?.choice;
}

function isChartChannel(label: string): label is ChartChannel {
  return Object.hasOwn(CHANNEL_COLORS, label);
}

function dimensionWord({ dimension, context: { t } }: View): string {
  return dimension === 'campaign' ? t('attribution.byCampaign') : t('attribution.byChannel');
}

function dimensionHeader({ dimension, context: { t } }: View): string {
  return dimension === 'campaign' ? t('attribution.campaign') : t('attribution.channel');
}

/** Chart values carry two decimals: fractional credit beyond that is noise in a picture. */
function roundForChart(value: number): number {
  return Math.round(value * 100) / 100;
}
