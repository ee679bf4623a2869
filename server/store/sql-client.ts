/**
 * The one SQL surface the store is written against. Both backends speak PostgreSQL's dialect — the embedded
 * default is PGlite (PostgreSQL compiled to WebAssembly, persisted under DATA_DIR) and a team deployment's
 * server is real PostgreSQL — so one schema, one set of migrations and one set of queries serve both.
 */
export interface SqlClient {
  readonly kind: 'embedded' | 'postgres';
  /** One statement with `$1…$n` parameters. */
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
