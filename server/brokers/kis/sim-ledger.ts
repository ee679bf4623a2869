/**
 * The simulated KIS account's money: cash and holdings, moved by paper fills. The market engine matches orders
 * but keeps no cash, so the KIS simulator keeps this beside it. Amounts are KRW integers (KRX prices are whole
 * won); fees and taxes are not modelled, so a round trip at the same price leaves cash unchanged.
 */
import type { OrderSide, SymbolId } from '../../../lib/contracts';

export interface LedgerHolding {
  symbol: SymbolId;
  name: string;
  qty: number;
  /** Cost of what is held; avg price = purchaseAmount / qty. */
  purchaseAmount: number;
  /** Shares bought and sold today, for KIS's thdt_buyqty / thdt_sll_qty. */
  boughtToday: number;
  soldToday: number;
}

export class PaperLedger {
  private cashKrw: number;
  private readonly holdings = new Map<SymbolId, LedgerHolding>();

  constructor(startingCash: number) {
    this.cashKrw = startingCash;
  }

  get cash(): number {
    return this.cashKrw;
  }

  /** Holdings in the order they were first bought; a sold-out one stays with qty 0, as KIS lists it until D+2. */
  list(): LedgerHolding[] {
    return [...this.holdings.values()].map((h) => ({ ...h }));
  }

  qtyOf(symbol: SymbolId): number {
    return this.holdings.get(symbol)?.qty ?? 0;
  }

  fill(symbol: SymbolId, name: string, side: OrderSide, qty: number, price: number): void {
    const amount = qty * price;
    let holding = this.holdings.get(symbol);
    if (!holding) {
      holding = { symbol, name, qty: 0, purchaseAmount: 0, boughtToday: 0, soldToday: 0 };
      this.holdings.set(symbol, holding);
    }
    if (side === 'buy') {
      this.cashKrw -= amount;
      holding.qty += qty;
      holding.purchaseAmount += amount;
      holding.boughtToday += qty;
    } else {
      this.cashKrw += amount;
      // Selling keeps the average cost of what remains.
      const avg = holding.qty > 0 ? holding.purchaseAmount / holding.qty : 0;
      holding.qty -= qty;
      holding.purchaseAmount = holding.qty > 0 ? Math.round(avg * holding.qty) : 0;
      holding.soldToday += qty;
    }
  }
}
