import { readFile } from 'node:fs/promises';
import type { RunningTeams, TeamsConfig } from '../../../../src/adapters/chat/teams/index.js';
import { createTeamsPoster, startTeams } from '../../../../src/adapters/chat/teams/index.js';
import type { Db } from '../../../../src/adapters/store/db.js';
import type { BotSettings } from '../../../../src/bot/command.js';
import type { InFlight } from '../../../../src/bot/in-flight.js';
import { createInFlight } from '../../../../src/bot/in-flight.js';
import type { DeliveryWorker } from '../../../../src/jobs/delivery-worker.js';
import { createDeliveryWorker } from '../../../../src/jobs/delivery-worker.js';
import type { Logger } from '../../../../src/log.js';
import { createTestBot } from '../../../support/bot.js';
import type { ConnectorCall } from './stand-in-connector.js';

/** Anonymous local-development mode: how the tests reach /api/messages without Entra tokens. */
export const anonymousDevConfig: TeamsConfig = {
  NODE_ENV: 'test', PORT: 0, TEAMS_APP_ID: undefined, TEAMS_APP_PASSWORD: undefined, TEAMS_TENANT_ID: undefined,
  TEAMS_ALLOWED_TENANTS: [], TEAMS_ANONYMOUS_DEV: true,
};

/** Microsoft's test tenant, as recorded in the fixtures. */
export const FIXTURE_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const FIXTURE_CHANNEL = '19:097e6717fd7245bdbeba6baa13840db8@thread.skype';

export type ActivityJson = Record<string, unknown>;

/** A real recorded activity from shared/fixtures/teams with its serviceUrl pointed at the stand-in connector. */
export async function teamsFixture(name: string, serviceUrl: string): Promise<ActivityJson> {
  const text = await readFile(new URL(`../../../../../shared/fixtures/teams/${name}`, import.meta.url), 'utf8');
  return { ...(JSON.parse(text) as ActivityJson), serviceUrl };
}

export async function postActivity(port: number, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

interface WireAttachment { contentType: string; content?: unknown; contentUrl?: string; name?: string }

export function attachmentsOf(call: ConnectorCall | undefined): WireAttachment[] {
  const body = call?.body;
  const activity = typeof body === 'object' && body !== null && 'activity' in body ? body.activity : body;
  if (typeof activity !== 'object' || activity === null || !('attachments' in activity) || !Array.isArray(activity.attachments)) return [];
  return activity.attachments as WireAttachment[];
}

/** The Adaptive Card of a posted activity (or of the activity inside a createConversation body). */
export function cardOf(call: ConnectorCall | undefined): { body: { type: string; text?: string }[]; actions?: unknown[] } & Record<string, unknown> {
  const card = attachmentsOf(call).find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`no adaptive card in ${JSON.stringify(call)}`);
  return card.content as { body: { type: string; text?: string }[] } & Record<string, unknown>;
}

export function cardTexts(card: { body: { type: string; text?: string }[] }): string[] {
  return card.body.filter((element) => element.type === 'TextBlock').map((element) => element.text ?? '');
}

/**
 * The Teams server with its answers going through the real delivery queue, as in production: a
 * worker of the test's own posts to the stand-in connector on a clock the test moves.
 */
export interface QueuedTeams {
  teams: RunningTeams;
  worker: DeliveryWorker;
  inFlight: InFlight;
  clock: { ms: number };
  /** Waits for answers still being worked on, then runs worker passes (the clock moved a second each) until the outbox is empty. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startQueuedTeams(options: {
  config?: TeamsConfig; db: Db; now: Date; log: Logger; typingAfterMs?: number; invokeAnswerWithinMs?: number; settings?: Partial<BotSettings>;
}): Promise<QueuedTeams> {
  const config = options.config ?? anonymousDevConfig;
  const clock = { ms: options.now.getTime() };
  const bot = createTestBot(options.db, { now: options.now, ...(options.settings ? { settings: options.settings } : {}) });
  const poster = createTeamsPoster(config, { bot, db: options.db, log: options.log, clock: () => new Date(clock.ms) });
  const worker = createDeliveryWorker({ db: options.db, posters: new Map([['teams', poster]]), clock: () => new Date(clock.ms), log: options.log, random: () => 0, holder: 'test', pacingMs: {} });
  const inFlight = createInFlight();
  const teams = await startTeams(config, {
    bot, db: options.db, log: options.log, port: 0, outbox: { kick: () => undefined }, inFlight,
    typingAfterMs: options.typingAfterMs ?? 60_000, invokeAnswerWithinMs: options.invokeAnswerWithinMs ?? 60_000,
  });
  return {
    teams, worker, inFlight, clock,
    async drain() {
      await inFlight.drained();
      for (let pass = 0; pass < 120; pass += 1) {
        await worker.deliverDue();
        const [pending] = await options.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
        if (pending?.n === 0) return;
        clock.ms += 1_000;
      }
      throw new Error('the outbox did not drain in 120 simulated seconds');
    },
    stop: () => teams.stop(),
  };
}
