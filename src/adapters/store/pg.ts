import pg from 'pg';
import { StoreUnavailableError } from '../../bot/store-unavailable.js';
import type { Db } from './db.js';
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
  // An idle client that loses its server must not crash the process; the pool drops it and connects anew.
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
    query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await unavailableOnLoss(client.query<T>(sql, params as unknown[]))).rows,
    exec: async (sql) => {
      await unavailableOnLoss(client.query(sql));
    },
    transaction: (work) => work(db),
    close: async () => undefined,
  };
  return db;
}

function poolDb(pool: pg.Pool): Db {
  return {
    kind: 'pg',
    query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await unavailableOnLoss(pool.query<T>(sql, params as unknown[]))).rows,
    exec: async (sql) => {
      await unavailableOnLoss(pool.query(sql));
    },
    transaction: async (work) => {
      const client = await unavailableOnLoss(pool.connect());
      // A checked-out client is not watched by the pool: without a listener of its own, a server that
      // goes away mid-transaction emits 'error' on it and ends the process (Node's unhandled 'error').
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const value = await work(clientDb(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        if (!lost && isConnectionLoss(error)) lost = error instanceof Error ? error : new Error(String(error));
        if (!lost) await client.query('ROLLBACK').catch(() => undefined);
        throw lost ? asUnavailable(error) : error;
      } finally {
        client.off('error', onError);
        // A client whose connection broke is destroyed rather than handed to the next caller.
        client.release(lost);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * SQLSTATE classes and socket errors that mean "the server is not there" rather than "the query is
 * wrong": class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up), and pg's own
 * messages for a socket that closed or a pool that timed out connecting.
 */
const LOST_SQLSTATES = /^(08...|57P0[123])$/;
const LOST_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/;

export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (LOST_SQLSTATES.test(code) || LOST_SOCKET_CODES.has(code)) return true;
  if (error instanceof AggregateError && error.errors.some(isConnectionLoss)) return true;
  return LOST_MESSAGES.test(error.message);
}

function asUnavailable(error: unknown): StoreUnavailableError {
  return error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
}

async function unavailableOnLoss<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    throw isConnectionLoss(error) ? asUnavailable(error) : error;
  }
}
