import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat();
}

/** Every import of every file under `layer`, as { file, target } with relative targets resolved under src/. */
async function importsOf(layer: string): Promise<{ file: string; target: string }[]> {
  const files = await sourceFiles(join(src, layer));
  const found: { file: string; target: string }[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
      const spec = match[1]!;
      const target = spec.startsWith('.') ? relative(src, resolve(file, '..', spec)) : spec;
      found.push({ file: relative(src, file), target });
    }
  }
  return found;
}

// STYLE.md §1: imports point inward. Analytics imports only itself; the bot imports analytics and
// itself; neither touches a database driver, a chat SDK or the file system.
const PLATFORM_PACKAGES = /^(pg|@electric-sql\/|@slack\/|@microsoft\/|express|node:fs|node:net|node:http)/;

describe('the import direction of the core', () => {
  it('keeps analytics free of everything but itself', async () => {
    const outside = (await importsOf('analytics')).filter(({ target }) => !target.startsWith('analytics/') && target !== 'zod');
    expect(outside).toEqual([]);
  });

  it('keeps the bot free of adapters, jobs, drivers and chat SDKs', async () => {
    const outside = (await importsOf('bot')).filter(({ target }) =>
      target.startsWith('adapters/') || target.startsWith('jobs/') || target === 'app.js' || target === 'config.js' || PLATFORM_PACKAGES.test(target));
    expect(outside).toEqual([]);
  });

  it('keeps chat platforms inside their adapters', async () => {
    const layers = ['analytics', 'bot', 'jobs', 'adapters/store', 'adapters/sources'];
    const leaks = (await Promise.all(layers.map(importsOf))).flat().filter(({ target }) => /^(@slack\/|@microsoft\/)/.test(target));
    expect(leaks).toEqual([]);
  });
});

// How we write code: SQL only in the store and source adapters, so a schema change has one place to look.
const SQL_STATEMENT = /['"`]\s*(SELECT\s.+\sFROM|INSERT INTO|UPDATE\s+\w+\s+SET|DELETE FROM|CREATE (TABLE|INDEX))/s;

describe('where SQL lives', () => {
  it('keeps SQL statements inside src/adapters/store and src/adapters/sources', async () => {
    const files = (await sourceFiles(src)).filter((file) => !/adapters\/(store|sources)\//.test(relative(src, file)));
    const offenders: string[] = [];
    for (const file of files) {
      if (SQL_STATEMENT.test(await readFile(file, 'utf8'))) offenders.push(relative(src, file));
    }
    expect(offenders).toEqual([]);
  });
});
