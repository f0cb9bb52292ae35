import { DAY_S } from '../../../analytics/time.js';
import type { AttributionDimension } from '../../../bot/data-port.js';

/**
 * What a journey is, in SQL (migration 017 states the rules): which visitor belongs to which
 * customer, which order each touch leads to, and which touches lead to none. The kept journeys
 * (order-journeys.ts) and the reads for another lookback (attribution.ts) both build on these
 * fragments, so the rules are written once.
 */

/** The SQL expression that names a touch (or a spend row) for a dimension; fixed text, never user input. */
export function labelOf(dimension: AttributionDimension, alias: string): string {
  return dimension === 'channel'
    ? `${alias}.channel`
    : `coalesce(nullif(${alias}.campaign, ''), '(' || ${alias}.channel || ')')`;
}

/**
 * The customers and visitors (anonymous ids) a statement covers: an SQL condition on an id
 * column. Fixed text built by the store, never user input.
 */
export interface JourneyScope {
  customer(column: string): string;
  visitor(column: string): string;
}

export const EVERY_IDENTITY: JourneyScope = { customer: () => 'true', visitor: () => 'true' };

/**
 * Each visitor's links to customers (the columns of visitor_links): the first touch carrying both
 * ids, or the visitor's on one of the customer's orders; the next link's start ends it.
 */
export function linksSelect(scope: JourneyScope): string {
  return `SELECT anonymous_id, customer_id, first_at,
                 lead(first_at) OVER visitor AS until_at,
                 row_number() OVER visitor = 1 AS is_first
            FROM (SELECT t.anonymous_id,
                         coalesce(t.customer_id, (SELECT o.customer_id FROM orders o WHERE o.id = t.order_id)) AS customer_id,
                         min(t.at) AS first_at
                    FROM touchpoints t
                   WHERE t.anonymous_id IS NOT NULL AND (t.customer_id IS NOT NULL OR t.order_id IS NOT NULL)
                     AND ${scope.visitor('t.anonymous_id')}
                   GROUP BY 1, 2) AS tied
           WHERE customer_id IS NOT NULL
          WINDOW visitor AS (PARTITION BY anonymous_id ORDER BY first_at, customer_id)`;
}

/** Whether touch `t` falls in link `l`: from its start (the first link: a lookback before it) until the next link. */
const inLink = (lookback: string): string =>
  `t.at >= CASE WHEN l.is_first THEN l.first_at - ${lookback} ELSE l.first_at END AND (l.until_at IS NULL OR t.at < l.until_at)`;

/** No existing order claims touch `t` (its order_id is empty or names no order). */
const isFree = 'NOT EXISTS (SELECT 1 FROM orders claimed WHERE claimed.id = t.order_id)';

/**
 * Every free touch of the scoped customers (their own, and their linked visitors' anonymous ones)
 * placed on the customer's timeline: orders_before counts the customer's orders before it, and
 * order_id is the next order (at or after the touch, ties by id) when it is within the lookback,
 * else NULL (a browsing touch). `links` names a relation with visitor_links' columns.
 *
 * Each customer's orders are collapsed into two sorted arrays once, and each touch finds its next
 * order by binary search (width_bucket): no sort of the touches, which outnumber the orders.
 */
export function placedTouchesSelect(scope: JourneyScope, lookback: string, links: string): string {
  return `WITH free AS (
            SELECT t.customer_id, t.id, t.at, t.channel, t.campaign
              FROM touchpoints t
             WHERE t.customer_id IS NOT NULL AND ${scope.customer('t.customer_id')} AND ${isFree}
            UNION ALL
            SELECT l.customer_id, t.id, t.at, t.channel, t.campaign
              FROM ${links} l JOIN touchpoints t ON t.anonymous_id = l.anonymous_id AND t.customer_id IS NULL AND ${inLink(lookback)}
             WHERE ${scope.customer('l.customer_id')} AND ${isFree}
          ), timelines AS (
            SELECT customer_id, array_agg(ordered_at ORDER BY ordered_at, id) AS ats, array_agg(id ORDER BY ordered_at, id) AS ids
              FROM orders o WHERE ${scope.customer('o.customer_id')}
             GROUP BY customer_id
          )
          SELECT f.customer_id, f.id, f.at, f.channel, f.campaign, placed.orders_before,
                 CASE WHEN tl.ats[placed.orders_before + 1] - f.at <= ${lookback} THEN tl.ids[placed.orders_before + 1] END AS order_id
            FROM free f
            LEFT JOIN timelines tl ON tl.customer_id = f.customer_id,
            -- Orders strictly before the touch: one at its very instant is the one it leads to.
            LATERAL (SELECT coalesce(width_bucket(f.at - interval '1 microsecond', tl.ats), 0) AS orders_before) AS placed`;
}

/**
 * The touches of each scoped order's journey: the placed touches that lead to it, and the touches
 * pinned to it by order_id within the lookback before it.
 */
export function orderTouchesSelect(scope: JourneyScope, lookback: string, placed: string): string {
  return `SELECT order_id, id, at, channel, campaign FROM ${placed} WHERE order_id IS NOT NULL
          UNION ALL
          SELECT o.id, t.id, t.at, t.channel, t.campaign
            FROM orders o JOIN touchpoints t ON t.order_id = o.id
           WHERE ${scope.customer('o.customer_id')} AND t.at <= o.ordered_at AND t.at >= o.ordered_at - ${lookback}`;
}

/**
 * The touches of browsing journeys, keyed by identity ('c:' customer, 'a:' visitor) and stretch
 * (after_orders): a customer's placed touches that lead to no order, and a scoped visitor's
 * anonymous free touches that no link gives to a customer.
 */
export function browsingTouchesSelect(scope: JourneyScope, lookback: string, placed: string, links: string): string {
  return `SELECT 'c:' || customer_id AS identity, orders_before AS after_orders, id, at, channel, campaign
            FROM ${placed} WHERE order_id IS NULL
          UNION ALL
          SELECT 'a:' || t.anonymous_id, 0, t.id, t.at, t.channel, t.campaign
            FROM touchpoints t
           WHERE t.customer_id IS NULL AND ${scope.visitor('t.anonymous_id')} AND ${isFree}
             AND NOT EXISTS (SELECT 1 FROM ${links} l WHERE l.anonymous_id = t.anonymous_id AND ${inLink(lookback)})`;
}

/** A path of touch labels in time order (ties by id), joined by chr(31). */
export const pathOf = (dimension: AttributionDimension, alias: string): string =>
  `string_agg(${labelOf(dimension, alias)}, chr(31) ORDER BY ${alias}.at, ${alias}.id)`;

/**
 * One row per scoped order (order_journeys' columns): its touches as channel and campaign paths
 * with the whole days from each touch to the order; NULL paths for an order without a touch.
 */
export function orderJourneysSelect(scope: JourneyScope, touches: string): string {
  return `SELECT o.id AS order_id, o.customer_id, o.ordered_at, o.revenue,
                 ${pathOf('channel', 't')} AS channel_path,
                 ${pathOf('campaign', 't')} AS campaign_path,
                 string_agg(round(extract(epoch FROM o.ordered_at - t.at) / ${DAY_S})::int::text, ',' ORDER BY t.at, t.id) AS ages
            FROM orders o LEFT JOIN (${touches}) AS t ON t.order_id = o.id
           WHERE ${scope.customer('o.customer_id')}
           GROUP BY o.id, o.customer_id, o.ordered_at, o.revenue`;
}

/** One row per browsing journey (browsing_journeys' columns) from its touches. */
export function browsingJourneysSelect(touches: string): string {
  return `SELECT identity, after_orders, min(t.at) AS first_at, max(t.at) AS last_at,
                 ${pathOf('channel', 't')} AS channel_path,
                 ${pathOf('campaign', 't')} AS campaign_path,
                 array_agg(t.at ORDER BY t.at, t.id) AS ats
            FROM (${touches}) AS t
           GROUP BY identity, after_orders`;
}
