import { z } from 'zod';

/**
 * A link we store and later show in chat (a deploy's page, a measured page): http or https only,
 * so a `javascript:` or `data:` URL from a webhook never becomes a clickable link.
 */
export const WebUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/** The same, where a sender may leave the field out, null or empty (GitHub sends "" for unset URLs). */
export const OptionalWebUrl = z.preprocess((value) => (value === '' ? null : value), WebUrl.nullish());
