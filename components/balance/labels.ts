/** Korean words for order sides and types, and instrument names for symbols, as the balances page shows them. */
import type { OrderSide, OrderType } from '@/lib/contracts';

export const sideLabel = (side: OrderSide) => (side === 'buy' ? '매수' : '매도');
export const typeLabel = (type: OrderType) => (type === 'limit' ? '지정가' : '시장가');

/** "삼성전자", or the symbol itself when the universe does not list it. */
export function nameOf(names: ReadonlyMap<string, string>, symbol: string): string {
  return names.get(symbol) ?? symbol;
}
