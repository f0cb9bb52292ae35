import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSources } from '../../../src/adapters/sources/check.js';
import type { ShopifyIngestOptions } from '../../../src/adapters/sources/shopify.js';
import { ingestShopify } from '../../../src/adapters/sources/shopify.js';
import type { Config } from '../../../src/config.js';
import { runJob } from '../../../src/jobs/run-job.js';
import { jobs } from '../../../src/jobs/registry.js';
import { clearData, testDbKind, useTestDb } from '../../support/db.js';
import { testJobContext } from '../../jobs/job-context.js';
import { configFrom } from './support/google-test-server.js';
import type { ShopifyStandIn } from './support/shopify-stand-in.js';
import { readOrderNodes, startShopifyStandIn } from './support/shopify-stand-in.js';

// test/fixtures/shopify: orders in the Admin API's shapes, shop money in EUR and presentment
// money in USD. After the backfill: 5001001 at 120.00, 5001002 at 80.00 − 30.00 refunded, the
// cancelled 5001003 and the test order 5001004 left out, the POS sale 5001005 without a customer,
// 5001006 fully refunded (0.00).
const BACKFILLED = [
  { id: '5001001', customer_id: '7001', ordered_at: new Date('2026-10-02T09:15:00Z'), revenue: 120, currency: 'EUR' },
  { id: '5001002', customer_id: '7002', ordered_at: new Date('2026-10-05T17:40:31Z'), revenue: 50, currency: 'EUR' },
  { id: '5001005', customer_id: 'guest-5001005', ordered_at: new Date('2026-10-20T14:22:10Z'), revenue: 15.9, currency: 'EUR' },
  { id: '5001006', customer_id: '7003', ordered_at: new Date('2026-10-28T19:05:00Z'), revenue: 0, currency: 'EUR' },
];

describe(`Shopify orders connector against a stand-in of the Admin GraphQL API, on ${testDbKind}`, () => {
  const test = useTestDb();
  let stand: ShopifyStandIn;
  let config: Config;
  const sleeps: number[] = [];
  const options = (extra: ShopifyIngestOptions = {}): ShopifyIngestOptions => ({
    retry: { sleep: async (ms) => { sleeps.push(ms); stand.advance(ms); }, maxAttempts: 4, baseDelayMs: 1_000 },
    now: () => stand.nowMs,
    pollIntervalMs: 5_000,
    ...extra,
  });
  const orders = () => test.db.query('SELECT id, customer_id, ordered_at, revenue, currency FROM orders ORDER BY id');
  const cursor = async () => (await test.db.query<{ position: unknown }>(`SELECT position FROM source_cursors WHERE source = 'shopify'`))[0]?.position;
  const graphqlQueries = () => stand.requests.filter((request) => request.method === 'POST').map((request) => JSON.parse(request.body) as { query: string; variables?: Record<string, unknown> });

  beforeEach(async () => {
    await clearData(test.db);
    await test.db.exec('DELETE FROM source_cursors; DELETE FROM exchange_rates');
    stand = await startShopifyStandIn({ orders: readOrderNodes('orders_backfill.jsonl') });
    config = configFrom({ SHOPIFY_SHOP: 'stand-in-shop', SHOPIFY_ACCESS_TOKEN: stand.token, SHOPIFY_API_URL: stand.url, CURRENCY: 'EUR' });
    sleeps.length = 0;
  });
  afterEach(async () => stand.close());

  it('backfills every order with a bulk operation, in shop money, without cancelled or test orders', async () => {
    const run = await ingestShopify(test.db, config, options());
    expect(run).toEqual({ ok: true, value: { mode: 'backfill', ordersRead: 6, written: 4, removed: 0, customersCreated: 4 } });
    expect(await orders()).toEqual(BACKFILLED);
    // One mutation, polled until COMPLETED with one wait in between, then the file.
    const [mutation] = graphqlQueries();
    expect(mutation?.query).toContain('bulkOperationRunQuery');
    expect(String(mutation?.variables?.query)).toContain('totalPriceSet { shopMoney { amount currencyCode } }');
    expect(String(mutation?.variables?.query)).not.toContain('presentmentMoney');
    expect(sleeps).toEqual([5_000]);
    expect(stand.requests.filter((request) => request.path.startsWith('/bulk/'))).toHaveLength(1);
    // The next run reads what was updated from the moment the operation was created.
    expect(await cursor()).toEqual({ updatedSince: '2026-11-20T10:00:00Z' });
    expect(await test.db.query('SELECT id, first_order_at FROM customers ORDER BY id')).toEqual([
      { id: '7001', first_order_at: new Date('2026-10-02T09:15:00Z') },
      { id: '7002', first_order_at: new Date('2026-10-05T17:40:31Z') },
      { id: '7003', first_order_at: new Date('2026-10-28T19:05:00Z') },
      { id: 'guest-5001005', first_order_at: new Date('2026-10-20T14:22:10Z') },
    ]);
  });

  it('reads only orders updated since its cursor: a refund lowers revenue, a cancellation removes the order, and a rerun duplicates nothing', async () => {
    expect((await ingestShopify(test.db, config, options())).ok).toBe(true);
    stand.update(readOrderNodes('orders_updated_later.jsonl'));

    const run = await ingestShopify(test.db, config, options({ pageOrders: 2 }));
    expect(run).toEqual({ ok: true, value: { mode: 'incremental', ordersRead: 5, written: 4, removed: 1, customersCreated: 1 } });
    expect(graphqlQueries().at(-3)?.variables).toEqual({ first: 2, after: null, query: "updated_at:>='2026-11-20T10:00:00Z'" });
    expect(await orders()).toEqual([
      { ...BACKFILLED[0], revenue: 100 },
      BACKFILLED[2], BACKFILLED[3],
      { id: '5001007', customer_id: '7002', ordered_at: new Date('2026-11-20T12:10:00Z'), revenue: 55, currency: 'EUR' },
      { id: '5001008', customer_id: '7005', ordered_at: new Date('2026-11-20T12:10:00Z'), revenue: 19.99, currency: 'EUR' },
      { id: '5001009', customer_id: '7001', ordered_at: new Date('2026-11-20T23:30:00Z'), revenue: 210.4, currency: 'EUR' },
    ]);
    expect(await cursor()).toEqual({ updatedSince: '2026-11-20T23:30:01Z' });
    // 7002's only order left is the new one.
    expect(await test.db.query(`SELECT first_order_at FROM customers WHERE id = '7002'`)).toEqual([{ first_order_at: new Date('2026-11-20T12:10:00Z') }]);

    const before = await orders();
    const rerun = await ingestShopify(test.db, config, options({ pageOrders: 2 }));
    // The order at the cursor's own instant is read again (an order updated in that second may follow it) and changes nothing.
    expect(rerun).toEqual({ ok: true, value: { mode: 'incremental', ordersRead: 1, written: 0, removed: 0, customersCreated: 0 } });
    expect(await orders()).toEqual(before);
  });

  it('waits for the query-cost bucket to refill instead of being throttled, and retries a THROTTLED answer after the wait it names', async () => {
    expect((await ingestShopify(test.db, config, options())).ok).toBe(true);
    stand.update(readOrderNodes('orders_updated_later.jsonl'));
    // 10 points left, 50 restored a second; a page of 2 orders asks for 2 + 2 × 5 = 12.
    stand.bucket.currentlyAvailable = 10;
    stand.bucket.restoreRate = 50;
    sleeps.length = 0;

    const run = await ingestShopify(test.db, config, options({ pageOrders: 2 }));
    expect(run.ok && run.value.ordersRead).toBe(5);
    // The first page is throttled: (12 − 10) / 50 s = 40 ms. Each later page waits for 12 points
    // from an empty bucket, 240 ms, before it asks, and is never throttled.
    expect(stand.throttled).toBe(1);
    expect(sleeps).toEqual([40, 240, 240]);
    expect(await test.db.query('SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 6 }]);
  });

  it('picks up a bulk operation still running after one run\'s polls in the next run, without starting another', async () => {
    stand.bulkStatuses = [{ status: 'RUNNING' }, { status: 'RUNNING' }, { status: 'RUNNING' }, { status: 'COMPLETED' }];
    const first = await ingestShopify(test.db, config, options({ maxPolls: 2 }));
    expect(first).toEqual({ ok: true, value: { mode: 'backfill_running', ordersRead: 0, written: 0, removed: 0, customersCreated: 0 } });
    expect(await cursor()).toEqual({ backfillOperationId: 'gid://shopify/BulkOperation/4046733967549' });
    expect(await orders()).toEqual([]);

    const second = await ingestShopify(test.db, config, options({ maxPolls: 2 }));
    expect(second.ok && second.value.mode).toBe('backfill');
    expect(graphqlQueries().filter((request) => request.query.includes('bulkOperationRunQuery'))).toHaveLength(1);
    expect(await orders()).toEqual(BACKFILLED);
  });

  it('fails a run whose bulk operation failed, naming its error code, and starts a new backfill next time', async () => {
    stand.bulkStatuses = [{ status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR' }];
    const failed = await ingestShopify(test.db, config, options());
    expect(failed).toEqual({ ok: false, error: { source: 'shopify', reason: 'unavailable', message: "the backfill's bulk operation gid://shopify/BulkOperation/4046733967549 ended FAILED (INTERNAL_SERVER_ERROR); the next run starts a new one" } });
    expect(await cursor()).toBeUndefined();

    stand.bulkStatuses = [{ status: 'COMPLETED' }];
    const again = await ingestShopify(test.db, config, options());
    expect(again.ok && again.value.mode).toBe('backfill');
    expect(graphqlQueries().filter((request) => request.query.includes('bulkOperationRunQuery'))).toHaveLength(2);
  });

  it('refuses shop money in a currency without rates, naming the order, and stores it once a rate is imported', async () => {
    const usd = configFrom({ SHOPIFY_SHOP: 'stand-in-shop', SHOPIFY_ACCESS_TOKEN: stand.token, SHOPIFY_API_URL: stand.url, CURRENCY: 'USD', TIME_ZONE: 'UTC' });
    const refused = await ingestShopify(test.db, usd, options());
    expect(refused).toEqual({ ok: false, error: { source: 'shopify', reason: 'rejected', message: 'order 5001001: EUR 120 cannot be converted to USD: no EUR rate on or before 2026-10-02; import rates with mkt import rates <file.csv> (and 3 more orders)' } });
    expect(await orders()).toEqual([]);
    expect(await cursor()).toEqual({ backfillOperationId: 'gid://shopify/BulkOperation/4046733967549' });

    // One USD buys 0.8 EUR from 2026-10-01 on: EUR 120 is USD 150.
    await test.db.query(`INSERT INTO exchange_rates (currency, day, rate) VALUES ('EUR', '2026-10-01', 0.8)`);
    const stored = await ingestShopify(test.db, usd, options());
    expect(stored.ok).toBe(true);
    expect(await test.db.query(`SELECT id, revenue, currency FROM orders ORDER BY id`)).toEqual([
      { id: '5001001', revenue: 150, currency: 'USD' }, { id: '5001002', revenue: 62.5, currency: 'USD' },
      { id: '5001005', revenue: 19.88, currency: 'USD' }, { id: '5001006', revenue: 0, currency: 'USD' },
    ]);
  });

  it('reports a refused access token as an auth failure, and mkt sources check says so in one line', async () => {
    const wrong = configFrom({ SHOPIFY_SHOP: 'stand-in-shop', SHOPIFY_ACCESS_TOKEN: 'shpat_wrong', SHOPIFY_API_URL: stand.url });
    const run = await ingestShopify(test.db, wrong, options());
    expect(run).toEqual({ ok: false, error: { source: 'shopify', reason: 'auth', status: 401, message: 'the access token was refused: [API] Invalid API key or access token (unrecognized login or wrong password)' } });
    expect((await checkSources(wrong)).find((check) => check.source === 'shopify')).toEqual({
      source: 'shopify', status: 'failing', detail: 'auth (HTTP 401): the access token was refused: [API] Invalid API key or access token (unrecognized login or wrong password)',
    });
    expect((await checkSources(config)).find((check) => check.source === 'shopify')).toEqual({ source: 'shopify', status: 'ok', detail: 'Stand-in Shop answers; shop money in EUR, the CURRENCY' });
  });

  it('runs as the scheduled ingest-shopify job', async () => {
    stand.bulkStatuses = [{ status: 'COMPLETED' }];
    const job = jobs.find((candidate) => candidate.name === 'ingest-shopify');
    expect(job?.schedule).toBe('*/15 * * * *');
    const context = { ...testJobContext(test.db), config };
    const result = await runJob(job!, context, { asOf: new Date('2026-11-20T10:15:00Z'), holder: 'test', now: () => new Date('2026-11-20T10:15:00Z') });
    expect(result).toMatchObject({ kind: 'ran', outcome: 'ok', summary: 'backfill: 6 orders read, 4 written, 0 removed (cancelled or test), 4 new customers' });
    expect(await orders()).toEqual(BACKFILLED);
  });
});
