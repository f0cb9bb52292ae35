import express from 'express';
import type { Request, Response, Router } from 'express';
import type { Db } from '../store/db.js';
import { recordChange } from './changes-log.js';
import { SIGNATURE_HEADER, isSignatureValid, readDeployBody } from './deploy-hooks.js';
import { readLighthouseUpload } from './lighthouse-import.js';
import { writePagespeedRuns } from './pagespeed-runs.js';

/** A Lighthouse report is about 0.5 MB; anything far past that is not one. */
const MAX_BODY = '10mb';

export interface SourceHooksOptions {
  db: Db;
  /** DEPLOY_WEBHOOK_SECRET; without it every hook answers 503 rather than accept unsigned data. */
  secret: string | undefined;
}

/** POST /deploy and POST /lighthouse; the lead mounts this Router at /hooks. Bodies are signed like GitHub webhooks. */
export function createSourceHooks({ db, secret }: SourceHooksOptions): Router {
  const router = express.Router();
  // The signature covers the exact bytes sent, so the body is read raw and parsed only after it verifies.
  router.use(express.raw({ type: () => true, limit: MAX_BODY }));

  router.post('/deploy', async (request, response) => {
    const body = verifiedJson(request, response, secret);
    if (body === undefined) return;
    const event = request.header('x-github-event');
    const outcome = readDeployBody(body, event);
    if (!outcome.ok) return void response.status(400).json({ error: outcome.error });
    if (outcome.value.kind === 'ignored') return void response.status(202).json({ recorded: false, reason: outcome.value.reason });
    const { isNew } = await recordChange(db, outcome.value.change);
    response.status(isNew ? 201 : 200).json({ recorded: isNew, ref: outcome.value.change.ref });
  });

  router.post('/lighthouse', async (request, response) => {
    const body = verifiedJson(request, response, secret);
    if (body === undefined) return;
    const run = readLighthouseUpload(body);
    if (!run.ok) return void response.status(400).json({ error: run.error });
    await writePagespeedRuns(db, [run.value]);
    response.status(201).json({ recorded: true, url: run.value.url, at: run.value.at.toISOString() });
  });

  return router;
}

/** The parsed body when the signature verifies; otherwise answers the request and returns undefined. */
function verifiedJson(request: Request, response: Response, secret: string | undefined): unknown {
  if (!secret) {
    response.status(503).json({ error: 'DEPLOY_WEBHOOK_SECRET is not set; hooks are disabled' });
    return undefined;
  }
  const raw: unknown = request.body;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (!isSignatureValid(bytes, request.header(SIGNATURE_HEADER), secret)) {
    response.status(401).json({ error: `missing or wrong ${SIGNATURE_HEADER} signature` });
    return undefined;
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    response.status(400).json({ error: 'the body is not JSON' });
    return undefined;
  }
}
