/**
 * Condition search (조건검색) over the HTTP API and the `cond:<key>` rooms. A condition's key is
 * `<brokerId>:<the broker's condition id>`, e.g. `kiwoom:3`.
 */
import type { BrokerId } from './brokers';
import type { SymbolId } from './symbol';

export interface ConditionSummary {
  key: string;
  broker: BrokerId;
  id: string;
  name: string;
  /** Someone is watching it live now (the broker runs it as a live search). */
  live: boolean;
  /** The accounts of the broker login the condition is saved under. */
  accountIds: string[];
}

/** One symbol a condition matched, with the quote at the time of the run. */
export interface ConditionHit {
  symbol: SymbolId;
  name: string;
  price: number;
  change: number;
  /** Percent: −1.3 means −1.30 %. */
  changeRate: number;
  volume: number;
}

export function parseConditionKey(key: string): { broker: string; id: string } | null {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1 || key.length > 80) return null;
  return { broker: key.slice(0, colon), id: key.slice(colon + 1) };
}
