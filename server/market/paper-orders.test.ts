import { describe, expect, it } from 'vitest';
import type { SymbolId } from '../../lib/contracts';
import { krxTickDown } from '../../lib/format/krx-tick-size';
import type { PaperOrderUpdate } from './engine-types';
import { MarketEngine } from './market-engine';
import { PaperOrderError } from './paper-orders';

const kst = (text: string) => Date.parse(`${text}+09:00`);
const STEP_MS = 50;
const OWNER = 'kis:50012345-01';
const OTHER = 'kiwoom:5012345678';

function setup(options: { symbols?: SymbolId[]; alwaysOpen?: boolean; start?: number; activity?: number; volatility?: number } = {}) {
  const clock = { now: options.start ?? kst('2026-03-02T10:00:00') };
  const engine = new MarketEngine({
    seed: 77,
    alwaysOpen: options.alwaysOpen ?? true,
    now: () => clock.now,
    symbols: options.symbols ?? ['KRX:005930', 'UPBIT:KRW-BTC'],
    activity: options.activity,
    volatility: options.volatility,
  });
  const updates: PaperOrderUpdate[] = [];
  engine.on('order', (u) => updates.push(u));
  const advance = (steps: number) => {
    for (let i = 0; i < steps; i++) {
      clock.now += STEP_MS;
      engine.step(STEP_MS);
    }
  };
  return { engine, clock, updates, advance };
}

describe('market orders', () => {
  it('a market buy walks the ask levels, one fill per level, and the book shows what it took', () => {
    const { engine, updates } = setup();
    const books: { asks: { price: number; qty: number }[] }[] = [];
    engine.on('book', (b) => books.push(b));
    const asks = engine.state('KRX:005930')!.book.asks;
    const [a0, a1, a2] = [asks[0]!, asks[1]!, asks[2]!];
    const qty = a0.qty + a1.qty + 5;

    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'market', qty });

    expect(order.status).toBe('filled');
    expect(order.filledQty).toBe(qty);
    expect(order.remainingQty).toBe(0);
    expect(order.price).toBeNull();
    expect(order.avgFillPrice).toBeCloseTo((a0.price * a0.qty + a1.price * a1.qty + a2.price * 5) / qty, 6);
    expect(updates.map((u) => [u.order.status, u.fill])).toEqual([
      ['accepted', null],
      ['partially_filled', { qty: a0.qty, price: a0.price }],
      ['partially_filled', { qty: a1.qty, price: a1.price }],
      ['filled', { qty: 5, price: a2.price }],
    ]);
    expect(updates.every((u) => u.order.orderId === order.orderId)).toBe(true);
    // The two used-up levels are gone and the third shrank by 5.
    expect(books).toHaveLength(1);
    expect(books[0]!.asks[0]).toEqual({ price: a2.price, qty: a2.qty - 5 });
    expect(engine.state('KRX:005930')!.book.asks[0]).toEqual({ price: a2.price, qty: a2.qty - 5 });
    expect(engine.state('KRX:005930')!.book.asks).toHaveLength(10);
    expect(engine.openOrders(OWNER)).toEqual([]);
  });

  it('a market sell hits the bids', () => {
    const { engine } = setup();
    const bid = engine.state('KRX:005930')!.book.bids[0]!;
    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'sell', type: 'market', qty: 1 });
    expect(order.status).toBe('filled');
    expect(order.avgFillPrice).toBe(bid.price);
    expect(engine.state('KRX:005930')!.book.bids[0]).toEqual({ price: bid.price, qty: bid.qty - 1 });
  });

  it('a market order larger than the whole book fills what there is and cancels the rest', () => {
    const { engine, updates } = setup();
    const book = engine.state('KRX:005930')!.book;
    const depthQty = book.asks.reduce((sum, l) => sum + l.qty, 0);
    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'market', qty: depthQty * 100 });
    // Refilled levels at the far end keep supplying: at least the original depth got filled.
    expect(order.filledQty).toBeGreaterThanOrEqual(depthQty);
    expect(order.status).toBe('cancelled');
    expect(order.reason).toMatch(/liquidity/);
    expect(updates.at(-1)!.order.status).toBe('cancelled');
  });

  it('trades Upbit in fractional quantities', () => {
    const { engine } = setup();
    const order = engine.placeOrder({ owner: OWNER, symbol: 'UPBIT:KRW-BTC', side: 'buy', type: 'market', qty: 0.01234567 });
    expect(order.status).toBe('filled');
    expect(order.filledQty).toBe(0.01234567);
  });
});

describe('limit orders', () => {
  it('a marketable limit buy takes the levels up to its price and rests the remainder', () => {
    const { engine } = setup();
    const asks = engine.state('KRX:005930')!.book.asks;
    const limit = asks[1]!.price;
    const qty = asks[0]!.qty + asks[1]!.qty + 100;
    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'limit', qty, price: limit });
    expect(order.status).toBe('partially_filled');
    expect(order.filledQty).toBe(asks[0]!.qty + asks[1]!.qty);
    expect(order.remainingQty).toBe(100);
    expect(engine.openOrders(OWNER).map((o) => o.orderId)).toEqual([order.orderId]);
    expect(engine.state('KRX:005930')!.book.asks[0]!.price).toBe(asks[2]!.price);
  });

  it('a limit buy below the market rests, then fills in parts at its price as later prints reach it', () => {
    const { engine, updates, advance } = setup({ symbols: ['KRX:005930'], activity: 4, volatility: 3 });
    const bestBid = engine.state('KRX:005930')!.book.bids[0]!.price;
    const limit = krxTickDown(bestBid);
    const qty = 600;
    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'limit', qty, price: limit });
    expect(order.status).toBe('accepted');
    expect(order.filledQty).toBe(0);
    expect(engine.openOrders(OWNER)).toHaveLength(1);

    for (let i = 0; i < 400 && engine.openOrders(OWNER).length > 0; i++) advance(100);

    const mine = updates.filter((u) => u.order.orderId === order.orderId);
    const fills = mine.filter((u) => u.fill !== null);
    expect(fills.length).toBeGreaterThanOrEqual(2);
    expect(fills.every((u) => u.fill!.price === limit)).toBe(true);
    expect(fills.reduce((sum, u) => sum + u.fill!.qty, 0)).toBe(qty);
    expect(mine.map((u) => u.order.status)).toEqual([
      'accepted',
      ...fills.slice(0, -1).map(() => 'partially_filled'),
      'filled',
    ]);
    expect(mine.at(-1)!.order.avgFillPrice).toBe(limit);
    expect(engine.openOrders(OWNER)).toEqual([]);
  });

  it('fills resting orders best price first, sharing each print', () => {
    const { engine, updates, advance } = setup({ symbols: ['KRX:005930'], activity: 4, volatility: 3 });
    const bestBid = engine.state('KRX:005930')!.book.bids[0]!.price;
    const far = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'limit', qty: 50, price: krxTickDown(bestBid) });
    const near = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'limit', qty: 50, price: bestBid });
    for (let i = 0; i < 400 && engine.openOrders(OWNER).length > 0; i++) advance(100);
    const firstFill = updates.find((u) => u.fill !== null)!;
    expect(firstFill.order.orderId).toBe(near.orderId);
    expect(engine.order(far.orderId)?.status).toBe('filled');
  });
});

describe('cancel', () => {
  it('cancels a working order for its owner and refuses everyone and everything else', () => {
    const { engine, updates } = setup();
    const bestBid = engine.state('KRX:005930')!.book.bids[0]!.price;
    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'limit', qty: 10, price: krxTickDown(bestBid) });

    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      throw new Error('expected a PaperOrderError');
    };
    const notMine = refusal(() => engine.cancelOrder(OTHER, order.orderId));
    expect(notMine).toBeInstanceOf(PaperOrderError);
    expect(notMine).toMatchObject({ code: 'NOT_OWNER', apiCode: 'NOT_FOUND', orderId: order.orderId });
    expect(engine.openOrders(OWNER)).toHaveLength(1);
    expect(engine.openOrders(OTHER)).toEqual([]);

    const cancelled = engine.cancelOrder(OWNER, order.orderId);
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'cancelled by owner', filledQty: 0 });
    expect(updates.at(-1)!.order.status).toBe('cancelled');
    expect(engine.openOrders(OWNER)).toEqual([]);

    expect(refusal(() => engine.cancelOrder(OWNER, order.orderId))).toMatchObject({ code: 'ORDER_DONE', apiCode: 'BAD_REQUEST' });
    expect(refusal(() => engine.cancelOrder(OWNER, 'PO99999999'))).toMatchObject({ code: 'UNKNOWN_ORDER' });
    const filled = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'market', qty: 1 });
    expect(refusal(() => engine.cancelOrder(OWNER, filled.orderId))).toMatchObject({
      code: 'ORDER_DONE',
      message: expect.stringMatching(/already filled/),
    });
  });

  it('expires resting KRX day orders when the trading date rolls', () => {
    const { engine, clock, advance, updates } = setup({ start: kst('2026-03-02T23:59:00') });
    const bestBid = engine.state('KRX:005930')!.book.bids[0]!.price;
    const order = engine.placeOrder({ owner: OWNER, symbol: 'KRX:005930', side: 'buy', type: 'limit', qty: 10, price: krxTickDown(krxTickDown(krxTickDown(bestBid))) });
    clock.now = kst('2026-03-03T00:00:00');
    advance(1);
    const last = updates.filter((u) => u.order.orderId === order.orderId).at(-1)!;
    expect(last.order).toMatchObject({ status: 'cancelled', filledQty: 0 });
    expect(last.order.reason).toMatch(/expired/);
    expect(engine.openOrders(OWNER)).toEqual([]);
  });
});

describe('rejections', () => {
  const reasonFor = (request: Parameters<MarketEngine['placeOrder']>[0], options?: Parameters<typeof setup>[0]) => {
    const { engine, updates } = setup(options);
    const order = engine.placeOrder(request);
    expect(order.status).toBe('rejected');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.order).toEqual(order);
    expect(engine.openOrders(request.owner)).toEqual([]);
    return order.reason;
  };
  const base = { owner: OWNER, symbol: 'KRX:005930' as SymbolId, side: 'buy' as const };

  it('rejects an off-grid price and says what the grid is', () => {
    expect(reasonFor({ ...base, type: 'limit', qty: 1, price: 97_950 })).toBe(
      'price 97950 is off the tick grid (tick 100 at this price; nearest valid prices 97900 and 98000)',
    );
  });

  it('rejects a price outside the daily limits', () => {
    expect(reasonFor({ ...base, type: 'limit', qty: 1, price: 127_300 })).toMatch(/outside today's price limits 68600–127200/);
    expect(reasonFor({ ...base, type: 'limit', qty: 1, price: 68_500 })).toMatch(/outside today's price limits/);
  });

  it('rejects a limit order without a price', () => {
    expect(reasonFor({ ...base, type: 'limit', qty: 1 })).toBe('a limit order needs a price');
  });

  it('rejects bad quantities', () => {
    expect(reasonFor({ ...base, type: 'market', qty: 0 })).toBe('qty must be a positive number');
    expect(reasonFor({ ...base, type: 'market', qty: -3 })).toBe('qty must be a positive number');
    expect(reasonFor({ ...base, type: 'market', qty: 1.5 })).toBe('qty must be a whole number of shares on KRX');
    expect(reasonFor({ ...base, symbol: 'UPBIT:KRW-BTC', type: 'market', qty: 0.123456789 })).toBe(
      'qty has more than 8 decimal places',
    );
  });

  it('rejects unknown symbols', () => {
    expect(reasonFor({ ...base, symbol: 'KRX:999999', type: 'market', qty: 1 })).toBe('unknown symbol "KRX:999999"');
  });

  it('rejects KRX orders while KRX is closed, while Upbit still trades', () => {
    const saturday = kst('2026-03-07T11:00:00');
    expect(reasonFor({ ...base, type: 'market', qty: 1 }, { alwaysOpen: false, start: saturday })).toMatch(/^market closed/);
    const { engine, advance } = setup({ alwaysOpen: false, start: saturday });
    const btc = engine.placeOrder({ owner: OWNER, symbol: 'UPBIT:KRW-BTC', side: 'sell', type: 'market', qty: 0.001 });
    expect(btc.status).toBe('filled');
    let krx = 0;
    let upbit = 0;
    engine.on('trade', (t) => (t.symbol === 'KRX:005930' ? krx++ : upbit++));
    advance(200);
    expect(krx).toBe(0);
    expect(upbit).toBeGreaterThan(0);
  });
});
