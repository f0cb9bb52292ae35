import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../store/db.js';
import { loadHostedFile, saveHostedFile } from '../../store/queries/hosted-files.js';

/** Where hosted files are served, on the Teams server (the host PUBLIC_URL names). */
export const FILES_PATH = '/files';
/** A link works this long: long enough for a chat's history, short enough that a leaked link dies. */
export const FILE_LINK_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Serves charts and files at signed, expiring links under PUBLIC_URL. */
export interface FileHost {
  /** Keeps the file and returns its link. */
  host(file: { name: string; mimeType: string; content: Buffer }): Promise<string>;
}

export interface FileHostSettings {
  db: Db;
  /** The bot's public base address (PUBLIC_URL), e.g. https://mkt.example.com. */
  publicUrl: string;
  /** Signs links; the same on every replica. */
  secret: string;
  clock: () => Date;
}

/**
 * The secret that signs file links: FILE_LINK_SECRET, else one derived from the Teams app secret
 * (which every replica has), else a random one for this process (anonymous development only: links
 * stop working when it restarts).
 */
export function fileLinkSecret(config: { FILE_LINK_SECRET?: string | undefined; TEAMS_APP_PASSWORD?: string | undefined }): string {
  if (config.FILE_LINK_SECRET) return config.FILE_LINK_SECRET;
  if (config.TEAMS_APP_PASSWORD) return createHmac('sha256', config.TEAMS_APP_PASSWORD).update('mkt file links').digest('hex');
  return PROCESS_SECRET;
}

/** One per process, so the poster that makes links and the server that checks them agree. */
const PROCESS_SECRET = randomBytes(32).toString('hex');

/** The file host PUBLIC_URL asks for; none without it (pictures then ride along as data URIs). */
export function fileHostFor(config: { PUBLIC_URL?: string | undefined; FILE_LINK_SECRET?: string | undefined; TEAMS_APP_PASSWORD?: string | undefined }, db: Db, clock: () => Date): FileHost | undefined {
  if (!config.PUBLIC_URL) return undefined;
  return createFileHost({ db, publicUrl: config.PUBLIC_URL, secret: fileLinkSecret(config), clock });
}

export function createFileHost(settings: FileHostSettings): FileHost {
  const base = settings.publicUrl.replace(/\/+$/, '');
  return {
    async host(file) {
      const id = randomBytes(16).toString('base64url');
      const now = settings.clock();
      const expiresAt = new Date(now.getTime() + FILE_LINK_DAYS * DAY_MS);
      await saveHostedFile(settings.db, { ...file, id, now, expiresAt });
      const expiresS = Math.floor(expiresAt.getTime() / 1000);
      return `${base}${FILES_PATH}/${id}/${encodeURIComponent(file.name)}?expires=${expiresS}&sig=${signature(settings.secret, id, expiresS)}`;
    },
  };
}

const LinkQuery = z.object({ expires: z.coerce.number().int().positive(), sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * GET /files/:id/:name: the file when the link's signature is right and it has not expired; 403 for
 * a link that was altered, 410 for one that expired, 404 for a file that is not kept (any more).
 */
export function serveHostedFiles(settings: Omit<FileHostSettings, 'publicUrl'>): RequestHandler<{ id: string; name: string }> {
  return async (req, res) => {
    const query = LinkQuery.safeParse(req.query);
    const id = req.params.id;
    if (!query.success || !isSignatureRight(settings.secret, id, query.data.expires, query.data.sig)) {
      res.status(403).json({ error: 'this link is not valid' });
      return;
    }
    const now = settings.clock();
    if (query.data.expires * 1000 < now.getTime()) {
      res.status(410).json({ error: 'this link has expired' });
      return;
    }
    const file = await loadHostedFile(settings.db, id, now);
    if (!file) {
      res.status(404).json({ error: 'no such file' });
      return;
    }
    res.status(200).set({
      'content-type': file.mimeType,
      'content-disposition': `${file.mimeType.startsWith('image/') ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'cache-control': 'private, max-age=86400',
      'x-content-type-options': 'nosniff',
    }).end(file.content);
  };
}

function signature(secret: string, id: string, expiresS: number): string {
  return createHmac('sha256', secret).update(`${id}.${expiresS}`).digest('base64url');
}

function isSignatureRight(secret: string, id: string, expiresS: number, given: string): boolean {
  const expected = Buffer.from(signature(secret, id, expiresS));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
