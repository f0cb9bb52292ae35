import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** One thing the bot needs to answer: the database, a chat platform's token. */
export interface ReadinessProbe {
  name: string;
  /** Resolves when usable; rejects (or times out) with what is wrong. */
  check(): Promise<void>;
}

/** A probe slower than this counts as failed: an orchestrator asks again soon. */
export const PROBE_TIMEOUT_MS = 3_000;

export interface OpsRoutes {
  probes: readonly ReadinessProbe[];
  registry: Registry;
  /** False once the process is stopping: /readyz answers 503 so no new traffic is routed here. */
  isAccepting(): boolean;
}

/**
 * GET /healthz (the process is alive and serving HTTP), /readyz (every probe passes) and /metrics
 * (Prometheus text). Returns false for any other request, for the server's own routes to handle.
 */
export function handleOps(request: IncomingMessage, response: ServerResponse, routes: OpsRoutes): boolean {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (path === '/healthz') {
    send(response, 200, { status: 'alive' });
    return true;
  }
  if (path === '/readyz') {
    void readiness(routes).then(({ isReady, checks }) => send(response, isReady ? 200 : 503, { status: isReady ? 'ready' : 'not ready', checks }));
    return true;
  }
  if (path === '/metrics') {
    routes.registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': routes.registry.contentType });
        response.end(text);
      },
      () => send(response, 500, { error: 'metrics could not be collected' }),
    );
    return true;
  }
  return false;
}

async function readiness(routes: OpsRoutes): Promise<{ isReady: boolean; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  if (!routes.isAccepting()) checks.process = 'stopping';
  await Promise.all(routes.probes.map(async (probe) => {
    checks[probe.name] = await withTimeout(probe.check(), PROBE_TIMEOUT_MS).then(() => 'ok', (error: unknown) => describe(error));
  }));
  return { isReady: Object.values(checks).every((state) => state === 'ok'), checks };
}

function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The first line of the reason, never a stack: /readyz may be reachable from outside. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.slice(0, 200) ?? 'failed';
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
