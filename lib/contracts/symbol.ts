/**
 * Symbols are `MARKET:CODE`, one form for every broker: `KRX:005930`, `UPBIT:KRW-BTC`, `BO:ESZ6`.
 * Each adapter maps its own spellings (Kiwoom `A005930`, `005930_NX`; Upbit `KRW-BTC`) to and from this.
 */

export const MARKETS = ['KRX', 'UPBIT', 'BO'] as const;
export type Market = (typeof MARKETS)[number];

/** A symbol in canonical form. The template type catches `'005930'` passed where `'KRX:005930'` is meant. */
export type SymbolId = `${Market}:${string}`;

export interface ParsedSymbol {
  market: Market;
  code: string;
  symbol: SymbolId;
}

export type SymbolParseResult = { ok: true; value: ParsedSymbol } | { ok: false; reason: string };

/** Longest text we even look at; anything longer is a mistake or an attack, not a symbol. */
const MAX_SYMBOL_LENGTH = 48;

const CODE_RULES: Record<Market, { pattern: RegExp; example: string }> = {
  // Six characters, first a digit; KRX has issued alphanumeric codes (e.g. 0009K0) since 2024.
  KRX: { pattern: /^[0-9][0-9A-Z]{5}$/, example: 'KRX:005930' },
  // Upbit markets are QUOTE-BASE in capitals.
  UPBIT: { pattern: /^(KRW|BTC|USDT)-[A-Z0-9]{1,15}$/, example: 'UPBIT:KRW-BTC' },
  // The order-entry venue's instrument names are free-form but short and printable.
  BO: { pattern: /^[A-Za-z0-9._-]{1,32}$/, example: 'BO:ESZ6' },
};

/**
 * Parses `MARKET:CODE`.
 * @example parseSymbol('KRX:005930') // { ok: true, value: { market: 'KRX', code: '005930', symbol: 'KRX:005930' } }
 * @example parseSymbol('bogus')      // { ok: false, reason: 'expected MARKET:CODE, e.g. KRX:005930' }
 */
export function parseSymbol(text: unknown): SymbolParseResult {
  if (typeof text !== 'string') return { ok: false, reason: 'a symbol must be a string' };
  if (text.length === 0 || text.length > MAX_SYMBOL_LENGTH) {
    return { ok: false, reason: `a symbol has 1 to ${MAX_SYMBOL_LENGTH} characters` };
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return { ok: false, reason: 'expected MARKET:CODE, e.g. KRX:005930' };
  const market = text.slice(0, colon);
  const code = text.slice(colon + 1);
  if (!isMarket(market)) {
    return { ok: false, reason: `unknown market "${market}"; markets are ${MARKETS.join(', ')}` };
  }
  const rule = CODE_RULES[market];
  if (!rule.pattern.test(code)) {
    return { ok: false, reason: `"${code}" is not a ${market} code, e.g. ${rule.example}` };
  }
  return { ok: true, value: { market, code, symbol: `${market}:${code}` } };
}

/** Like parseSymbol, for places where a bad symbol is a programming error. */
export function symbolOf(text: string): SymbolId {
  const parsed = parseSymbol(text);
  if (!parsed.ok) throw new TypeError(`bad symbol "${text}": ${parsed.reason}`);
  return parsed.value.symbol;
}

export function formatSymbol(market: Market, code: string): SymbolId {
  return symbolOf(`${market}:${code}`);
}

export function isMarket(text: string): text is Market {
  return (MARKETS as readonly string[]).includes(text);
}

/** The code part of a symbol: `KRX:005930` → `005930`. */
export function codeOf(symbol: SymbolId): string {
  return symbol.slice(symbol.indexOf(':') + 1);
}

export function marketOf(symbol: SymbolId): Market {
  return symbol.slice(0, symbol.indexOf(':')) as Market;
}
