/**
 * The simulated venue's risk book for one account: equities per currency and, per instrument, the executed
 * long/short cash and position that `N` (RiskUserSymbol) reports. Fills move equity between the instrument's
 * base and quote currencies. Pure bookkeeping; the simulator decides when to call it.
 */

export type Currency = 'BTC' | 'USDT' | 'ETH' | 'USD' | 'FLY';

/** Base and quote of each SymbolEnum (bo-binary.md §5): BTCUSD 1, USDUSDT 2, FLYUSDT 3, BTCUSDT 4. */
export const PAIRS: Readonly<Record<number, { base: Currency; quote: Currency }>> = {
  1: { base: 'BTC', quote: 'USD' },
  2: { base: 'USD', quote: 'USDT' },
  3: { base: 'FLY', quote: 'USDT' },
  4: { base: 'BTC', quote: 'USDT' },
};

/** A fresh simulator account starts with the equities of the reference's `N` example (§11 V11). */
export const SIM_START_EQUITY: Readonly<Record<Currency, number>> = { BTC: 25, USDT: 500_000, ETH: 1000, USD: 1_000_000, FLY: 400_000 };

export interface SymbolRisk {
  executedLongCash: number;
  executedLongPosition: number;
  executedShortCash: number;
  executedShortPosition: number;
}

export class SimLedger {
  readonly equity: Record<Currency, number> = { ...SIM_START_EQUITY };
  private readonly risk = new Map<number, SymbolRisk>();

  symbolRisk(symbolEnum: number): SymbolRisk {
    let entry = this.risk.get(symbolEnum);
    if (!entry) {
      entry = { executedLongCash: 0, executedLongPosition: 0, executedShortCash: 0, executedShortPosition: 0 };
      this.risk.set(symbolEnum, entry);
    }
    return entry;
  }

  /** Whether the account can pay for an order: the quote currency for a buy, the base for a sell. */
  canAfford(symbolEnum: number, buy: boolean, qty: number, price: number): boolean {
    const pair = PAIRS[symbolEnum];
    if (!pair) return false;
    return buy ? this.equity[pair.quote] >= qty * price : this.equity[pair.base] >= qty;
  }

  applyFill(symbolEnum: number, buy: boolean, qty: number, price: number): void {
    const pair = PAIRS[symbolEnum];
    if (!pair) return;
    const value = qty * price;
    const risk = this.symbolRisk(symbolEnum);
    if (buy) {
      this.equity[pair.base] += qty;
      this.equity[pair.quote] -= value;
      risk.executedLongCash += value;
      risk.executedLongPosition += qty;
    } else {
      this.equity[pair.base] -= qty;
      this.equity[pair.quote] += value;
      risk.executedShortCash += value;
      risk.executedShortPosition += qty;
    }
  }
}
