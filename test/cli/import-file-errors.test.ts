import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind, useTestDb } from '../support/db.js';
import { runMkt } from '../support/cli.js';

/** Everything an import could have touched, to show a refused file left it as it was. */
async function snapshot(db: ReturnType<typeof useTestDb>['db']) {
  return db.query(`SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT coalesce(sum(revenue), 0) FROM orders) AS revenue,
                          (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM touchpoints) AS touches,
                          (SELECT string_agg(id || ':' || customer_id || ':' || revenue, ',' ORDER BY id) FROM orders) AS rows`);
}

describe(`mkt import refuses a file it cannot read with one line and a non-zero exit, on ${testDbKind}`, () => {
  const test = useTestDb();
  let folder: string;
  let socket: Server;
  let before: unknown;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mkt-import-errors-'));
    await mkdir(join(folder, 'exports'));
    socket = createServer();
    await new Promise<void>((resolve) => socket.listen(join(folder, 'orders.sock'), resolve));
    // What every test starts from and a refused file must leave as it was.
    await writeFile(join(folder, 'kept.csv'), 'id,customer_id,ordered_at,revenue\nk1,c1,2026-11-01T10:00:00Z,40.00\nk2,c2,2026-11-02T10:00:00Z,15.50\n');
    expect((await runMkt(test.db, ['import', 'orders', join(folder, 'kept.csv')])).code).toBe(0);
    before = await snapshot(test.db);
  });
  afterAll(async () => new Promise<void>((resolve) => socket.close(() => resolve())));

  const refuses = async (argv: string[], errors: string[]) => {
    const { code, io } = await runMkt(test.db, argv);
    expect(io.errors).toEqual(errors);
    expect(io.lines).toEqual([]);
    expect(code).toBe(1);
    expect(await snapshot(test.db)).toEqual(before);
  };

  it('names a file that is not there', async () => {
    const path = join(folder, 'missing.csv');
    await refuses(['import', 'orders', path], [`Nothing imported: there is no file at ${path}.`]);
  });

  it('names a folder given instead of a file', async () => {
    const path = join(folder, 'exports');
    await refuses(['import', 'orders', path], [`Nothing imported: ${path} is a folder; give the path of a file in it.`]);
  });

  it('names a path that cannot be opened for reading (a socket)', async () => {
    const path = join(folder, 'orders.sock');
    await refuses(['import', 'orders', path], [`Nothing imported: ${path} cannot be read: it is a socket or a device, not a file.`]);
  });

  it('names the line where a quoted field is never closed', async () => {
    const path = join(folder, 'open-quote.csv');
    await writeFile(path, 'id,customer_id,ordered_at,revenue\no1,c1,2026-11-01T10:00:00Z,10\no2,"c2,2026-11-02T10:00:00Z,12\no3,c3,2026-11-03T10:00:00Z,14\n');
    await refuses(['import', 'orders', path], ['Nothing imported: line 3: a quoted field starts here and is never closed (a " without its closing ").']);
  });

  it('refuses a file with NUL bytes (a UTF-16 export) and names the line', async () => {
    const path = join(folder, 'utf16.csv');
    await writeFile(path, Buffer.from('id,customer_id,ordered_at,revenue\r\n', 'utf16le'));
    await refuses(['import', 'orders', path], ['Nothing imported: line 1: the file has a NUL byte, so it is not text (a spreadsheet or a UTF-16 file?); save it as CSV in UTF-8.']);
  });

  it('rejects a 26-digit amount as a row, not a database overflow', async () => {
    const path = join(folder, 'huge.csv');
    await writeFile(path, 'id,customer_id,ordered_at,revenue\no1,c1,2026-11-01T10:00:00Z,12345678901234567890123456\n');
    await refuses(['import', 'orders', path], [
      'line 2: revenue: 12345678901234567890123456 is too large: at most 12 digits before the decimal point',
      'Nothing imported: 1 of 1 rows were rejected. Fix them, or run with --partial to import the others.',
    ]);
  });

  it('refuses text that is not UTF-8 with its line, and reads it with --encoding latin1', async () => {
    const path = join(folder, 'latin1.csv');
    // "più" and "€" as Windows-1252 writes them: 0xF9 and 0x80.
    const latin1 = Buffer.concat([
      Buffer.from('id,anonymous_id,at,channel,campaign\nt1,v1,2026-11-01T10:00:00Z,email,autunno\nt2,v2,2026-11-01T11:00:00Z,email,pi'),
      Buffer.from([0xf9]), Buffer.from(' sconti 5'), Buffer.from([0x80]), Buffer.from('\n'),
    ]);
    await writeFile(path, latin1);
    await refuses(['import', 'touchpoints', path], ['Nothing imported: line 3: the text is not UTF-8 (byte 0xF9); save the file as UTF-8, or run with --encoding latin1 if it is Latin-1 / Windows-1252.']);

    const { code, io } = await runMkt(test.db, ['import', 'touchpoints', path, '--encoding', 'latin1']);
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    expect(await test.db.query('SELECT id, campaign FROM touchpoints ORDER BY id')).toEqual([{ id: 't1', campaign: 'autunno' }, { id: 't2', campaign: 'più sconti 5€' }]);
  });

  it('refuses an unknown --encoding as a usage error', async () => {
    const { code, io } = await runMkt(test.db, ['import', 'orders', join(folder, 'kept.csv'), '--encoding', 'ebcdic']);
    expect(io.errors).toEqual(['--encoding: expected utf8 or latin1, got "ebcdic"']);
    expect(code).toBe(2);
  });

  it('reports a repeated id as a rejected row instead of keeping the last one', async () => {
    const path = join(folder, 'repeated.csv');
    await writeFile(path, 'id,customer_id,ordered_at,revenue\no1,c1,2026-11-01T10:00:00Z,10\no2,c2,2026-11-02T10:00:00Z,12\no1,c1,2026-11-01T10:00:00Z,99\n');
    await refuses(['import', 'orders', path], [
      'line 4: id o1 appears again (first on line 2); a file holds each row once',
      'Nothing imported: 1 of 3 rows were rejected. Fix them, or run with --partial to import the others.',
    ]);
    const partial = await runMkt(test.db, ['import', 'orders', path, '--partial']);
    expect(partial.code).toBe(1);
    expect(partial.io.lines).toEqual(['orders: read 3 rows, wrote 2 (0 unchanged), 1 rejected.']);
    expect(await test.db.query(`SELECT id, revenue FROM orders WHERE id IN ('o1', 'o2') ORDER BY id`)).toEqual([{ id: 'o1', revenue: 10 }, { id: 'o2', revenue: 12 }]);
  });

  it('finds a repeat across batches of the same file', async () => {
    const path = join(folder, 'long.csv');
    const rows = Array.from({ length: 12_000 }, (_, i) => `o${i},c${i % 50},2026-11-01T10:00:00Z,1`);
    await writeFile(path, ['id,customer_id,ordered_at,revenue', ...rows, 'o3,c3,2026-11-01T10:00:00Z,1'].join('\n'));
    await refuses(['import', 'orders', path], [
      'line 12002: id o3 appears again (first on line 5); a file holds each row once',
      'Nothing imported: 1 of 12001 rows were rejected. Fix them, or run with --partial to import the others.',
    ]);
  });

  it('suggests --delimiter when the header splits on semicolons, and the suggestion works', async () => {
    const path = join(folder, 'semicolons.csv');
    await writeFile(path, 'id;customer_id;ordered_at;revenue\ns1;c9;2026-11-05T10:00:00Z;20,00\n'.replace('20,00', '20.00'));
    await refuses(['import', 'orders', path], [`Nothing imported: the header is one field, "id;customer_id;ordered_at;revenue"; its columns look separated by ';': run with --delimiter ';'.`]);
    const { code } = await runMkt(test.db, ['import', 'orders', path, '--delimiter', ';']);
    expect(code).toBe(0);
    expect(await test.db.query(`SELECT id, customer_id, revenue FROM orders WHERE id = 's1'`)).toEqual([{ id: 's1', customer_id: 'c9', revenue: 20 }]);
  });
});
