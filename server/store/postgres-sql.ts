/**
 * PostgreSQL for team deployments (DATABASE_URL), through a small connection pool.
 */
import pg from 'pg';
import type { SqlClient } from './sql-client';

/**
 * A web app's store traffic is short queries; ten connections serve a team easily and stay far below
 * PostgreSQL's default limit of 100 when several Sise nodes share one database.
 */
const POOL_SIZE = 10;
/** Fail a query that cannot get a connection instead of hanging a page. */
const CONNECT_TIMEOUT_MS = 5_000;

type Queryable = pg.Pool | pg.PoolClient;

function wrap(db: Queryable, inTransaction: boolean, close: () => Promise<void>): SqlClient {
  const client: SqlClient = {
    kind: 'postgres',
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async exec(text: string) {
      await db.query(text);
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>) {
      if (inTransaction) return work(client);
      const connection = await (db as pg.Pool).connect();
      try {
        await connection.query('BEGIN');
        const result = await work(wrap(connection, true, async () => {}));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK');
        throw error;
      } finally {
        connection.release();
      }
    },
    close,
  };
  return client;
}

export async function openPostgresSql(url: string): Promise<SqlClient> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A pool emits errors for idle connections the server closed; they are retried on next use, not fatal.
  pool.on('error', () => {});
  await pool.query('SELECT 1'); // fail at start, with the driver's reason, if the database is unreachable
  return wrap(pool, false, () => pool.end());
}
