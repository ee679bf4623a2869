import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceSchema, conditionSchema, hogaSchema, orderSchema, tickSchema } from '../../../lib/contracts';
import { conditionHitFromRow } from './adapter';
import {
  codeFromSymbol,
  decimalText,
  decodeClientFrame,
  decodeServerFrame,
  directionOf,
  encodeClientFrame,
  encodeServerFrame,
  epochToKstDateTime,
  KiwoomCodecError,
  kstDateTimeToEpoch,
  kstTimeToEpoch,
  magnitude,
  padded,
  signedNumber,
  symbolFromCode,
  type RealItem,
  type ServerFrame,
} from './codec';
import { balanceFromReal, conditionFromReal, hogaFromReal, orderFromReal, tickFromReal } from './normalize';
import {
  holdingFromRow,
  HOLDINGS_KEY,
  openOrderFromRow,
  parseDeposit,
  parseOrderNumber,
  parseTokenResponse,
  returnCodeOf,
  type Body,
} from './rest-codec';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').trim();
const json = (name: string) => JSON.parse(fixture(name)) as Body;
const realItems = (name: string): RealItem[] => {
  const frame = decodeServerFrame(fixture(name));
  if (frame.trnm !== 'REAL') throw new Error(`${name} is not REAL`);
  return frame.data;
};
/** 2024-11-07 16:52:30 KST: a receipt time shortly after the official examples' 16:52:08. */
const RECV = Date.UTC(2024, 10, 7, 7, 52, 30);

describe('the WebSocket session script (§11.2, §11.4)', () => {
  const lines = fixture('ws-session.txt').split('\n');

  it('decodes every server line and encodes every client line back to the same text', () => {
    for (const line of lines) {
      const text = line.slice(2);
      if (line.startsWith('< ')) {
        const frame = decodeServerFrame(text);
        expect(frame.trnm).toBe(JSON.parse(text).trnm);
      } else {
        const frame = decodeClientFrame(text);
        expect(encodeClientFrame(frame)).toBe(text);
      }
    }
  });

  it('reads LOGIN success and failure, SYSTEM R10002, and the acks', () => {
    const server = lines.filter((l) => l.startsWith('< ')).map((l) => decodeServerFrame(l.slice(2)));
    expect(server[0]).toEqual({ trnm: 'LOGIN', return_code: 0, return_msg: '', sor_yn: 'Y' });
    expect(server[1]).toEqual({ trnm: 'PING', text: '{"trnm":"PING"}' });
    expect(server.filter((f) => f.trnm === 'REG')).toEqual([
      { trnm: 'REG', return_code: 0, return_msg: '' },
      { trnm: 'REG', return_code: 0, return_msg: '' },
    ]);
    expect(server.find((f) => f.trnm === 'REMOVE')).toEqual({ trnm: 'REMOVE', return_code: 0, return_msg: '' });
    const failed = server.find((f) => f.trnm === 'LOGIN' && f.return_code !== 0) as Extract<ServerFrame, { trnm: 'LOGIN' }>;
    expect(failed.return_code).toBe(1);
    expect(failed.return_msg).toContain('CODE=8005');
    expect(server.find((f) => f.trnm === 'SYSTEM')).toMatchObject({ code: 'R10002' });
  });

  it('echoes PING unchanged, whatever it carries', () => {
    const text = '{"trnm":"PING","extra":[1,2]}';
    const frame = decodeServerFrame(text);
    expect(encodeClientFrame({ trnm: 'PING', text: (frame as { text: string }).text })).toBe(text);
    expect(decodeServerFrame('PING')).toEqual({ trnm: 'PING', text: 'PING' });
  });

  it('reads REG/REMOVE requests with groups, refresh, several types and the account item ""', () => {
    const reg = decodeClientFrame(lines[4]!.slice(2));
    expect(reg).toEqual({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: ['005930'], type: ['0B', '0D'] }] });
    expect(decodeClientFrame(lines[6]!.slice(2))).toMatchObject({ grp_no: '2', data: [{ item: [''], type: ['00', '04'] }] });
    // BREAD's variant: REMOVE by type only, refresh "".
    expect(decodeClientFrame('{"trnm":"REMOVE","grp_no":"1","refresh":"","data":[{"type":["0B"]}]}')).toEqual({
      trnm: 'REMOVE',
      grp_no: '1',
      refresh: '',
      data: [{ item: [], type: ['0B'] }],
    });
    expect(() => decodeClientFrame('{"trnm":"REG","grp_no":"1","refresh":"2","data":[]}')).toThrow(KiwoomCodecError);
  });

  it('reads condition search: CNSRLST pairs, CNSRREQ one-shot rows with a space-padded seq, live jmcodes, CNSRCLR', () => {
    const server = lines.filter((l) => l.startsWith('< ')).map((l) => decodeServerFrame(l.slice(2)));
    const list = server.find((f) => f.trnm === 'CNSRLST') as Extract<ServerFrame, { trnm: 'CNSRLST' }>;
    expect(list.data[4]).toEqual(['4', '조건5']);
    const [oneShot, live] = server.filter((f) => f.trnm === 'CNSRREQ') as Array<Extract<ServerFrame, { trnm: 'CNSRREQ' }>>;
    expect(oneShot!.seq).toBe('2');
    expect(live!.data).toEqual([{ jmcode: 'A005930' }, { jmcode: 'A005930' }]);
    // Parser expectations for row 2: code 005930, price 75000, change −100, rate −1.30 %, volume 10386116.
    expect(conditionHitFromRow(oneShot!.data[1]!)).toEqual({
      symbol: 'KRX:005930',
      name: '삼성전자',
      price: 75000,
      change: -100,
      changeRate: -1.3,
      volume: 10386116,
    });
    expect(server.find((f) => f.trnm === 'CNSRCLR')).toEqual({ trnm: 'CNSRCLR', seq: '1', return_code: 0, return_msg: '' });
    const req = decodeClientFrame('{"trnm":"CNSRREQ","seq":"4","search_type":"1","stex_tp":"K"}');
    expect(req).toEqual({ trnm: 'CNSRREQ', seq: '4', search_type: '1', stex_tp: 'K' });
  });
});

describe('REAL frames (§11.3)', () => {
  it('0B: price 20800 down, change −50, −0.24 %, 82 buy-side, volumes, OHLC, 16:52:08 KST', () => {
    const [item] = realItems('real-0B.json');
    const tick = tickFromReal(item!, RECV)!;
    expect(tick).toMatchObject({
      symbol: 'KRX:005930',
      price: 20800,
      sign: 'down',
      change: -50,
      changeRate: -0.24,
      prevClose: 20850,
      qty: 82,
      side: 'buy',
      cumVolume: 30379732,
      cumValue: 632640 * 1_000_000,
      open: 20850,
      high: 21150,
      low: 20450,
      ts: Date.UTC(2024, 10, 7, 7, 52, 8),
    });
    expect(tickSchema.safeParse({ ...tick, seq: 1 }).success).toBe(true);
  });

  it('0D: 10 levels a side, best ask 20800 ×82, best bid 20700 ×23847, totals', () => {
    const [item] = realItems('real-0D.json');
    const hoga = hogaFromReal(item!, RECV)!;
    expect(hoga.asks).toHaveLength(10);
    expect(hoga.bids).toHaveLength(10);
    expect(hoga.asks[0]).toEqual({ price: 20800, qty: 82 });
    expect(hoga.bids[0]).toEqual({ price: 20700, qty: 23847 });
    expect(hoga.asks[9]).toEqual({ price: 21350, qty: 1242991 });
    expect(hoga.bids[9]).toEqual({ price: 20250, qty: 1062405 });
    expect(hoga.totalAskQty).toBe(12622527);
    expect(hoga.totalBidQty).toBe(14453430);
    expect(hoga.ts).toBe(Date.UTC(2024, 10, 7, 7, 52, 7));
    expect(hogaSchema.safeParse({ ...hoga, seq: 1 }).success).toBe(true);
  });

  it('0C is decoded but not mapped (no normalized event for a best-quote-only frame)', () => {
    const [item] = realItems('real-0C.json');
    expect(item).toMatchObject({ type: '0C', item: '005930', values: { '27': '-20800' } });
  });

  it('00: an accepted market buy, then its fill', () => {
    const accepted = orderFromReal(realItems('real-00-accepted.json')[0]!, RECV)!;
    expect(accepted).toMatchObject({
      accountId: 'kiwoom:1111111111',
      orderId: '0000018',
      origOrderId: null,
      symbol: 'KRX:005930',
      side: 'buy',
      type: 'market',
      status: 'accepted',
      qty: 1,
      price: null,
      filledQty: 0,
      remainingQty: 1,
      lastFill: null,
      reason: null,
    });
    expect(orderSchema.safeParse({ ...accepted, seq: 1 }).success).toBe(true);
    const filled = orderFromReal(realItems('real-00-filled.json')[0]!, RECV)!;
    expect(filled).toMatchObject({ status: 'filled', filledQty: 1, remainingQty: 0, lastFill: { qty: 1, price: 60100 } });
    expect(orderSchema.safeParse({ ...filled, seq: 2 }).success).toBe(true);
  });

  it('04: one changed holding as exact decimal text', () => {
    const balance = balanceFromReal(realItems('real-04.json')[0]!, RECV)!;
    expect(balance).toMatchObject({
      accountId: 'kiwoom:1111111111',
      full: false,
      cash: null,
      holdings: [{ symbol: 'KRX:005930', name: '삼성전자', qty: '102', orderableQty: '102', avgPrice: '154116', purchaseAmount: '15719834' }],
    });
    expect(balanceSchema.safeParse({ ...balance, seq: 1 }).success).toBe(true);
  });

  it('02: insert and delete for condition 4', () => {
    const insert = conditionFromReal(realItems('real-02-insert.json')[0]!, RECV, () => '삼성전자')!;
    expect(insert).toMatchObject({ conditionKey: 'kiwoom:4', symbol: 'KRX:005930', action: 'insert', name: '삼성전자' });
    expect(conditionSchema.safeParse({ ...insert, seq: 1 }).success).toBe(true);
    expect(conditionFromReal(realItems('real-02-delete.json')[0]!, RECV)!.action).toBe('delete');
  });

  it('keeps several items of mixed types from one frame, in order', () => {
    const [trade] = realItems('real-0B.json');
    const [book] = realItems('real-0D.json');
    const text = encodeServerFrame({ trnm: 'REAL', data: [trade!, book!, { ...trade!, item: '000660' }] });
    const frame = decodeServerFrame(text) as Extract<ServerFrame, { trnm: 'REAL' }>;
    expect(frame.data.map((d) => `${d.type}:${d.item}`)).toEqual(['0B:005930', '0D:005930', '0B:000660']);
  });
});

describe('REST bodies (§11.1)', () => {
  it('au10001: token and expiry read as KST', () => {
    const { token, expiresAt } = parseTokenResponse(json('rest-au10001.json'));
    expect(token).toBe('WQJCwyqInphKnR3bSRtB9NE1lv...');
    expect(new Date(expiresAt).toISOString()).toBe('2024-11-06T23:37:13.000Z');
  });

  it('kt00018: 46.25 %, A005930 → KRX:005930, −196888, 3 shares', () => {
    const body = json('rest-kt00018.json');
    expect(Number(body.tot_prft_rt)).toBe(46.25);
    const row = (body[HOLDINGS_KEY] as Body[])[0]!;
    expect(signedNumber(row.evltv_prft as string)).toBe(-196888);
    expect(holdingFromRow(row)).toEqual({ symbol: 'KRX:005930', name: '삼성전자', qty: '3', orderableQty: '3', avgPrice: '124500', purchaseAmount: '373500' });
  });

  it('kt00001: deposit and orderable cash', () => {
    expect(parseDeposit(json('rest-kt00001.json'))).toEqual({ deposit: '17534', orderable: '85341' });
  });

  it('ka10075: a working market buy (and the leading space in return_msg is harmless)', () => {
    const body = json('rest-ka10075.json');
    expect(returnCodeOf(body)).toBe(0);
    const order = openOrderFromRow((body.oso as Body[])[0]!, 'kiwoom:1234567890', RECV)!;
    expect(order).toMatchObject({ orderId: '0000069', symbol: 'KRX:005930', side: 'buy', type: 'market', status: 'accepted', qty: 1, remainingQty: 1, price: null });
    expect(orderSchema.safeParse({ ...order, seq: 1 }).success).toBe(true);
  });

  it('kt10001/kt10002/kt10003: order numbers; errors carry the broker code', () => {
    expect(parseOrderNumber(json('rest-kt10001.json'), 'kt10001')).toBe('0000138');
    expect(parseOrderNumber(json('rest-kt10002.json'), 'kt10002')).toBe('0000140');
    expect(parseOrderNumber(json('rest-kt10003.json'), 'kt10003')).toBe('0000141');
    const [rate, token] = JSON.parse(fixture('rest-errors.json')) as Body[];
    expect(() => parseOrderNumber(rate!, 'ka10075')).toThrow(/1700/);
    expect(() => parseTokenResponse(token!)).toThrow(/8005/);
  });
});

describe('value rules (§5)', () => {
  it('signed prices carry direction, not a negative amount', () => {
    expect(magnitude('+70000')).toBe(70000);
    expect(magnitude('-69900')).toBe(69900);
    expect(directionOf('-69900')).toBe('down');
    expect(directionOf('+70000')).toBe('up');
    expect(directionOf('70000')).toBe('flat');
    expect(magnitude(' 67300')).toBe(67300);
    expect(magnitude('')).toBeNull();
    expect(magnitude('-0.24')).toBe(0.24);
    for (const junk of ['0x1F', '1e3', 'Infinity', '+', '12a', '1.2.3']) expect(magnitude(junk)).toBeNull();
  });

  it('arithmetic signs, doubled signs and zero padding', () => {
    expect(signedNumber('-00000000196888')).toBe(-196888);
    expect(signedNumber('--335')).toBe(-335);
    expect(signedNumber('000000000124500')).toBe(124500);
    expect(decimalText('-00000100')).toBe('-100');
    expect(decimalText('000000000000000')).toBe('0');
    expect(decimalText('0.00')).toBe('0.00');
    expect(decimalText('-0000')).toBe('0');
    expect(padded(-196888, 15)).toBe('-00000000196888');
    expect(padded(124500, 15)).toBe('000000000124500');
  });

  it('codes: A-prefixed and _NX/_AL map to and from KRX symbols', () => {
    for (const code of ['005930', 'A005930', '005930_NX', '005930_AL', ' 005930 ']) expect(symbolFromCode(code)).toBe('KRX:005930');
    expect(symbolFromCode('0009K0')).toBe('KRX:0009K0');
    expect(symbolFromCode('bogus')).toBeNull();
    expect(symbolFromCode('12345')).toBeNull();
    expect(codeFromSymbol('KRX:005930')).toBe('005930');
    expect(codeFromSymbol('KRX:005930', 'NXT')).toBe('005930_NX');
    expect(codeFromSymbol('KRX:005930', 'SOR')).toBe('005930_AL');
    expect(codeFromSymbol('UPBIT:KRW-BTC')).toBeNull();
  });

  it('KST times: dates round-trip, HHmmss lands on the receipt date, or the day before near midnight', () => {
    expect(kstDateTimeToEpoch('20241107083713')).toBe(Date.UTC(2024, 10, 6, 23, 37, 13));
    expect(epochToKstDateTime(Date.UTC(2024, 10, 6, 23, 37, 13))).toBe('20241107083713');
    expect(kstDateTimeToEpoch('20241307083713')).toBeNull();
    // Received 00:00:01 KST on the 8th, stamped 23:59:59: that is the 7th.
    const justAfterMidnight = Date.UTC(2024, 10, 7, 15, 0, 1);
    expect(kstTimeToEpoch('235959', justAfterMidnight)).toBe(Date.UTC(2024, 10, 7, 14, 59, 59));
    expect(kstTimeToEpoch('250000', RECV)).toBeNull();
  });
});

describe('robustness (fast-check)', () => {
  const frameText = fc.oneof(
    fc.string(),
    fc.json(),
    fc.constantFrom(...['real-0B.json', 'real-0D.json', 'real-00-accepted.json', 'real-04.json', 'real-02-insert.json'].map(fixture)),
  );
  /** A valid fixture with a slice cut out, a character flipped, or a value swapped for junk. */
  const corrupted = fc
    .tuple(
      fc.constantFrom(...['real-0B.json', 'real-0D.json', 'real-00-filled.json', 'real-04.json', 'real-02-delete.json'].map(fixture)),
      fc.nat(),
      fc.nat(),
      fc.string({ maxLength: 4 }),
    )
    .map(([text, a, b, junk]) => {
      const i = a % text.length;
      const j = Math.min(text.length, i + (b % 12));
      return text.slice(0, i) + junk + text.slice(j);
    });

  it('decoding and normalizing random or corrupted frames either yields frames or a KiwoomCodecError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(frameText, corrupted), (text) => {
        let frame: ServerFrame;
        try {
          frame = decodeServerFrame(text);
        } catch (error) {
          expect(error).toBeInstanceOf(KiwoomCodecError);
          return;
        }
        if (frame.trnm !== 'REAL') return;
        for (const item of frame.data) {
          const events = [tickFromReal(item, RECV), hogaFromReal(item, RECV), orderFromReal(item, RECV), balanceFromReal(item, RECV), conditionFromReal(item, RECV)];
          const schemas = [tickSchema, hogaSchema, orderSchema, balanceSchema, conditionSchema];
          events.forEach((event, k) => {
            // Whatever the normalizer accepts must satisfy the contract; everything else is null.
            if (event !== null) expect(schemas[k]!.safeParse({ ...event, seq: 1 }).success).toBe(true);
          });
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('value parsers never throw and never return NaN', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const m = magnitude(text);
        const s = signedNumber(text);
        expect(m === null || Number.isFinite(m)).toBe(true);
        expect(s === null || Number.isFinite(s)).toBe(true);
        const d = decimalText(text);
        expect(d === null || /^-?\d+(\.\d+)?$/.test(d)).toBe(true);
        symbolFromCode(text);
      }),
    );
  });
});
