/**
 * The journal of fills: every order event that carries a fill is written to order_fills (migration 2), so the
 * day's executions survive a restart (brokers report working orders after one, not what already filled).
 * Writes run one after another in arrival order; a read waits for the writes queued before it, so a page that
 * asks right after a fill sees it.
 *
 *   const journal = new FillJournal(sql, logger);
 *   const stop = relay.onAccountEvent((event) => journal.observe(event));
 */
import type { AccountEvent, OrderEvent, SymbolId } from '../../lib/contracts';
import type { Fill } from '../../lib/contracts/accounts';
import { kstDayStart } from '../../lib/format/kst-time';
import type { Logger } from '../logger';
import type { SqlClient } from '../store/sql-client';

/** A failed write is tried again this many times (a PostgreSQL fail-over takes a moment) before it is logged as lost. */
const WRITE_ATTEMPTS = 3;
/** Pause between attempts: long enough for a pool to get a fresh connection. */
const WRITE_RETRY_DELAY_MS = 200;

interface FillRow {
  account_id: string;
  order_id: string;
  filled_qty: number;
  symbol: string;
  side: 'buy' | 'sell';
  order_type: 'limit' | 'market';
  order_qty: number;
  order_price: number | null;
  fill_qty: number;
  fill_price: number;
  ts_ms: string | number;
}

export class FillJournal {
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlClient,
    private readonly logger: Logger,
  ) {}

  /** Takes any account event; only order events with a fill are written. */
  observe(event: AccountEvent): void {
    if (!('orderId' in event) || event.lastFill === null) return;
    const order = event;
    this.pending = this.pending.then(() => this.write(order));
  }

  /** Resolves when every fill observed so far is written (or given up on and logged). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Fills of the account since 00:00 KST of the day containing `now`, oldest first. */
  async today(accountId: string, now: number = Date.now()): Promise<{ fills: Fill[]; since: number }> {
    await this.settled();
    const since = kstDayStart(now);
    const rows = await this.sql.query<FillRow>(
      `SELECT account_id, order_id, filled_qty, symbol, side, order_type, order_qty, order_price, fill_qty, fill_price, ts_ms
       FROM order_fills WHERE account_id = $1 AND ts_ms >= $2 ORDER BY ts_ms, order_id, filled_qty`,
      [accountId, since],
    );
    return { since, fills: rows.map(toFill) };
  }

  private async write(event: OrderEvent): Promise<void> {
    const fill = event.lastFill!;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sql.query(
          `INSERT INTO order_fills (account_id, order_id, filled_qty, symbol, side, order_type, order_qty, order_price, fill_qty, fill_price, source, ts_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (account_id, order_id, filled_qty) DO NOTHING`,
          [event.accountId, event.orderId, event.filledQty, event.symbol, event.side, event.type, event.qty, event.price, fill.qty, fill.price, event.source, Math.round(event.ts)],
        );
        return;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS) {
          // Logged with the whole fill, so nothing is lost from the record even when the store is down.
          this.logger.error({ error: error instanceof Error ? error.message : String(error), fill: event }, 'could not journal a fill');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_DELAY_MS));
      }
    }
  }
}

function toFill(row: FillRow): Fill {
  return {
    accountId: row.account_id,
    orderId: row.order_id,
    symbol: row.symbol as SymbolId,
    side: row.side,
    type: row.order_type,
    orderQty: Number(row.order_qty),
    orderPrice: row.order_price === null ? null : Number(row.order_price),
    qty: Number(row.fill_qty),
    price: Number(row.fill_price),
    filledQty: Number(row.filled_qty),
    ts: Number(row.ts_ms),
  };
}
