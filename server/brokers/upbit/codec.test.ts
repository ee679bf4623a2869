/**
 * The reference's test vectors (protocols/upbit.md §10, files in fixtures/) through the codec, in both key sets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeAccounts,
  decodeClientMessage,
  decodeFrame,
  encodeError,
  encodeFrames,
  encodeListResult,
  encodeRequest,
  parseOrderbookCode,
  STATUS_UP,
  toDecimalText,
  UPBIT_ERROR_NAMES,
  type DataFrame,
  type UpbitFrame,
} from './codec';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim();
const bytes = (text: string) => Buffer.from(text, 'utf8');

function decodeOne(text: string): UpbitFrame {
  const result = decodeFrame(bytes(text));
  if (!result.ok) throw new Error(result.reason);
  expect(result.frames).toHaveLength(1);
  return result.frames[0]!;
}

/** Trailing fractional zeros are not kept through a decode (pitfall §8.3); everything else is. */
const withoutTrailingZeros = (text: string) => text.replace(/(\d)\.0+(?=[,}\]])/g, '$1');

describe('requests', () => {
  it('V1: builds the documented subscribe request byte for byte and reads it back', () => {
    const v1 = fixture('v01-subscribe-default.json');
    const request = { ticket: '0e66c0ac-7e13-43ef-91fb-2a87c2956c49', types: [{ type: 'ticker' as const, codes: ['KRW-BTC', 'KRW-ETH'] }], format: 'DEFAULT' as const };
    expect(encodeRequest(request)).toBe(v1);
    expect(decodeClientMessage(v1)).toEqual({ kind: 'subscribe', request });
  });

  it('V2: mixed types without a format object, and an orderbook depth suffix with a level', () => {
    const [first, second] = fixture('v02-subscribe-mixed.jsonl').split('\n');
    expect(decodeClientMessage(first!)).toEqual({
      kind: 'subscribe',
      request: { ticket: 'uuid_', types: [{ type: 'orderbook', codes: ['KRW-BTC', 'KRW-ETH'] }, { type: 'trade', codes: ['KRW-XRP'] }], format: null },
    });
    const decoded = decodeClientMessage(second!);
    expect(decoded).toMatchObject({ kind: 'subscribe', request: { types: [{ type: 'orderbook', codes: ['KRW-BTC', 'KRW-ETH.5'], level: 10000 }], format: 'DEFAULT' } });
    expect(encodeRequest((decoded as { request: Parameters<typeof encodeRequest>[0] }).request)).toBe(second);
  });

  it('writes snake_case snapshot/realtime flags and reads the older camelCase ones too', () => {
    const text = encodeRequest({ ticket: 't', types: [{ type: 'trade', codes: ['KRW-BTC'], isOnlySnapshot: true, isOnlyRealtime: false }], format: 'SIMPLE' });
    expect(text).toBe('[{"ticket":"t"},{"type":"trade","codes":["KRW-BTC"],"is_only_snapshot":true,"is_only_realtime":false},{"format":"SIMPLE"}]');
    expect(decodeClientMessage('[{"ticket":"t"},{"type":"trade","codes":["KRW-BTC"],"isOnlyRealtime":true}]')).toMatchObject({
      request: { types: [{ isOnlyRealtime: true }] },
    });
  });

  it('orderbook depth codes: 1/5/15/30, anything else or nothing is 30', () => {
    expect(parseOrderbookCode('KRW-BTC.15')).toEqual({ code: 'KRW-BTC', depth: 15 });
    expect(parseOrderbookCode('KRW-BTC.1')).toEqual({ code: 'KRW-BTC', depth: 1 });
    expect(parseOrderbookCode('KRW-BTC.7')).toEqual({ code: 'KRW-BTC', depth: 30 });
    expect(parseOrderbookCode('KRW-BTC')).toEqual({ code: 'KRW-BTC', depth: 30 });
  });

  it.each([
    ['[{"type":"ticker","codes":["KRW-BTC"]}]', 'NO_TICKET'],
    ['[{"ticket":"t"}]', 'NO_TYPE'],
    ['[{"ticket":"t"},{"codes":["KRW-BTC"]}]', 'NO_TYPE'],
    ['[{"ticket":"t"},{"type":"ticker"}]', 'NO_CODES'],
    ['[{"ticket":"t"},{"type":"ticker","codes":[]}]', 'NO_CODES'],
    ['[{"ticket":"t"},{"type":"myAsset","codes":["KRW-BTC"]}]', 'WRONG_FORMAT'],
    ['{"ticket":"t"}', 'WRONG_FORMAT'],
    ['hello', 'WRONG_FORMAT'],
    ['[{"ticket":"t"},{"type":"ticker","codes":["krw-btc"]}]', 'INVALID_PARAM'],
    ['[{"ticket":"t"},{"type":"candle.7m","codes":["KRW-BTC"]}]', 'INVALID_PARAM'],
    ['[{"ticket":"t"},{"type":"ticker","codes":["KRW-BTC"]},{"format":"XML"}]', 'INVALID_PARAM'],
    ['[{"ticket":"t"},{"type":"ticker","codes":["KRW-BTC"],"is_only_snapshot":"yes"}]', 'INVALID_PARAM'],
  ])('a bad request %s is %s', (text, error) => {
    expect(decodeClientMessage(text)).toMatchObject({ kind: 'invalid', error });
  });

  it('PING and LIST_SUBSCRIPTIONS', () => {
    expect(decodeClientMessage('PING')).toEqual({ kind: 'ping' });
    expect(decodeClientMessage('[{"ticket":"x"},{"method":"LIST_SUBSCRIPTIONS"},{"format":"DEFAULT"}]')).toEqual({ kind: 'list', ticket: 'x', format: 'DEFAULT' });
  });
});

describe('data frames', () => {
  it('V3/V4: a ticker reads the same in both key sets and re-encodes to each vector byte for byte', () => {
    const v3 = fixture('v03-ticker-default.json');
    const v4 = fixture('v04-ticker-simple.json');
    const fromDefault = decodeOne(v3);
    expect(decodeOne(v4)).toEqual(fromDefault);
    expect(fromDefault).toMatchObject({ type: 'ticker', code: 'KRW-ETH', trade_price: 36929, prev_closing_price: 37235, change: 'FALL', signed_change_price: -306, acc_trade_volume: 0.149474, trade_timestamp: 1693383665811, delisting_date: null, stream_type: 'SNAPSHOT' });
    expect(encodeFrames([fromDefault as DataFrame], 'DEFAULT')).toBe(v3);
    expect(encodeFrames([fromDefault as DataFrame], 'SIMPLE')).toBe(v4);
  });

  it('V5/V6: a trade keeps its 17-digit sequential_id exactly in both key sets', () => {
    const v5 = fixture('v05-trade-default.json');
    const v6 = fixture('v06-trade-simple.json');
    const trade = decodeOne(v5);
    expect(decodeOne(v6)).toEqual(trade);
    expect(trade).toMatchObject({ type: 'trade', code: 'KRW-BTC', trade_price: 100473000, trade_volume: 0.00014208, ask_bid: 'BID', sequential_id: '17303368620470000', trade_date: '2024-10-31', trade_time: '01:07:42' });
    expect(encodeFrames([trade as DataFrame], 'DEFAULT')).toBe(withoutTrailingZeros(v5));
    expect(encodeFrames([trade as DataFrame], 'SIMPLE')).toBe(withoutTrailingZeros(v6));
  });

  it('a sequential_id that a double cannot hold survives decoding where JSON.parse corrupts it', () => {
    const text = fixture('v05-trade-default.json').replace('17303368620470000', '17303368620470001');
    expect(String(JSON.parse(text).sequential_id)).not.toBe('17303368620470001');
    expect(decodeOne(text)).toMatchObject({ sequential_id: '17303368620470001' });
    expect(decodeOne(fixture('v06-trade-simple.json').replace('17303368620470000', '99999999999999999'))).toMatchObject({ sequential_id: '99999999999999999' });
    expect(encodeFrames([decodeOne(text) as DataFrame], 'DEFAULT')).toContain('"sequential_id":17303368620470001,');
  });

  it('V7/V8: an orderbook in both key sets; V8 adds level 0', () => {
    const v7 = fixture('v07-orderbook-default.json');
    const v8 = fixture('v08-orderbook-simple.json');
    const book = decodeOne(v7);
    expect(book).toMatchObject({ type: 'orderbook', code: 'BTC-ETH', total_ask_size: 16.76384456, orderbook_units: [{ ask_price: 0.02295077, bid_price: 0.02161249, ask_size: 3.57100696, bid_size: 22.5303265 }, {}, {}] });
    expect(decodeOne(v8)).toEqual({ ...book, level: 0 });
    expect(encodeFrames([book as DataFrame], 'DEFAULT')).toBe(v7);
    expect(encodeFrames([{ ...(book as DataFrame), level: 0 } as DataFrame], 'SIMPLE')).toBe(v8);
  });

  it('V9: a type Sise does not use is tolerated, not an error', () => {
    expect(decodeOne(fixture('v09-candle-1s.json'))).toEqual({ type: 'unknown', name: 'candle.1s' });
  });

  it('V10 and every error name: typed error frames', () => {
    expect(decodeOne(fixture('v10-error.json'))).toEqual({ type: 'error', name: 'INVALID_AUTH', message: '인증 정보가 올바르지 않습니다.' });
    for (const name of UPBIT_ERROR_NAMES) expect(decodeOne(encodeError(name, `why ${name}`))).toEqual({ type: 'error', name, message: `why ${name}` });
  });

  it('V11: the keep-alive answer', () => {
    expect(decodeOne(STATUS_UP)).toEqual({ type: 'status', status: 'UP' });
  });

  it.each(['v12-my-order-wait.json', 'v13-my-order-trade.json'])('%s: myOrder re-encodes byte for byte and reads the same in SIMPLE keys', (name) => {
    const text = fixture(name);
    const order = decodeOne(text);
    expect(order.type).toBe('myOrder');
    expect(encodeFrames([order as DataFrame], 'DEFAULT')).toBe(text);
    const simple = encodeFrames([order as DataFrame], 'SIMPLE');
    expect(simple.startsWith('{"ty":"myOrder","cd":')).toBe(true);
    expect(decodeOne(simple)).toEqual(order);
  });

  it('V13: order sizes with 16 significant digits read exactly', () => {
    expect(decodeOne(fixture('v13-my-order-trade.json'))).toMatchObject({ state: 'trade', volume: 30925891.29839369, reserved_fee: 44.23943970238218, avg_price: 0.00145372 });
  });

  it('V14: myAsset balances keep every digit as decimal text, in both key sets', () => {
    const text = fixture('v14-my-asset.json');
    const asset = decodeOne(text);
    expect(asset).toMatchObject({ type: 'myAsset', assets: [{ currency: 'SGD', balance: '1386929.37231066771348207123', locked: '10329.670127489597585685' }], timestamp: 1710146517267 });
    expect(encodeFrames([asset as DataFrame], 'DEFAULT')).toBe(text);
    const simple = encodeFrames([asset as DataFrame], 'SIMPLE');
    expect(simple).toContain('"ast":[{"cu":"SGD","b":1386929.37231066771348207123,"l":10329.670127489597585685}]');
    expect(decodeOne(simple)).toEqual(asset);
  });

  it('V15: LIST_SUBSCRIPTIONS answers in both key sets', () => {
    const expected = { type: 'listSubscriptions', ticket: 'unique uuid', result: [{ type: 'myAsset' }, { type: 'myOrder', codes: ['BTC-ETH'] }] };
    expect(decodeOne(fixture('v15-list-subscriptions.json'))).toEqual(expected);
    expect(encodeListResult('unique uuid', expected.result, 'DEFAULT')).toBe(fixture('v15-list-subscriptions.json'));
    expect(decodeOne(encodeListResult('unique uuid', expected.result, 'SIMPLE'))).toEqual(expected);
  });

  it('V16: REST accounts keep amounts as decimal text', () => {
    expect(decodeAccounts(`[${fixture('v16-rest-account.json')}]`)).toEqual([
      { currency: 'KRW', balance: '83871.9375', locked: '6128.0625', avg_buy_price: '0', avg_buy_price_modified: true, unit_currency: 'KRW' },
    ]);
    expect(decodeAccounts('[{"currency":"BTC","balance":"abc","locked":"0","avg_buy_price":"0"}]')).toMatch(/non-decimal/);
  });

  it('JSON_LIST and SIMPLE_LIST carry several frames in one array', () => {
    const ticker = decodeOne(fixture('v03-ticker-default.json')) as DataFrame;
    const trade = decodeOne(fixture('v05-trade-default.json')) as DataFrame;
    for (const format of ['JSON_LIST', 'SIMPLE_LIST'] as const) {
      const text = encodeFrames([ticker, trade], format);
      expect(text.startsWith('[{')).toBe(true);
      expect(decodeFrame(bytes(text))).toEqual({ ok: true, frames: [ticker, trade] });
    }
    expect(() => encodeFrames([ticker, trade], 'DEFAULT')).toThrow(RangeError);
  });

  it.each([
    ['not JSON', '{"type":"trade","code":'],
    ['a number', '42'],
    ['a frame without a type', '{"foo":1}'],
    ['a trade without a price', '{"type":"trade","code":"KRW-BTC","timestamp":1,"trade_timestamp":1,"trade_volume":1,"ask_bid":"BID","prev_closing_price":1,"sequential_id":1}'],
    ['a price that is text', fixture('v05-trade-default.json').replace('"trade_price":100473000.00000000', '"trade_price":"cheap"')],
    ['units that are not a list', '{"type":"orderbook","code":"KRW-BTC","timestamp":1,"total_ask_size":1,"total_bid_size":1,"orderbook_units":5}'],
    ['an asset with a text balance', '{"type":"myAsset","assets":[{"currency":"KRW","balance":"lots","locked":0}],"timestamp":1}'],
  ])('%s is a typed decode failure, not an exception', (_what, text) => {
    const result = decodeFrame(bytes(text));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason.length).toBeGreaterThan(0);
  });

  it('exponent literals become decimal text', () => {
    expect(toDecimalText('1e-8')).toBe('0.00000001');
    expect(toDecimalText('1.5E+3')).toBe('1500');
    expect(toDecimalText('98000.00000000')).toBe('98000.00000000');
  });
});
