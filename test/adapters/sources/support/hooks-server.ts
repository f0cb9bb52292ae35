import type { AddressInfo } from 'node:net';
import type { Db } from '../../../../src/adapters/store/db.js';
import { createHooksApp } from '../../../../src/adapters/sources/http-endpoints.js';
import { recordingLogger } from '../../../support/bot.js';

/** The webhook server as the bot starts it (hooks at /hooks), listening on loopback. */
export async function startHooksServer(db: Db, secret: string | undefined): Promise<{ url: string; log: ReturnType<typeof recordingLogger>; close(): Promise<void> }> {
  const log = recordingLogger();
  const server = createHooksApp({ db, secret, log }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    log,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
