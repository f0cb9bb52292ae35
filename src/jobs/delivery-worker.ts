import { randomBytes } from 'node:crypto';
import type { Db } from '../adapters/store/db.js';
import { claimDueRows, nextDueAt } from '../adapters/store/queries/outbox.js';
import type { Logger } from '../log.js';
import { isStoreUnavailable } from '../bot/store-unavailable.js';
import type { Locale } from '../bot/messages/index.js';
import type { ChatPlatform, ChatPoster } from '../bot/outbound.js';
import type { RowOutcome } from './deliver-row.js';
import { deliverRow } from './deliver-row.js';
import type { RetrySettings } from './retry-policy.js';
import { DEFAULT_RETRY_SETTINGS } from './retry-policy.js';

export interface DeliveryWorkerOptions {
  db: Db;
  posters: ReadonlyMap<string, ChatPoster>;
  clock: () => Date;
  log: Logger;
  /** Least time between two posts to one channel, per platform (Slack allows about 1 message/s per channel). */
  pacingMs?: Partial<Record<ChatPlatform, number>>;
  pollMs?: number;
  retry?: RetrySettings;
  random?: () => number;
  /** Names this worker in claims; unique per process by default. */
  holder?: string;
  /** The language of notes the queue adds itself (a reply made smaller); English when not given. */
  localeFor?: (channelId: string) => Locale;
}

export interface DeliveryCounts { delivered: number; retried: number; failed: number }

export interface DeliveryWorker {
  /** One pass: claims the due head of every channel's queue and attempts each once. */
  deliverDue(): Promise<DeliveryCounts>;
  /** Asks for a pass soon (debounced), e.g. right after a transaction that enqueued posts commits. */
  kick(): void;
  start(): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
  /** Resolves when the passes started so far (by kick, poll or pacing) are done. */
  settled(): Promise<void>;
}

export const DEFAULT_PACING_MS: Partial<Record<ChatPlatform, number>> = { slack: 1_000, teams: 1_000 };
const DEFAULT_POLL_MS = 5_000;
const KICK_DEBOUNCE_MS = 100;
// Longer than any single post should take; a worker that dies mid-post frees its rows after this.
const CLAIM_MS = 60_000;
const CLAIM_BATCH = 25;
const MAX_ROUNDS_PER_PASS = 50;

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const holder = options.holder ?? `delivery-${randomBytes(4).toString('hex')}`;
  const pacingMs = options.pacingMs ?? DEFAULT_PACING_MS;
  /** "platform:channel" → when its last post was delivered and how long that channel must rest. */
  const lastPost = new Map<string, { atMs: number; restMs: number }>();
  let timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (clock ms): an earlier wake replaces it, a later one waits for it. */
  let timerDueMs = Infinity;
  let poller: NodeJS.Timeout | undefined;
  let isStopped = false;
  let running: Promise<void> = Promise.resolve();

  const pacedChannels = (nowMs: number): string[] =>
    [...lastPost].filter(([, last]) => nowMs - last.atMs < last.restMs).map(([key]) => key);

  /** One claim of due channel heads, each attempted once. */
  async function deliverClaimed(counts: DeliveryCounts): Promise<number> {
    const now = options.clock();
    const rows = await claimDueRows(options.db, {
      holder, now, claimUntil: new Date(now.getTime() + CLAIM_MS), platforms: [...options.posters.keys()], pacedChannels: pacedChannels(now.getTime()), limit: CLAIM_BATCH,
    });
    const context = {
      db: options.db, posters: options.posters, holder, now, random: options.random ?? Math.random, retry: options.retry ?? DEFAULT_RETRY_SETTINGS, log: options.log,
      localeFor: options.localeFor ?? (() => 'en' as const),
    };
    let delivered = 0;
    for (const row of rows) {
      const outcome: RowOutcome = await deliverRow(row, context);
      counts[outcome] += 1;
      if (outcome !== 'delivered') continue;
      delivered += 1;
      const restMs = pacingMs[options.posters.get(row.platform)?.platform ?? 'console'] ?? 0;
      if (restMs > 0) lastPost.set(`${row.platform}:${row.channelId}`, { atMs: now.getTime(), restMs });
    }
    return delivered;
  }

  /** Claims again while claims deliver: an unpaced channel (console, file) drains in one call, a paced one waits. */
  async function deliverDue(): Promise<DeliveryCounts> {
    const counts: DeliveryCounts = { delivered: 0, retried: 0, failed: 0 };
    for (let round = 0; round < MAX_ROUNDS_PER_PASS; round += 1) {
      if (await deliverClaimed(counts) === 0) break;
    }
    return counts;
  }

  /**
   * Passes never overlap in one process. After each one the worker wakes again when the next row
   * falls due (a Retry-After honoured to the second rather than at the next poll), and after the
   * pacing when it delivered something.
   */
  function pass(): void {
    running = running.then(deliverDue).then(async (counts) => {
      if (isStopped) return;
      if (counts.delivered > 0) schedule(Math.max(KICK_DEBOUNCE_MS, ...Object.values(pacingMs)));
      const nowMs = options.clock().getTime();
      const due = await nextDueAt(options.db, { platforms: [...options.posters.keys()], pacedChannels: pacedChannels(nowMs) });
      if (due && !isStopped) schedule(Math.max(KICK_DEBOUNCE_MS, due.getTime() - nowMs));
    }).catch((error: unknown) => {
      // The store's watcher logs an outage once; a pass every poll would repeat it all the while.
      if (isStoreUnavailable(error)) return;
      const ref = randomBytes(2).toString('hex');
      options.log.error('delivery pass failed', { ref, error: error instanceof Error ? error.stack : String(error) });
    });
  }

  function schedule(delayMs: number): void {
    const dueMs = options.clock().getTime() + delayMs;
    if (timer !== undefined && timerDueMs <= dueMs) return;
    clearTimeout(timer);
    timerDueMs = dueMs;
    timer = setTimeout(() => {
      timer = undefined;
      timerDueMs = Infinity;
      pass();
    }, delayMs);
  }

  return {
    deliverDue,
    kick: () => {
      if (!isStopped) schedule(KICK_DEBOUNCE_MS);
    },
    start() {
      if (poller !== undefined) return;
      isStopped = false;
      poller = setInterval(pass, options.pollMs ?? DEFAULT_POLL_MS);
      schedule(KICK_DEBOUNCE_MS);
    },
    async stop() {
      isStopped = true;
      clearInterval(poller);
      clearTimeout(timer);
      poller = undefined;
      timer = undefined;
      timerDueMs = Infinity;
      await running;
    },
    settled: () => running,
  };
}
