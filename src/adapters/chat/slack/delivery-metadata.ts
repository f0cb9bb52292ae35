/**
 * The Slack message metadata type our posts carry, with the queue's delivery id as payload, so a post
 * whose sending was cut off by a crash can be found in the channel's history instead of sent twice.
 */
export const DELIVERY_EVENT_TYPE = 'mkt_delivery';

export function deliveryMetadata(deliveryId: string) {
  return { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery_id: deliveryId } } };
}
