import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/adapters/store/migrate.js';
import { dumpPglite, openPglite } from '../../src/adapters/store/pglite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Creates and migrates one embedded database per test run and dumps it; every test file
 * then loads the dump into memory (a fraction of a second) instead of running initdb again.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'mkt-test-'));
  const db = await openPglite('memory://');
  await migrate(db);
  const dump = await dumpPglite(db);
  await db.close();
  const templatePath = join(dir, 'template.tar');
  await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', templatePath);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
