/**
 * The quick reader must agree with the full decoder on every frame it accepts, and decline what it cannot read
 * safely. Generated frames come from the codec's own encoder, in both key sets.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrames, type OrderbookFrame, type TickerFrame, type TradeFrame } from './codec';
import { quickFrame } from './quick-fields';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim();
const TICK_FIELDS = ['code', 'opening_price', 'high_price', 'low_price', 'acc_trade_volume', 'acc_trade_price', 'trade_timestamp'] as const;
const TRADE_FIELDS = ['code', 'trade_price', 'trade_volume', 'ask_bid', 'prev_closing_price', 'trade_timestamp'] as const;

/** What the full decoder says about the fields the quick reader reads. */
function expected(text: string): Record<string, unknown> | null {
  const decoded = decodeFrame(text);
  if (!decoded.ok || decoded.frames.length !== 1) return null;
  const frame = decoded.frames[0]!;
  if (frame.type === 'orderbook') {
    const { code, timestamp, total_ask_size, total_bid_size, orderbook_units } = frame;
    return { type: 'orderbook', code, timestamp, total_ask_size, total_bid_size, orderbook_units };
  }
  if (frame.type !== 'ticker' && frame.type !== 'trade') return null;
  const fields = frame.type === 'ticker' ? TICK_FIELDS : TRADE_FIELDS;
  return { type: frame.type, ...Object.fromEntries(fields.map((k) => [k, (frame as Record<string, unknown>)[k]])) };
}

const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom(0, 1e-8, 0.00006314, 100473000, 36929.5));
const text = fc.oneof(fc.constantFrom('KRW-BTC', 'BID', 'ASK', 'RISE'), fc.string({ maxLength: 12 }));
const ticker = fc.record({ code: text, opening_price: number, high_price: number, low_price: number, trade_price: number, prev_closing_price: number, acc_trade_price: number, change: text, change_price: number, signed_change_price: number, change_rate: number, signed_change_rate: number, trade_volume: number, acc_trade_volume: number, trade_timestamp: fc.integer({ min: 0, max: 2 ** 45 }), timestamp: fc.integer({ min: 0, max: 2 ** 45 }) }).map((r) => ({ type: 'ticker', ...r }) as TickerFrame);
const unit = fc.record({ ask_price: number, bid_price: number, ask_size: number, bid_size: number });
const book = fc
  .record({ code: text, timestamp: fc.integer({ min: 0, max: 2 ** 45 }), total_ask_size: number, total_bid_size: number, orderbook_units: fc.array(unit, { maxLength: 30 }), level: fc.option(number, { nil: undefined }) })
  .map((r) => ({ type: 'orderbook', ...r }) as OrderbookFrame);
const trade = fc.record({ code: text, timestamp: fc.integer({ min: 0, max: 2 ** 45 }), trade_timestamp: fc.integer({ min: 0, max: 2 ** 45 }), trade_price: number, trade_volume: number, ask_bid: text, prev_closing_price: number, sequential_id: fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String) }).map((r) => ({ type: 'trade', ...r }) as TradeFrame);

describe('quickFrame', () => {
  it.each(['v03-ticker-default.json', 'v04-ticker-simple.json', 'v05-trade-default.json', 'v06-trade-simple.json', 'v07-orderbook-default.json', 'v08-orderbook-simple.json'])('reads %s exactly as the full decoder does', (name) => {
    const frame = fixture(name);
    expect(quickFrame(frame)).toEqual(expected(frame));
    expect(quickFrame(frame)).not.toBeNull();
  });

  it('declines what it cannot read safely', () => {
    expect(quickFrame(fixture('v07-orderbook-default.json').replace('{"ask_price":0.02295078,"bid_price"', '{"bid_price":0.02295078,"ask_price"'))).toBeNull();
    expect(quickFrame(fixture('v07-orderbook-default.json').replace('"bid_size":5}]', '"bid_size":5,"extra":1}]'))).toBeNull();
    expect(quickFrame(fixture('v14-my-asset.json'))).toBeNull();
    expect(quickFrame(fixture('v05-trade-default.json').slice(0, -1))).toBeNull();
    expect(quickFrame(fixture('v05-trade-default.json').replace('"code":"KRW-BTC"', '"code":"KRW-\\u0042TC"'))).toBeNull();
    expect(quickFrame(fixture('v05-trade-default.json').replace('"trade_price":100473000.00000000', '"trade_price":0100'))).toBeNull();
    expect(quickFrame(fixture('v05-trade-default.json').replace('"trade_price":100473000.00000000', '"trade_price":1e400'))).toBeNull();
    expect(quickFrame(fixture('v05-trade-default.json').replace('"trade_price":100473000.00000000,', ''))).toBeNull();
    expect(quickFrame(`[${fixture('v05-trade-default.json')}]`)).toBeNull();
  });

  it('agrees with the full decoder on every generated ticker, trade and orderbook, in both key sets', () => {
    fc.assert(
      fc.property(fc.oneof(ticker, trade, book), fc.constantFrom('DEFAULT', 'SIMPLE') as fc.Arbitrary<'DEFAULT' | 'SIMPLE'>, (frame, format) => {
        const text = encodeFrames([frame], format);
        const quick = quickFrame(text);
        if (quick !== null) expect(quick).toEqual(expected(text));
        // Plain codes and no escapes: the quick path must take it.
        if (!text.includes('\\')) expect(quick).not.toBeNull();
      }),
      { numRuns: 2_000 },
    );
  });

  it('on corrupted frames it either declines or agrees with the full decoder where that one succeeds', () => {
    const vectors = ['v03-ticker-default.json', 'v04-ticker-simple.json', 'v05-trade-default.json', 'v06-trade-simple.json', 'v07-orderbook-default.json', 'v08-orderbook-simple.json'].map(fixture);
    fc.assert(
      fc.property(fc.constantFrom(...vectors), fc.nat(), fc.string({ minLength: 0, maxLength: 3 }), (vector, at, insert) => {
        const i = at % vector.length;
        const text = vector.slice(0, i) + insert + vector.slice(i + 1);
        const quick = quickFrame(text);
        const full = expected(text);
        if (quick !== null && full !== null) expect(quick).toEqual(full);
        if (quick !== null) {
          for (const value of Object.values(quick)) expect(typeof value === 'string' || Number.isFinite(value) || Array.isArray(value)).toBe(true);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
