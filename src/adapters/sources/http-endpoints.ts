import express from 'express';
import type { Express, NextFunction, Request, Response, Router } from 'express';
import type { Logger } from '../../log.js';
import { readCappedBody, refuseUnread } from '../http/capped-body.js';
import { jsonErrors, jsonNotFound } from '../http/json-errors.js';
import type { Db } from '../store/db.js';
import { recordChange } from './changes-log.js';
import { SIGNATURE_HEADER, isSignatureValid, readDeployBody } from './deploy-hooks.js';
import { readLighthouseUpload } from './lighthouse-import.js';
import { writePagespeedRuns } from './pagespeed-runs.js';

/** GitHub's deployment_status events are a few kB; a plain deploy body is smaller still. */
export const MAX_DEPLOY_BODY_BYTES = 1024 * 1024;
/** A Lighthouse report is about 0.5 MB (v13 with screenshots up to 2 MB); anything far past that is not one. */
export const MAX_LIGHTHOUSE_BODY_BYTES = 8 * 1024 * 1024;

/** `sha256=` and 64 hex digits: anything else cannot verify, so its body is never read. */
const SIGNATURE_FORM = /^sha256=[0-9a-f]{64}$/i;

export interface SourceHooksOptions {
  db: Db;
  /** DEPLOY_WEBHOOK_SECRET; without it every hook answers 503 rather than accept unsigned data. */
  secret: string | undefined;
  log: Logger;
}

/**
 * POST /deploy and POST /lighthouse, mounted at /hooks. Bodies are signed like GitHub webhooks.
 * Every answer is JSON: 401 for a missing or wrong signature (a request without one is refused
 * before its body is read), 413 past the size cap, 400 for a body that is not JSON, 422 naming the
 * field a payload gets wrong, 503 while the database is unreachable.
 */
export function createSourceHooks({ db, secret, log }: SourceHooksOptions): Router {
  const router = express.Router();

  router.post('/deploy', verifiedJson(secret, MAX_DEPLOY_BODY_BYTES), async (request, response) => {
    const outcome = readDeployBody(response.locals.body, request.header('x-github-event'));
    if (!outcome.ok) return void response.status(422).json({ error: outcome.error });
    if (outcome.value.kind === 'ignored') return void response.status(202).json({ recorded: false, reason: outcome.value.reason });
    const { isNew } = await recordChange(db, outcome.value.change);
    response.status(isNew ? 201 : 200).json({ recorded: isNew, ref: outcome.value.change.ref });
  });

  router.post('/lighthouse', verifiedJson(secret, MAX_LIGHTHOUSE_BODY_BYTES), async (_request, response) => {
    const run = readLighthouseUpload(response.locals.body);
    if (!run.ok) return void response.status(422).json({ error: run.error });
    await writePagespeedRuns(db, [run.value]);
    response.status(201).json({ recorded: true, url: run.value.url, at: run.value.at.toISOString() });
  });

  router.use(jsonNotFound);
  router.use(jsonErrors(log, 'hooks'));
  return router;
}

/** The webhook server: the hooks at /hooks, every other path and every error answered in JSON. */
export function createHooksApp(options: SourceHooksOptions): Express {
  return express()
    .disable('x-powered-by')
    .use('/hooks', createSourceHooks(options))
    .use(jsonNotFound)
    .use(jsonErrors(options.log, 'hooks'));
}

/** Puts the parsed body in `response.locals.body` once the signature verifies; otherwise answers. */
function verifiedJson(secret: string | undefined, maxBytes: number) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    if (!secret) return refuseUnread(request, response, 503, { error: 'DEPLOY_WEBHOOK_SECRET is not set; hooks are disabled' });
    const signature = request.header(SIGNATURE_HEADER);
    if (!signature || !SIGNATURE_FORM.test(signature)) return refuseUnread(request, response, 401, { error: `missing or malformed ${SIGNATURE_HEADER} signature` });
    const bytes = await readCappedBody(request, response, maxBytes);
    if (bytes === undefined) return;
    if (!isSignatureValid(bytes, signature, secret)) return void response.status(401).json({ error: `wrong ${SIGNATURE_HEADER} signature` });
    try {
      response.locals.body = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      return void response.status(400).json({ error: 'the body is not JSON' });
    }
    next();
  };
}
