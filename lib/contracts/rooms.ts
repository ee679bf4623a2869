/**
 * Socket.IO room names. Joining a room is always a server decision made after an authorization check;
 * these builders are shared so that server, tests and bots spell them one way.
 */
import type { SymbolId } from './symbol';

export const symbolRoom = (symbol: SymbolId) => `sym:${symbol}` as const;
export const accountRoom = (accountId: string) => `acct:${accountId}` as const;
export const conditionRoom = (conditionKey: string) => `cond:${conditionKey}` as const;
export const dashboardRoom = (dashboardId: string) => `dash:${dashboardId}` as const;

export type RoomKind = 'sym' | 'acct' | 'cond' | 'dash';

/** Splits a room name into its kind and key: `sym:KRX:005930` → { kind: 'sym', key: 'KRX:005930' }. */
export function parseRoom(room: string): { kind: RoomKind; key: string } | null {
  const colon = room.indexOf(':');
  if (colon <= 0) return null;
  const kind = room.slice(0, colon);
  if (kind !== 'sym' && kind !== 'acct' && kind !== 'cond' && kind !== 'dash') return null;
  return { kind, key: room.slice(colon + 1) };
}
