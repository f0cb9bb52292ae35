import { PGlite } from '@electric-sql/pglite';
let t=Date.now();
const db = await PGlite.create('/tmp/pgl-test');
console.log('create', Date.now()-t); t=Date.now();
await db.exec('create table if not exists x(a int)');
const dump = await db.dumpDataDir('none');
console.log('dump', Date.now()-t, dump.size); t=Date.now();
await db.close();
const db2 = await PGlite.create({ loadDataDir: dump });
console.log('load mem', Date.now()-t); t=Date.now();
console.log(await db2.query('select count(*) from x'));
const db3 = await PGlite.create('/tmp/pgl-test');
console.log('open dir', Date.now()-t); t=Date.now();
if (db3.clone) { const c = await db3.clone(); console.log('clone', Date.now()-t); }
