import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';

describe('configuration', () => {
  it('starts with no variables at all: terminal, embedded database, English, EUR', () => {
    const result = parseConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({ DATA_DIR: './.data', LOCALE: 'en', CURRENCY: 'EUR', TIME_ZONE: 'UTC', PORT: 3000 });
    expect(result.config.DATABASE_URL).toBeUndefined();
  });

  it('names each malformed variable on one line with the form it expects, without echoing values', () => {
    const result = parseConfig({ DATABASE_URL: 'mysql://root@localhost/x', LOCALE: 'fr', PORT: 'eighty', TIME_ZONE: 'Mars/Olympus', SLACK_BOT_TOKEN: 'xoxp-secret-user-token' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(5);
    expect(result.errors.find((line) => line.startsWith('DATABASE_URL:'))).toContain('postgres://');
    expect(result.errors.find((line) => line.startsWith('LOCALE:'))).toMatch(/"en"|en/);
    expect(result.errors.find((line) => line.startsWith('TIME_ZONE:'))).toContain('IANA time zone');
    expect(result.errors.find((line) => line.startsWith('SLACK_BOT_TOKEN:'))).toContain('xoxb-');
    expect(result.errors.join('\n')).not.toContain('xoxp-secret-user-token');
  });

  it("reads churn's P(alive) floor as a probability below 1, 0.1 by default", () => {
    const defaults = parseConfig({});
    expect(defaults.ok && defaults.config.CHURN_MIN_P_ALIVE).toBe(0.1);
    const set = parseConfig({ CHURN_MIN_P_ALIVE: '0.25' });
    expect(set.ok && set.config.CHURN_MIN_P_ALIVE).toBe(0.25);
    for (const bad of ['1', '-0.1', 'ten percent']) {
      const result = parseConfig({ CHURN_MIN_P_ALIVE: bad });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toHaveLength(1);
      if (!result.ok) expect(result.errors[0]).toMatch(/^CHURN_MIN_P_ALIVE: /);
    }
  });

  it('requires the Slack signing secret or app token with a bot token', () => {
    const result = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(result).toEqual({ ok: false, errors: ['SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)'] });
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).ok).toBe(true);
  });

  it('requires the Teams secret and tenant with an app id', () => {
    expect(parseConfig({ TEAMS_APP_ID: 'app' })).toEqual({ ok: false, errors: [
      'TEAMS_APP_PASSWORD: required when TEAMS_APP_ID is set',
      'TEAMS_TENANT_ID: required when TEAMS_APP_ID is set: the Entra tenant (directory) id of the app registration',
    ] });
    expect(parseConfig({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'secret', TEAMS_TENANT_ID: 'tenant' }).ok).toBe(true);
  });

  it('asks for the other half of the Shopify and the shop-database settings, and accepts both halves', () => {
    expect(parseConfig({ SHOPIFY_SHOP: 'my-shop' })).toEqual({ ok: false, errors: ['SHOPIFY_ACCESS_TOKEN: required when SHOPIFY_SHOP is set (the Admin API access token of a custom app with read_orders)'] });
    expect(parseConfig({ SHOPIFY_SHOP: 'https://my-shop.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_1' })).toEqual({ ok: false, errors: ["SHOPIFY_SHOP: expected the shop's myshopify name, e.g. my-shop or my-shop.myshopify.com"] });
    expect(parseConfig({ SHOPIFY_SHOP: 'my-shop.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_1' }).ok).toBe(true);
    expect(parseConfig({ ORDERS_SOURCE_URL: 'postgres://reader@db.shop.example/shop' })).toEqual({ ok: false, errors: ['ORDERS_SOURCE_QUERY: required when ORDERS_SOURCE_URL is set (a .sql file whose columns are the orders contract plus updated_at)'] });
    expect(parseConfig({ ORDERS_SOURCE_URL: 'postgres://reader@db.shop.example/shop', ORDERS_SOURCE_QUERY: 'package.json' }).ok).toBe(true);
  });

  it('reads per-channel locales and comma lists', () => {
    const result = parseConfig({ CHANNEL_LOCALES: 'C0123:it, 19:abc@thread.tacv2:en', CUSTOMER_DATA_ALLOWLIST: 'C1, U2 ,' });
    expect(result.ok && result.config.CHANNEL_LOCALES).toEqual({ C0123: 'it', '19:abc@thread.tacv2': 'en' });
    expect(result.ok && result.config.CUSTOMER_DATA_ALLOWLIST).toEqual(['C1', 'U2']);
    expect(parseConfig({ CHANNEL_LOCALES: 'C0123:fr' }).ok).toBe(false);
  });
});
