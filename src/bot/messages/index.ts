import { commonMessages } from './common.js';
import { helpMessages } from './help.js';
import { kpiMessages } from './kpi.js';
import { rfmMessages } from './rfm.js';
import { churnMessages } from './churn.js';
import { attributionMessages } from './attribution.js';
import { segmentMessages } from './segment.js';
import { trackingMessages } from './tracking.js';
import { speedMessages } from './speed.js';
import { budgetMessages } from './budget.js';
import { changesMessages } from './changes.js';
import { incidentsMessages } from './incidents.js';
import { digestMessages } from './digest.js';
import { chatMessages } from './chat.js';
import { chartMessages } from './charts.js';
import { jobsMessages } from './jobs.js';
import { sourcesMessages } from './sources.js';
import { rolesMessages } from './roles.js';

/**
 * The one message catalog. Each topic file keeps English and Italian side by side and the
 * Italian half is typed by the English one, so a missing or mistyped translation fails the type check.
 */
const topics = [
  commonMessages, helpMessages, kpiMessages, rfmMessages, churnMessages, attributionMessages, segmentMessages, trackingMessages, speedMessages, budgetMessages, changesMessages, incidentsMessages, digestMessages, chatMessages, chartMessages, jobsMessages, sourcesMessages, rolesMessages,
] as const;

type Merge<T extends readonly { en: object }[]> = T extends readonly [infer Head extends { en: object }, ...infer Tail extends readonly { en: object }[]]
  ? Head['en'] & Merge<Tail>
  : unknown;
export type Catalog = Merge<typeof topics>;
export type MessageKey = keyof Catalog & string;
/** Keys whose text takes no parameters (command summaries, labels). */
export type StaticMessageKey = { [K in MessageKey]: Catalog[K] extends string ? K : never }[MessageKey];
export type Locale = 'en' | 'it';
export const LOCALES: readonly Locale[] = ['en', 'it'];

const catalogs: Record<Locale, Catalog> = {
  en: Object.assign({}, ...topics.map((topic) => topic.en)) as Catalog,
  it: Object.assign({}, ...topics.map((topic) => topic.it)) as Catalog,
};

type ParamsOf<K extends MessageKey> = Catalog[K] extends (params: infer P) => string ? [params: P] : [];
export type Translate = <K extends MessageKey>(key: K, ...params: ParamsOf<K>) => string;

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, ...params) => {
    const entry = catalog[key] as string | ((params: unknown) => string);
    return typeof entry === 'function' ? entry(params[0]) : entry;
  };
}
