import type { AdaptiveCard } from './card-types.js';

/**
 * Teams' message limit is quoted as ~100 KB, 40 KB and 28 KB on different pages (PLATFORMS.md),
 * counted in UTF-16 with base64 pictures excluded; 28 KB is the smallest, so every reading holds.
 */
export const TEAMS_CARD_BUDGET_BYTES = 28 * 1024;

/** The card's size as Teams counts it: UTF-16 bytes, data-URI pictures left out. */
export function cardJsonBytes(card: AdaptiveCard): number {
  const json = JSON.stringify(card, (_key, value: unknown) => (typeof value === 'string' && value.startsWith('data:') ? '' : value));
  return json.length * 2;
}
