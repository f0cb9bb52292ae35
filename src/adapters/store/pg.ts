import pg from 'pg';
import type { Db, Row } from './db.js';
import { INT8_OID, NUMERIC_OID, parseInt8, parseNumeric } from './db.js';

const typeParsers = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === INT8_OID) return parseInt8;
    if (oid === NUMERIC_OID) return parseNumeric;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/**
 * Session settings for the bot's analytical reads. JIT compilation costs ~0.5 s per query over 10⁶
 * customers, more than it saves on queries that run 1-3 s; hash aggregates over a million customer
 * ids spill to disk at the default 4 MB of work_mem. Per session, so the server's defaults stay.
 */
const SESSION_SETTINGS = ['jit=off', 'work_mem=64MB'];

export interface PgOptions {
  /** A schema to create and use as search_path: lets parallel test files share one database. */
  schema?: string;
  maxConnections?: number;
  connectTimeoutMs?: number;
}

/** Connects to a PostgreSQL server and checks the connection once, so a bad URL fails at start. */
export async function openPg(url: string, options: PgOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 8,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    types: typeParsers,
    options: [...SESSION_SETTINGS, ...(options.schema ? [`search_path=${options.schema}`] : [])].map((setting) => `-c ${setting}`).join(' '),
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  try {
    if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    else await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return poolDb(pool);
}

function clientDb(client: pg.PoolClient): Db {
  const db: Db = {
    kind: 'pg',
    query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await client.query<T>(sql, params as unknown[])).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
    transaction: (work) => work(db),
    close: async () => undefined,
  };
  return db;
}

function poolDb(pool: pg.Pool): Db {
  return {
    kind: 'pg',
    query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await pool.query<T>(sql, params as unknown[])).rows,
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work(clientDb(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
