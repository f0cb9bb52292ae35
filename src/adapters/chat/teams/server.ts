import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import { AgentApplication } from '@microsoft/agents-hosting';
import type { TurnContext, TurnState } from '@microsoft/agents-hosting';
import type { Bot } from '../../../bot/dispatch.js';
import type { InFlight } from '../../../bot/in-flight.js';
import type { Logger } from '../../../log.js';
import { translator } from '../../../bot/messages/index.js';
import type { Db } from '../../store/db.js';
import type { TeamsConfig } from './auth-config.js';
import { createTeamsAdapter } from './adapter.js';
import { allowedTenants, teamsAuth } from './auth-config.js';
import { authorizeTeamsRequest } from './authorize-request.js';
import { createOnceLogger } from './log-once.js';
import type { OnceLogger } from './log-once.js';
import { channelOf, TeamsInbound } from './receive.js';
import type { OutboxKick } from './delivery.js';
import { teamsOutboxDelivery } from './delivery.js';
import { FILES_PATH, fileHostFor, fileLinkSecret, serveHostedFiles } from './file-host.js';
import { createSigningKeys } from './signing-keys.js';
import { INVOKE_ANSWER_WITHIN_MS, registerTurns, TYPING_AFTER_MS } from './turns.js';

export interface TeamsDependencies {
  bot: Bot;
  db: Db;
  log: Logger;
  /** Defaults to PORT + 1 (PORT serves the other HTTP endpoints); 0 picks a free port (tests). */
  port?: number;
  /** Answers are queued in the outbox and the delivery worker kicked. */
  outbox: OutboxKick;
  inFlight?: InFlight;
  /** Defaults to TYPING_AFTER_MS. */
  typingAfterMs?: number;
  /** Defaults to INVOKE_ANSWER_WITHIN_MS; 0 answers every click at once and works after. */
  invokeAnswerWithinMs?: number;
}

export interface RunningTeams {
  stop(): Promise<void>;
  port: number;
}

/** Teams posts one activity per request; cards and texts stay far below this. */
const MAX_BODY = '1mb';
const HANDLED_TYPES: ReadonlySet<string> = new Set(['message', 'conversationUpdate', 'installationUpdate', 'invoke']);

/**
 * Serves POST /api/messages for Teams: the SDK checks the Bot Framework JWT, our wrapper keeps
 * bad bodies from becoming HTML 500s and drops tenants that are not allowed.
 * Rejects with one line naming the variable when the configuration cannot serve Teams safely.
 */
export async function startTeams(config: TeamsConfig, deps: TeamsDependencies): Promise<RunningTeams> {
  const auth = teamsAuth(config);
  if (!auth.ok) throw new Error(auth.error);
  if (auth.isAnonymous) deps.log.warn('teams: anonymous local-development mode, requests are NOT authenticated (TEAMS_ANONYMOUS_DEV=true)');
  const once = createOnceLogger(deps.log);
  const adapter = createTeamsAdapter(auth);
  // The SDK's default REPLACE_FOR_INTERACTOR: the shared card is updated through the outbox, not by the SDK inside the invoke.
  const app = new AgentApplication<TurnState>({ adapter });
  app.onError(async (context, error) => reportTurnError(context, error, deps));
  const clock = () => new Date();
  const files = fileHostFor(config, deps.db, clock);
  registerTurns(app, {
    bot: deps.bot, db: deps.db, log: deps.log, outbox: deps.outbox, delivery: teamsOutboxDelivery(deps.db, deps.outbox),
    ...(files ? { files } : {}),
    typingAfterMs: deps.typingAfterMs ?? TYPING_AFTER_MS, invokeAnswerWithinMs: deps.invokeAnswerWithinMs ?? INVOKE_ANSWER_WITHIN_MS,
    ...(deps.inFlight ? { inFlight: deps.inFlight } : {}),
  });
  const tenants = allowedTenants(config);

  const server = express();
  server.use(express.json({ limit: MAX_BODY }));
  server.post('/api/messages', authorizeTeamsRequest(auth, createSigningKeys(), deps.log, once), async (req, res) => {
    try {
      await adapter.process(req, res, async (context) => {
        if (!isServed(context, tenants, once)) return;
        await app.run(context);
      });
    } catch (error) {
      // 1.8.1 throws (ZodError, TypeError) on a body that is not an Activity, before any answer.
      once.warn(`invalid:${error instanceof Error ? error.name : 'unknown'}`, 'teams: request body is not an activity', { error: error instanceof Error ? error.message.slice(0, 300) : String(error) });
      if (!res.headersSent) res.status(400).json({ error: 'the body is not a Bot Framework activity' });
    }
  });
  // Charts and files of posts, at the signed links the posters made (PUBLIC_URL names this server).
  server.get(`${FILES_PATH}/:id/:name`, serveHostedFiles({ db: deps.db, secret: fileLinkSecret(config), clock }));
  server.use(bodyErrors(once));

  // PORT 0 (any free port) gives Teams a free port of its own too, not port 1.
  const httpServer = await listen(server, deps.port ?? (config.PORT === 0 ? 0 : config.PORT + 1));
  return {
    port: (httpServer.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve, reject) => httpServer.close((error) => (error ? reject(error) : resolve()))),
  };
}

function isServed(context: TurnContext, tenants: readonly string[] | 'any', once: OnceLogger): boolean {
  const { activity } = context;
  const tenant = tenantIdOf(activity.channelData) ?? activity.conversation?.tenantId;
  if (tenants !== 'any' && (!tenant || !tenants.includes(tenant))) {
    once.warn(`tenant:${tenant ?? 'none'}`, 'teams: activity from a tenant not allowed (TEAMS_ALLOWED_TENANTS, else TEAMS_TENANT_ID) ignored', { tenant: tenant ?? null });
    return false;
  }
  if (!HANDLED_TYPES.has(activity.type)) {
    once.warn(`type:${activity.type}`, 'teams: activity type not handled, ignored', { type: activity.type });
    return false;
  }
  // Checked before app.run: the SDK's own state loading throws on a missing from.id or conversation.id.
  const parsed = TeamsInbound.safeParse(activity);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    once.warn(`missing:${activity.type}:${missing}`, 'teams: activity ignored, fields missing', { type: activity.type, missing });
    return false;
  }
  return true;
}

function tenantIdOf(channelData: unknown): string | undefined {
  if (typeof channelData !== 'object' || channelData === null || !('tenant' in channelData)) return undefined;
  const tenant: unknown = channelData.tenant;
  if (typeof tenant !== 'object' || tenant === null || !('id' in tenant)) return undefined;
  return typeof tenant.id === 'string' ? tenant.id : undefined;
}

/** Replaces the SDK's default, which would post "The agent encountered an error or bug." into the chat. */
async function reportTurnError(context: TurnContext, error: Error, deps: TeamsDependencies): Promise<void> {
  const ref = randomBytes(2).toString('hex');
  deps.log.error('teams: turn failed', { ref, type: context.activity.type, error: error.stack ?? error.message });
  if (context.activity.type !== 'message' || !context.activity.conversation?.id) return;
  const t = translator(deps.bot.localeFor({ channelId: channelOf(context.activity.conversation.id) }));
  await context.sendActivity(t('common.internal', { ref })).catch(() => undefined);
}

/** express.json's own errors (too large, not JSON) answered as JSON, not Express's HTML page. */
function bodyErrors(once: OnceLogger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : 'unknown';
    once.warn(`body:${type}`, 'teams: request body refused', { status, type });
    res.status(status).json({ error: type });
  };
}

function listen(server: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const httpServer = server.listen(port, () => resolve(httpServer));
    httpServer.once('error', reject);
  });
}
