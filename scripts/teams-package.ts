import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../src/config.js';
import { writeZip } from './teams-zip.js';

/**
 * `npm run teams:package`: teams/app.zip for upload to Teams (Apps → Manage your apps → Upload),
 * holding manifest.json with TEAMS_APP_ID filled in and the two icons at the top level, as Teams requires.
 */
const PLACEHOLDER = /\{\{TEAMS_APP_ID\}\}/g;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const loaded = loadConfig();
if (!loaded.ok) {
  for (const line of loaded.errors) process.stderr.write(`${line}\n`);
  process.exit(1);
}
const appId = loaded.config.TEAMS_APP_ID;
if (!appId || !GUID.test(appId)) {
  process.stderr.write('TEAMS_APP_ID: required for the Teams package, the Entra app (client) id, a GUID like 00000000-0000-0000-0000-000000000000\n');
  process.exit(1);
}

const folder = new URL('../teams/', import.meta.url);
const manifest = (await readFile(new URL('manifest.json', folder), 'utf8')).replace(PLACEHOLDER, appId);
const zip = writeZip([
  { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
  { name: 'color.png', data: await readFile(new URL('color.png', folder)) },
  { name: 'outline.png', data: await readFile(new URL('outline.png', folder)) },
]);
await writeFile(new URL('app.zip', folder), zip);
process.stdout.write(`wrote teams/app.zip (${zip.length} bytes) for app ${appId}\n`);
