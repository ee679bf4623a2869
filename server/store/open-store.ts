/**
 * Opens the store the configuration asks for — PostgreSQL when DATABASE_URL is set, the embedded PGlite under
 * DATA_DIR otherwise — and brings its schema up to date.
 */
import path from 'node:path';
import type { SiseConfig } from '../config';
import { openEmbeddedSql } from './embedded-sql';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { openPostgresSql } from './postgres-sql';
import type { SqlClient } from './sql-client';

export async function openStore(config: Pick<SiseConfig, 'databaseUrl' | 'dataDir'>): Promise<SqlClient> {
  const sql = config.databaseUrl ? await openPostgresSql(config.databaseUrl) : await openEmbeddedSql(path.join(config.dataDir, 'store'));
  try {
    await migrate(sql, MIGRATIONS);
  } catch (error) {
    await sql.close();
    throw error;
  }
  return sql;
}
