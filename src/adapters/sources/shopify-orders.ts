import { z } from 'zod';
import type { OrderRow } from './order-writer.js';

/**
 * The order fields read from the Admin API (shopify.dev, GraphQL Admin API, object Order). Money
 * is the MoneyBag's shopMoney, in the shop's currency: presentmentMoney is what the buyer saw and
 * differs on multi-currency shops.
 */
export const ORDER_FIELDS = `id legacyResourceId processedAt updatedAt cancelledAt test
  customer { legacyResourceId }
  totalPriceSet { shopMoney { amount currencyCode } }
  totalRefundedSet { shopMoney { amount currencyCode } }`;

const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount');
const ShopMoney = z.object({ shopMoney: z.object({ amount: Decimal, currencyCode: z.string().regex(/^[A-Z]{3}$/) }) });
const DateTime = z.iso.datetime({ offset: true });

export const ShopifyOrder = z.object({
  id: z.string(),
  legacyResourceId: z.string().regex(/^\d+$/),
  processedAt: DateTime,
  updatedAt: DateTime,
  cancelledAt: DateTime.nullable(),
  test: z.boolean(),
  customer: z.object({ legacyResourceId: z.string().regex(/^\d+$/) }).nullable(),
  totalPriceSet: ShopMoney,
  totalRefundedSet: ShopMoney,
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

/** What an order becomes in the data contract: a row to keep, or an id to drop. */
export type OrderChange = { kind: 'keep'; row: OrderRow } | { kind: 'remove'; id: string };

/**
 * Orders are keyed by their numeric id (legacyResourceId, the id of the Shopify admin and of
 * GA4's purchase events), customers by theirs. A cancelled order, or a test order, is no sale: it is
 * removed (it may have been stored before it was cancelled). Revenue is the total less what was
 * refunded, never below zero; an order without a customer (a POS sale) is its own guest customer.
 */
export function orderChange(order: ShopifyOrder): OrderChange {
  const id = order.legacyResourceId;
  if (order.cancelledAt !== null || order.test) return { kind: 'remove', id };
  const netCents = cents(order.totalPriceSet.shopMoney.amount) - cents(order.totalRefundedSet.shopMoney.amount);
  return {
    kind: 'keep',
    row: {
      id,
      customerId: order.customer?.legacyResourceId ?? `guest-${id}`,
      orderedAt: new Date(order.processedAt),
      revenue: Math.max(0, netCents) / 100,
      currency: order.totalPriceSet.shopMoney.currencyCode,
    },
  };
}

/** Whole cents of a decimal string, without binary floating point in the subtraction. */
function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}
