import type { Migration } from '../migrations';

/**
 * Who else may see a broker account (its owner shares it), and the journal of fills, so "today's fills"
 * survive a restart even though brokers report working orders, not the day's executions, after one.
 */
export const accountsMigration: Migration = {
  id: 2,
  name: 'account shares and the fill journal',
  sql: `
    CREATE TABLE account_shares (
      -- Account ids are '<brokerId>:<account number>'; the account itself lives in a broker session, not here.
      account_id text NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      granted_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_id, user_id)
    );
    CREATE INDEX account_shares_user ON account_shares (user_id);

    CREATE TABLE order_fills (
      account_id text NOT NULL,
      order_id text NOT NULL,
      -- The order's cumulative filled quantity after this fill: it names one fill of one order, so the same
      -- fill seen twice (a reconnect's reconciliation) is stored once.
      filled_qty double precision NOT NULL,
      symbol text NOT NULL,
      side text NOT NULL CHECK (side IN ('buy', 'sell')),
      order_type text NOT NULL CHECK (order_type IN ('limit', 'market')),
      order_qty double precision NOT NULL,
      order_price double precision,
      fill_qty double precision NOT NULL,
      fill_price double precision NOT NULL,
      source text NOT NULL,
      -- Exchange time of the fill, epoch milliseconds.
      ts_ms bigint NOT NULL,
      PRIMARY KEY (account_id, order_id, filled_qty)
    );
    CREATE INDEX order_fills_day ON order_fills (account_id, ts_ms);
  `,
};
