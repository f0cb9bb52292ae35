import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat();
}

const IMPORT_SPECIFIERS = [
  /^(?:import|export)[^'"]*from\s+'([^']+)'/gm,
  /^import\s+'([^']+)'/gm,
  /\bimport\(\s*'([^']+)'\s*\)/g,
];

/**
 * Every import of every file under `dir` (repo-relative, e.g. 'src/bot'), as { file, target }: both
 * repo-relative paths ('src/bot/dispatch.ts' → 'src/log.js'), or the package name for a package.
 */
async function importsOf(dir: string): Promise<{ file: string; target: string }[]> {
  const found: { file: string; target: string }[] = [];
  for (const file of await sourceFiles(join(root, dir))) {
    const text = await readFile(file, 'utf8');
    for (const pattern of IMPORT_SPECIFIERS) {
      for (const match of text.matchAll(pattern)) {
        const spec = match[1]!;
        found.push({ file: relative(root, file), target: spec.startsWith('.') ? relative(root, resolve(file, '..', spec)) : spec });
      }
    }
  }
  return found;
}

const importsOfAll = async (dirs: readonly string[]) => (await Promise.all(dirs.map(importsOf))).flat();

// STYLE.md §1: imports point inward. Analytics imports only itself; the bot imports analytics and
// itself; neither touches a database driver, a chat SDK or the file system.
const PLATFORM_PACKAGES = /^(pg|@electric-sql\/|@slack\/|@microsoft\/|express|node:fs|node:net|node:http)/;

/**
 * The app's wiring: the entry points and what builds the running app from the configuration. It
 * imports every layer; no layer imports it back.
 */
const WIRING = /^src\/(app|start-channels|main|first-start|cli)\.js$|^src\/cli\//;
/** Every layer below the wiring, and the two leaves they share (the logging port and the config schema). */
const BELOW_THE_WIRING = ['src/analytics', 'src/bot', 'src/adapters', 'src/jobs', 'src/log.ts', 'src/config.ts'];

describe('the import direction of the core', () => {
  it('finds the imports the rules judge, so no rule passes on an empty scan', async () => {
    expect(await importsOf('src/bot')).toContainEqual({ file: 'src/bot/dispatch.ts', target: 'src/log.js' });
    expect((await importsOf('src')).filter(({ file, target }) => file === 'src/main.ts' && WIRING.test(target)).map(({ target }) => target))
      .toEqual(expect.arrayContaining(['src/app.js', 'src/first-start.js', 'src/start-channels.js']));
    expect((await importsOf('test')).some(({ target }) => target.startsWith('test/support/'))).toBe(true);
    expect((await importsOf('test')).some(({ target }) => /^src\/bot\/commands\/index\.js$/.test(target))).toBe(true);
  });

  it('keeps analytics free of everything but itself', async () => {
    const outside = (await importsOf('src/analytics')).filter(({ target }) => !target.startsWith('src/analytics/') && target !== 'zod');
    expect(outside).toEqual([]);
  });

  it('keeps the bot free of adapters, jobs, the app, drivers and chat SDKs', async () => {
    const outside = (await importsOf('src/bot')).filter(({ target }) =>
      target.startsWith('src/adapters/') || target.startsWith('src/jobs/') || WIRING.test(target) || target === 'src/config.js' || PLATFORM_PACKAGES.test(target));
    expect(outside).toEqual([]);
  });

  it('keeps chat platforms inside their adapters', async () => {
    const leaks = (await importsOfAll(['src/analytics', 'src/bot', 'src/jobs', 'src/adapters/store', 'src/adapters/sources'])).filter(({ target }) => /^(@slack\/|@microsoft\/)/.test(target));
    expect(leaks).toEqual([]);
  });

  it('keeps adapters free of jobs: a job drives adapters, never the other way round', async () => {
    expect((await importsOf('src/adapters')).filter(({ target }) => target.startsWith('src/jobs/'))).toEqual([]);
  });

  it('keeps every layer below the app free of the app wiring', async () => {
    const files = BELOW_THE_WIRING.filter((path) => path.endsWith('.ts'));
    const dirs = BELOW_THE_WIRING.filter((path) => !path.endsWith('.ts'));
    const leaves = (await importsOf('src')).filter(({ file }) => files.includes(file));
    const upward = [...(await importsOfAll(dirs)), ...leaves].filter(({ target }) => WIRING.test(target));
    expect(upward).toEqual([]);
  });

  it('keeps the production code and the bench free of the tests', async () => {
    const intoTests = (await importsOfAll(['src', 'bench'])).filter(({ target }) => target === 'test' || target.startsWith('test/'));
    expect(intoTests).toEqual([]);
  });
});

describe('the commands', () => {
  it('are reached through the registry (commands/index.ts) only', async () => {
    const fromOutside = (await importsOfAll(['src', 'bench', 'test']))
      .filter(({ file, target }) => target.startsWith('src/bot/commands/') && !file.startsWith('src/bot/commands/') && target !== 'src/bot/commands/index.js');
    expect(fromOutside).toEqual([]);
  });

  it('do not import each other: what two commands share lives in src/bot', async () => {
    const between = (await importsOf('src/bot/commands'))
      .filter(({ file, target }) => file !== 'src/bot/commands/index.ts' && target.startsWith('src/bot/commands/'));
    expect(between).toEqual([]);
  });
});

// How we write code: SQL only in the store and source adapters, so a schema change has one place to look.
const SQL_STATEMENT = /['"`]\s*(SELECT\s.+\sFROM|INSERT INTO|UPDATE\s+\w+\s+SET|DELETE FROM|CREATE (TABLE|INDEX))/s;

describe('where SQL lives', () => {
  it('keeps SQL statements inside src/adapters/store and src/adapters/sources', async () => {
    const files = (await sourceFiles(join(root, 'src'))).filter((file) => !/^src\/adapters\/(store|sources)\//.test(relative(root, file)));
    const offenders: string[] = [];
    for (const file of files) {
      if (SQL_STATEMENT.test(await readFile(file, 'utf8'))) offenders.push(relative(root, file));
    }
    expect(offenders).toEqual([]);
  });
});
