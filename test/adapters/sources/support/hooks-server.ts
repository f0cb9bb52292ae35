import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Db } from '../../../../src/adapters/store/db.js';
import { createSourceHooks } from '../../../../src/adapters/sources/http-endpoints.js';

/** The source hooks mounted at /hooks as the lead mounts them, listening on loopback. */
export async function startHooksServer(db: Db, secret: string | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use('/hooks', createSourceHooks({ db, secret }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
