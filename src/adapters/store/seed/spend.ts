import { DAY_MS } from '../../../analytics/time.js';
import { isoDay } from './calendar.js';
import type { ShopCalendar } from './calendar.js';
import { ALWAYS_ON } from './channels.js';
import type { Channel, SeasonalCampaign } from './channels.js';
import { logNormal } from './random.js';
import type { Random } from './random.js';
import type { SeedWriter } from './seed-writer.js';

// Marketing cost per shop order by channel (EUR): about 8 EUR in all, some 12 % of an average order.
const COST_PER_ORDER_EUR: Partial<Record<Channel, number>> = { paid_search: 3.2, paid_social: 2.6, display: 1.2, affiliate: 1.1, email: 0.15 };
const SPEND_CHANNELS = Object.keys(COST_PER_ORDER_EUR) as Channel[];
// A running seasonal campaign takes this share of each channel it runs on, on top of the always-on plan.
const SEASONAL_BOOST = 0.35;
// Caps are set a little above the plan, so a normal month lands at 90-95 % of its cap.
const CAP_HEADROOM = 1.08;
// The overpacing story: these channels spend a third above plan this month.
const OVERPACE_FACTOR = 1.35;

export interface SpendPlan {
  calendar: ShopCalendar;
  seasonal: readonly SeasonalCampaign[];
  /** Shop orders expected on a day, from demand; spend follows it without depending on the day's luck. */
  expectedOrders: (day: number) => number;
  overpacing: readonly Channel[];
  /** The shop's currency, the label of every cost and cap. */
  currency: string;
}

// People set caps in round numbers: 12,000 or 450, whatever the shop's size.
function roundToTwoFigures(value: number): number {
  if (value <= 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}

const monthStartMs = (ms: number): number => Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth(), 1);

/** The planned cost of each campaign of `channel` on `day`, before noise and overpacing. */
function plannedCampaignCosts(plan: SpendPlan, channel: Channel, day: number): { campaign: string; cost: number }[] {
  const base = plan.expectedOrders(day) * (COST_PER_ORDER_EUR[channel] ?? 0);
  const noonMs = plan.calendar.startMs + day * DAY_MS + DAY_MS / 2;
  const costs = ALWAYS_ON.filter((campaign) => campaign.channel === channel).map((campaign) => ({ campaign: campaign.name, cost: base * campaign.spendShare }));
  for (const campaign of plan.seasonal) {
    if (campaign.channels.includes(channel) && campaign.startMs <= noonMs && noonMs < campaign.endMs) costs.push({ campaign: campaign.name, cost: base * SEASONAL_BOOST });
  }
  return costs;
}

/** Daily spend per channel and campaign over the whole window. */
export function writeSpend(writer: SeedWriter, random: Random, plan: SpendPlan): void {
  const { calendar } = plan;
  const currentMonthMs = monthStartMs(calendar.endMs - 1);
  for (let day = 0; day < calendar.days; day += 1) {
    const dayMs = calendar.startMs + day * DAY_MS;
    for (const channel of SPEND_CHANNELS) {
      const overpace = dayMs >= currentMonthMs && plan.overpacing.includes(channel) ? OVERPACE_FACTOR : 1;
      for (const { campaign, cost } of plannedCampaignCosts(plan, channel, day)) {
        writer.add('spend', [isoDay(dayMs), channel, campaign, Math.round(cost * overpace * logNormal(random, 1, 0.12) * 100) / 100, plan.currency]);
      }
    }
  }
}

/** A cap per spending channel per calendar month: the month's planned daily spend times its days, plus headroom. */
export function writeBudgets(writer: SeedWriter, plan: SpendPlan): void {
  const { calendar } = plan;
  const months = new Map<number, { days: number; planned: Map<Channel, number> }>();
  for (let day = 0; day < calendar.days; day += 1) {
    const monthMs = monthStartMs(calendar.startMs + day * DAY_MS);
    const month = months.get(monthMs) ?? { days: 0, planned: new Map<Channel, number>() };
    month.days += 1;
    for (const channel of SPEND_CHANNELS) {
      const planned = plannedCampaignCosts(plan, channel, day).reduce((total, { cost }) => total + cost, 0);
      month.planned.set(channel, (month.planned.get(channel) ?? 0) + planned);
    }
    months.set(monthMs, month);
  }
  for (const [monthMs, month] of months) {
    const date = new Date(monthMs);
    const lastDayMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
    const daysInMonth = Math.round((lastDayMs - monthMs) / DAY_MS) + 1;
    for (const channel of SPEND_CHANNELS) {
      const cap = ((month.planned.get(channel) ?? 0) / month.days) * daysInMonth * CAP_HEADROOM;
      writer.add('budgets', [channel, isoDay(monthMs), isoDay(lastDayMs), roundToTwoFigures(cap), plan.currency]);
    }
  }
}
