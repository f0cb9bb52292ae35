import type { Db } from '../db.js';

export interface HostedFile { name: string; mimeType: string; content: Buffer }

/** Keeps a file until `expiresAt`; files already expired at `now` are removed in the same call. */
export async function saveHostedFile(db: Db, file: HostedFile & { id: string; now: Date; expiresAt: Date }): Promise<void> {
  await db.query('DELETE FROM hosted_files WHERE expires_at < $1', [file.now.toISOString()]);
  await db.query(
    'INSERT INTO hosted_files (id, name, mime_type, content, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [file.id, file.name, file.mimeType, file.content, file.now.toISOString(), file.expiresAt.toISOString()],
  );
}

/** The file, unless it never existed or has expired by `now`. */
export async function loadHostedFile(db: Db, id: string, now: Date): Promise<HostedFile | undefined> {
  const [row] = await db.query<{ name: string; mime_type: string; content: Uint8Array }>(
    'SELECT name, mime_type, content FROM hosted_files WHERE id = $1 AND expires_at >= $2', [id, now.toISOString()]);
  return row && { name: row.name, mimeType: row.mime_type, content: Buffer.from(row.content) };
}
