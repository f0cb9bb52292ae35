import { openPglite, dumpPglite } from '../src/adapters/store/pglite.js';
const t0 = performance.now();
const db = await openPglite('memory://');
console.log('open', performance.now() - t0);
console.log(await db.query('SELECT 1::int8 AS a, 2.5::numeric AS b, now() AS c, $1::jsonb AS j, $2::bytea AS by', [{ x: 1 }, Buffer.from('hi')]));
try { await db.query('SELECT * FROM nope'); } catch (e) { console.log('err', (e as any).code, (e as Error).message); }
const tick = setInterval(() => process.stdout.write('.'), 50);
const t1 = performance.now();
await db.query('SELECT count(*) FROM generate_series(1, 3000000)');
clearInterval(tick);
console.log('\nheavy', performance.now() - t1);
await db.transaction(async (tx) => { await tx.exec('CREATE TABLE t (a int)'); await tx.query('INSERT INTO t VALUES (1)'); });
console.log(await db.query('SELECT * FROM t'));
const dump = await dumpPglite(db);
console.log('dump', dump.size);
await db.close();
const db2 = await openPglite('memory://', { loadDataDir: dump });
console.log(await db2.query('SELECT * FROM t'));
console.log('done (no close on db2; process should exit)');
