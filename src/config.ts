import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * The one schema over the environment. `.env.example` documents every variable here;
 * `loadConfig` is the only reader of `process.env` (tests pass their own record).
 */

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const flag = z.preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).optional())
  .transform((value) => value === 'true' || value === '1');
const commaList = z.preprocess(emptyAsUndefined, z.string().optional())
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== ''));
const httpUrl = z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional());

/** "C123:it,19:abc@thread.skype:en" → per-channel locale overrides. */
const channelLocales = z.preprocess(emptyAsUndefined, z.string().optional()).transform((value, ctx) => {
  const result: Record<string, 'en' | 'it'> = {};
  for (const entry of (value ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
    const cut = entry.lastIndexOf(':');
    const locale = entry.slice(cut + 1);
    if (cut <= 0 || (locale !== 'en' && locale !== 'it')) {
      ctx.addIssue({ code: 'custom', message: `expected channel:locale pairs like C0123:it, got "${entry}"` });
      return z.NEVER;
    }
    result[entry.slice(0, cut)] = locale;
  }
  return result;
});

/** "slack:C0123" or "teams:19:abc@thread.tacv2" or "console". */
export const ChannelAddress = z.string().regex(/^(slack:[A-Z0-9]+|teams:.+|console|file)$/, 'expected slack:<channel id>, teams:<conversation id>, console or file');

export const ConfigSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('development')),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/, error: 'expected postgres://user@host:port/database' }).optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
  OUT_DIR: z.preprocess(emptyAsUndefined, z.string().default('./out')),
  LOCALE: z.preprocess(emptyAsUndefined, z.enum(['en', 'it']).default('en')),
  CHANNEL_LOCALES: channelLocales,
  CURRENCY: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like EUR').default('EUR')),
  TIME_ZONE: z.preprocess(emptyAsUndefined, z.string().default('UTC')).refine(isTimeZone, 'expected an IANA time zone like Europe/Rome'),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  RFM_SEGMENT_MAP: z.preprocess(emptyAsUndefined, z.string().optional()).refine((path) => path === undefined || existsSync(path), 'expected the path of an existing JSON file'),
  ATTRIBUTION_MODEL: z.preprocess(emptyAsUndefined, z.enum(['first_click', 'last_click', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'markov', 'shapley']).default('markov')),
  CUSTOMER_DATA_ALLOWLIST: commaList,
  // churn lists customers whose P(alive) is above this; the rest are counted as already gone.
  CHURN_MIN_P_ALIVE: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).lt(1, 'expected a probability like 0.1 (10 %), below 1').default(0.1)),
  ADMINS: commaList,
  DEV_OWNERS: commaList,
  MARKETING_OWNERS: commaList,
  DIGEST_OWNERS: commaList,

  SLACK_BOT_TOKEN: z.preprocess(emptyAsUndefined, z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-').optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(emptyAsUndefined, z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-').optional()),
  SLACK_API_URL: httpUrl,
  SLACK_ALLOWED_TEAMS: commaList,
  SLACK_SLASH_COMMAND: z.preprocess(emptyAsUndefined, z.string().regex(/^\/[a-z0-9_-]{1,31}$/, 'expected a slash command like /mkt (lowercase letters, digits, - or _)').default('/mkt')),

  TEAMS_APP_ID: optionalString,
  TEAMS_APP_PASSWORD: optionalString,
  TEAMS_TENANT_ID: optionalString,
  TEAMS_ALLOWED_TENANTS: commaList,
  TEAMS_ANONYMOUS_DEV: flag,
  TEAMS_LOGIN_URL: httpUrl,
  PUBLIC_URL: httpUrl,
  FILE_LINK_SECRET: optionalString,

  SCHEDULER: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).default('on')),
  CONSOLE: z.preprocess(emptyAsUndefined, z.enum(['auto', 'off']).default('auto')),
  DEV_CHANNEL: z.preprocess(emptyAsUndefined, ChannelAddress.default('console')),
  MARKETING_CHANNEL: z.preprocess(emptyAsUndefined, ChannelAddress.default('console')),
  MONITOR_EVENTS: commaList,
  MONITOR_BREACHES_TO_OPEN: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(20).optional()),
  MONITOR_HOLD_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(7 * 24 * 60).optional()),
  MONITOR_COOLDOWN_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(30 * 24 * 60).optional()),
  MONITOR_MIN_EXPECTED_EVENTS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).optional()),
  MONITOR_CAUSE_WINDOW_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(24 * 60).optional()),
  MONITOR_LCP_REGRESSION: z.preprocess(emptyAsUndefined, z.coerce.number().gt(0).max(10, 'expected a share like 0.25 (25 % slower)').optional()),

  GA4_PROPERTY_ID: z.preprocess(emptyAsUndefined, z.string().regex(/^\d+$/, 'expected the numeric GA4 property id').optional()),
  GOOGLE_APPLICATION_CREDENTIALS: z.preprocess(emptyAsUndefined, z.string().optional()).refine((path) => path === undefined || existsSync(path), 'expected the path of a service-account JSON key file'),
  GA4_API_URL: httpUrl,
  // A dataset id has no dots; a legacy domain-scoped project id ("example.com:shop") may.
  GA4_BIGQUERY_DATASET: z.preprocess(emptyAsUndefined, z.string().regex(/^[^\s`]+\.[A-Za-z0-9_]+$/, 'expected project.dataset, e.g. my-project.analytics_123456789').optional()),
  GA4_BIGQUERY_API_URL: httpUrl,
  PSI_API_KEY: optionalString,
  PSI_URLS: commaList,
  PSI_API_URL: httpUrl,
  CRUX_API_URL: httpUrl,
  GTM_ACCOUNT_ID: optionalString,
  GTM_CONTAINER_ID: optionalString,
  GTM_API_URL: httpUrl,
  DEPLOY_WEBHOOK_SECRET: optionalString,
  SHOPIFY_SHOP: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z0-9][a-z0-9-]*(\.myshopify\.com)?$/, 'expected the shop\'s myshopify name, e.g. my-shop or my-shop.myshopify.com').optional()),
  SHOPIFY_ACCESS_TOKEN: optionalString,
  SHOPIFY_API_URL: httpUrl,
  ORDERS_SOURCE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/, error: 'expected postgres://user@host:port/database' }).optional()),
  ORDERS_SOURCE_QUERY: z.preprocess(emptyAsUndefined, z.string().optional()).refine((path) => path === undefined || existsSync(path), 'expected the path of an existing .sql file'),
}).superRefine((env, ctx) => {
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)' });
  }
  if ((env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) && !env.SLACK_BOT_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set' });
  }
  if (env.TEAMS_APP_ID && !env.TEAMS_APP_PASSWORD) {
    ctx.addIssue({ code: 'custom', path: ['TEAMS_APP_PASSWORD'], message: 'required when TEAMS_APP_ID is set' });
  }
  if (env.TEAMS_APP_ID && !env.TEAMS_TENANT_ID) {
    ctx.addIssue({ code: 'custom', path: ['TEAMS_TENANT_ID'], message: 'required when TEAMS_APP_ID is set: the Entra tenant (directory) id of the app registration' });
  }
  if (env.SHOPIFY_SHOP && !env.SHOPIFY_ACCESS_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['SHOPIFY_ACCESS_TOKEN'], message: 'required when SHOPIFY_SHOP is set (the Admin API access token of a custom app with read_orders)' });
  }
  if (env.SHOPIFY_ACCESS_TOKEN && !env.SHOPIFY_SHOP) {
    ctx.addIssue({ code: 'custom', path: ['SHOPIFY_SHOP'], message: 'required when SHOPIFY_ACCESS_TOKEN is set' });
  }
  if (env.ORDERS_SOURCE_URL && !env.ORDERS_SOURCE_QUERY) {
    ctx.addIssue({ code: 'custom', path: ['ORDERS_SOURCE_QUERY'], message: 'required when ORDERS_SOURCE_URL is set (a .sql file whose columns are the orders contract plus updated_at)' });
  }
  if (env.ORDERS_SOURCE_QUERY && !env.ORDERS_SOURCE_URL) {
    ctx.addIssue({ code: 'custom', path: ['ORDERS_SOURCE_URL'], message: 'required when ORDERS_SOURCE_QUERY is set' });
  }
  if (env.GA4_PROPERTY_ID && !env.GOOGLE_APPLICATION_CREDENTIALS) {
    ctx.addIssue({ code: 'custom', path: ['GOOGLE_APPLICATION_CREDENTIALS'], message: 'required when GA4_PROPERTY_ID is set' });
  }
  if (env.GA4_BIGQUERY_DATASET && !env.GOOGLE_APPLICATION_CREDENTIALS) {
    ctx.addIssue({ code: 'custom', path: ['GOOGLE_APPLICATION_CREDENTIALS'], message: 'required when GA4_BIGQUERY_DATASET is set' });
  }
});

export type Config = z.infer<typeof ConfigSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Parses an environment record; each error is one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  // Values are never echoed: they may be tokens, secrets or URLs with passwords.
  const errors = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
  return { ok: false, errors };
}

/** Reads `.env` (if present) into process.env without overriding real variables, then parses. */
export function loadConfig(envFile = '.env'): ConfigResult {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}
