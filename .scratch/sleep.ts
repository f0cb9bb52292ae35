import { openPglite } from '../src/adapters/store/pglite.js';
const db = await openPglite('memory://');
const t = performance.now();
await db.query('SELECT pg_sleep(1.5)');
console.log('slept', performance.now() - t);
await db.close();
