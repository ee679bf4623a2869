import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MarketEngine } from '../../market/market-engine';
import { decode, encode, nsFromMs, type TransactionMessage } from './codec';
import { REJECT, TX } from './enums';
import { hotp } from './hotp';
import { BoSimulator, SIM_ACCOUNT, SIM_API_KEY, SIM_USER } from './simulator';
import { is, logon, RawClient, waitUntil } from './test-client';

function fixture(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`./fixtures/${name}.hex`, import.meta.url), 'utf8').trim(), 'hex');
}

const BO_SYMBOLS = ['BO:BTCUSD', 'BO:USDUSDT', 'BO:FLYUSDT', 'BO:BTCUSDT'] as const;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(sim: BoSimulator) {
  const addrs = await sim.start();
  cleanups.push(() => sim.stop());
  return addrs;
}

async function client(addr: string): Promise<RawClient> {
  const c = await RawClient.connect(addr);
  cleanups.push(() => c.close());
  return c;
}

describe('example mode: the library’s example servers, byte for byte (§4.4)', () => {
  it('AES answers every read event with the fixed logon-OK (V3 with our OES port)', async () => {
    const sim = new BoSimulator({ mode: 'example' });
    const { aesAddr, oesAddr } = await started(sim);
    const aes = await client(aesAddr);
    aes.socket.write(fixture('v01-logon-readme-dump1'));
    await waitUntil(() => aes.bytes().length >= 143, 'the AES reply');
    const expected = Buffer.from(fixture('v03-aes-logon-reply'));
    expected.fill(0, 26, 50);
    expected.write(oesAddr, 26, 'latin1');
    expect(aes.bytes().subarray(0, 143).equals(expected)).toBe(true);
    // It does not look at what it got: garbage gets the same answer.
    aes.socket.write('hello');
    await waitUntil(() => aes.bytes().length >= 286, 'the second AES reply');
    expect(aes.bytes().subarray(143).equals(expected)).toBe(true);
  });

  it('OES: first read event → V4, every later one (any connection) → the fixed ORDER_ACK V15', async () => {
    const sim = new BoSimulator({ mode: 'example' });
    const { oesAddr } = await started(sim);
    const oes = await client(oesAddr);
    oes.socket.write(fixture('v05-oes-logon-client'));
    await waitUntil(() => oes.bytes().length >= 143, 'the OES logon reply');
    expect(oes.bytes().equals(fixture('v04-oes-logon-reply'))).toBe(true);
    oes.socket.write(fixture('v14-order-new-250'));
    await waitUntil(() => oes.bytes().length >= 143 + 250, 'the ack');
    expect(oes.bytes().subarray(143).equals(fixture('v15-order-ack-250'))).toBe(true);
    // The state is process-global: a second connection's logon gets an ORDER_ACK (§10.12).
    const second = await client(oesAddr);
    second.socket.write(fixture('v05-oes-logon-client'));
    await waitUntil(() => second.bytes().length >= 250, 'the second connection’s reply');
    expect(second.bytes().equals(fixture('v15-order-ack-250'))).toBe(true);
  });
});

describe('venue mode', () => {
  function venue(options: { heartbeatMs?: number } = {}) {
    const engine = new MarketEngine({ seed: 11, alwaysOpen: true, symbols: [...BO_SYMBOLS] });
    const sim = new BoSimulator({ mode: 'venue', engine, heartbeatMs: options.heartbeatMs ?? 0 });
    return { engine, sim };
  }

  const goodLogon = (extra: Parameters<typeof logon>[0] = {}) =>
    logon({ account: SIM_ACCOUNT, userName: SIM_USER, twoFA: hotp(SIM_API_KEY), ...extra });

  async function session(sim: BoSimulator) {
    const { aesAddr } = await started(sim);
    const aes = await client(aesAddr);
    aes.send(goodLogon());
    const [aesReply] = await aes.take(is('H'));
    expect(aesReply).toMatchObject({ loginStatus: 1, rejectReason: 0 });
    expect(aesReply!.key).not.toBe(0);
    const oes = await client(aesReply!.primaryOrderEntryIp);
    oes.send(goodLogon({ key: aesReply!.key }));
    const [oesReply] = await oes.take(is('H'));
    expect(oesReply).toMatchObject({ loginStatus: 1 });
    let seq = 1;
    const key = oesReply!.key;
    return { aesAddr, aes, oes, key, nextSeq: () => seq++ };
  }

  function order(key: number, seq: number, fields: Partial<TransactionMessage>): TransactionMessage {
    const base = decode(fixture('v14-order-new-250')) as TransactionMessage;
    return {
      ...base, account: SIM_ACCOUNT, side: 1, key, msgSeqNum: BigInt(seq), secondLegPrice: 0, routeEnum: 0, modifyType: 0,
      sendingTime: nsFromMs(Date.now()), ...fields,
    };
  }

  it('refuses a wrong TwoFA, account, user and logon type with LoginStatus 2 and the §5 reason, then closes', async () => {
    const { sim } = venue();
    const { aesAddr } = await started(sim);
    const cases: Array<[Parameters<typeof logon>[0], number]> = [
      [{ twoFA: '000000' }, REJECT.INVALID_KEY],
      [{ account: 1 }, REJECT.ACCOUNT_NOT_FOUND],
      [{ userName: 'NOBODY' }, REJECT.USER_NOT_FOUND],
      [{ logonType: 9 }, REJECT.INVALID_LOGON_TYPE],
    ];
    for (const [fields, reason] of cases) {
      const aes = await client(aesAddr);
      aes.send(goodLogon(fields));
      const [reply] = await aes.take(is('H'));
      expect(reply).toMatchObject({ loginStatus: 2, rejectReason: reason, key: 0 });
      await waitUntil(() => aes.closed, 'the AES to close');
    }
  });

  it('the OES wants the AES key once: a made-up key is KEY_INVALID', async () => {
    const { sim } = venue();
    const { oesAddr } = await started(sim);
    const oes = await client(oesAddr);
    oes.send(goodLogon({ key: 12345 }));
    const [reply] = await oes.take(is('H'));
    expect(reply).toMatchObject({ loginStatus: 2, rejectReason: REJECT.KEY_INVALID });
  });

  it('answers Y with one Q per instrument (START … FINISH), w with N per instrument, f with h', async () => {
    const { sim } = venue();
    const { oes, key, nextSeq } = await session(sim);
    oes.send({ type: 'Y', messageType: 0, rejectReason: 0, account: SIM_ACCOUNT, requestType: 1, key, symbolName: '', symbolType: 0, symbolEnum: 0, tradingSessionId: 506, sendingTime: 0n, msgSeqNum: nextSeq() });
    const instruments = await oes.take(is('Q'), 4);
    expect(instruments.map((q) => [q.symbolEnum, q.symbolName, q.responseType])).toEqual([
      [1, 'BTCUSD', 2], [2, 'USDUSDT', 3], [3, 'FLYUSDT', 3], [4, 'BTCUSDT', 4],
    ]);
    expect(instruments[0]).toMatchObject({ priceIncrement: 0.5, minSize: 0.00001 });
    oes.send({ type: 'w', messageType: 0, responseType: 0, account: SIM_ACCOUNT, tradingSessionId: 506, symbolEnum: 0, key, msgSeqNum: nextSeq(), sendingTime: 0n });
    const risk = await oes.take(is('N'), 4);
    expect(risk[0]).toMatchObject({ account: SIM_ACCOUNT, userName: SIM_USER, usdEquity: 1_000_000, btcEquity: 25, openOrderRequestLimit: 1000 });
    oes.send({ type: 'f', messageType: 0, updateType: 0, account: SIM_ACCOUNT, tradingSessionId: 506, symbolEnum: 0, key, msgSeqNum: nextSeq(), sendingTime: 0n });
    const [collateral] = await oes.take(is('h'));
    expect(collateral).toMatchObject({ messageType: 31, usdtEquity: 500_000 });
  });

  it('acks a resting limit order, lists it on E, cancels it; rejects bad orders with their §5 reasons', async () => {
    const { sim, engine } = venue();
    const { oes, key, nextSeq } = await session(sim);
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    oes.send(order(key, nextSeq(), { orderId: 1001n, price: bid - 50, orderQty: 0.25 }));
    const [ack] = await oes.take(is('T', (t) => t.orderId === 1001n));
    expect(ack).toMatchObject({ messageType: TX.ORDER_ACK, remainingQuantity: 0.25, key });

    oes.send({ type: 'E', messageType: 0, account: SIM_ACCOUNT, symbolEnum: 0, symbolName: '', tradingSessionId: 506, sendingTime: 0n, msgSeqNum: nextSeq() });
    const [status] = await oes.take(is('T', (t) => t.messageType === TX.ORDER_STATUS));
    expect(status).toMatchObject({ orderId: 1001n, remainingQuantity: 0.25, execShares: 0 });

    oes.send(order(key, nextSeq(), { messageType: TX.ORDER_CANCEL, orderId: 1001n, origOrderId: 1001n }));
    await oes.take(is('T', (t) => t.messageType === TX.CANCELLED && t.orderId === 1001n));

    const bad: Array<[Partial<TransactionMessage>, number]> = [
      [{ orderId: 2001n, price: bid + 0.25 }, REJECT.PRICE_INVALID],
      [{ orderId: 2002n, price: bid, orderQty: 0 }, REJECT.SIZE_INVALID],
      [{ orderId: 2003n, price: bid, symbolEnum: 9 }, REJECT.SYMBOL_ENUM_INVALID],
      [{ orderId: 2004n, price: bid, side: 7 }, REJECT.ORDER_SIDE_INVALID],
      [{ orderId: 2005n, price: bid, orderType: 11 }, REJECT.ORD_TYPE_INVALID],
      [{ orderId: 1001n, price: bid }, REJECT.DUPLICATE_ORDER_ID],
      [{ orderId: 2006n, price: bid, orderQty: 999 }, REJECT.NOT_ENOUGH_EQUITY_TO_COMPLETE],
      [{ orderId: 2007n, price: bid, key: key + 1 }, REJECT.KEY_INVALID],
      [{ orderId: 2008n, messageType: TX.ORDER_CANCEL, origOrderId: 424242n }, REJECT.ORIG_ORDER_NOT_FOUND],
    ];
    for (const [fields, reason] of bad) {
      oes.send(order(key, nextSeq(), { orderQty: 0.1, ...fields }));
      const [reject] = await oes.take(is('T', (t) => t.orderId === fields.orderId && t.messageType === TX.REJECT));
      expect(reject!.rejectReason).toBe(reason);
    }
  });

  it('a crossing limit order fills immediately in two parts: QUOTE_FILL_PARTIAL then QUOTE_FILL', async () => {
    const { sim, engine } = venue();
    const { oes, key, nextSeq } = await session(sim);
    const asks = engine.state('BO:BTCUSD')!.book.asks;
    const qty = Math.round((asks[0]!.qty + 0.001) * 1e5) / 1e5;
    oes.send(order(key, nextSeq(), { orderId: 3001n, price: asks[1]!.price, orderQty: qty }));
    const replies = await oes.take(is('T', (t) => t.orderId === 3001n), 3);
    expect(replies.map((t) => t.messageType)).toEqual([TX.ORDER_ACK, TX.QUOTE_FILL_PARTIAL, TX.QUOTE_FILL]);
    expect(replies[1]).toMatchObject({ execShares: asks[0]!.qty, execPrice: asks[0]!.price });
    expect(replies[2]).toMatchObject({ execPrice: asks[1]!.price, remainingQuantity: 0 });
    expect(replies[1]!.execId).not.toBe(replies[2]!.execId);
  });

  it('replace answers REPLACED naming the old order; the old one is not reported CANCELLED', async () => {
    const { sim, engine } = venue();
    const { oes, key, nextSeq } = await session(sim);
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    oes.send(order(key, nextSeq(), { orderId: 4001n, price: bid - 100, orderQty: 0.1 }));
    await oes.take(is('T', (t) => t.orderId === 4001n && t.messageType === TX.ORDER_ACK));
    oes.send(order(key, nextSeq(), { messageType: TX.CANCEL_REPLACE, orderId: 4002n, origOrderId: 4001n, price: bid - 50, orderQty: 0.2 }));
    const [replaced] = await oes.take(is('T', (t) => t.orderId === 4002n));
    expect(replaced).toMatchObject({ messageType: TX.REPLACED, origOrderId: 4001n, price: bid - 50, orderQty: 0.2 });
    expect(sim.openOrderIds()).toEqual([4002n]);
    expect(oes.received.some((m) => m.type === 'T' && m.messageType === TX.CANCELLED)).toBe(false);
  });

  it('INFERRED sequence rule: a gap is MSG_SEQ_NUM_INVALID', async () => {
    const { sim } = venue();
    const { oes, key } = await session(sim);
    oes.send({ type: 'w', messageType: 0, responseType: 0, account: SIM_ACCOUNT, tradingSessionId: 506, symbolEnum: 1, key, msgSeqNum: 5, sendingTime: 0n });
    await oes.take(is('N'));
    oes.send({ type: 'w', messageType: 0, responseType: 0, account: SIM_ACCOUNT, tradingSessionId: 506, symbolEnum: 1, key, msgSeqNum: 7, sendingTime: 0n });
    const [reject] = await oes.take(is('3'));
    expect(reject).toMatchObject({ refMsgType: 'w', rejectReason: REJECT.MSG_SEQ_NUM_INVALID, refMsgSeqNum: 7 });
  });

  it('INFERRED heartbeats: sends one when idle, answers a test request, closes a silent session', async () => {
    const { sim } = venue({ heartbeatMs: 80 });
    const { oes } = await session(sim);
    await oes.take(is('0'));
    oes.send({ type: '1', messageType: 0, padding: 0, account: SIM_ACCOUNT, tradingSessionId: 506, sendingTime: 0n, msgSeqNum: 1 });
    await oes.take(is('0'), 2);
    await waitUntil(() => oes.closed, 'the venue to close a client that never sends heartbeats');
  });

  it('replies for a dropped session are queued and sent after the next logon', async () => {
    const { sim, engine } = venue();
    const first = await session(sim);
    const bid = engine.state('BO:BTCUSD')!.book.bids[0]!.price;
    first.oes.send(order(first.key, first.nextSeq(), { orderId: 5001n, price: bid - 50, orderQty: 0.1 }));
    await first.oes.take(is('T', (t) => t.messageType === TX.ORDER_ACK));
    sim.dropOes();
    await waitUntil(() => first.oes.closed, 'the drop');
    engine.cancelOrder(sim.accountId, engine.openOrders(sim.accountId)[0]!.orderId);

    const aes = await client(first.aesAddr);
    aes.send(goodLogon());
    const [aesReply] = await aes.take(is('H'));
    const oes = await client(aesReply!.primaryOrderEntryIp);
    oes.send(goodLogon({ key: aesReply!.key }));
    await oes.take(is('H'));
    const [cancelled] = await oes.take(is('T', (t) => t.orderId === 5001n));
    expect(cancelled).toMatchObject({ messageType: TX.CANCELLED });
    expect(oes.received[0]!.type).toBe('H');
  });

  it('a second session for the same account is refused while the first is up', async () => {
    const { sim } = venue();
    const first = await session(sim);
    const aes = await client(first.aesAddr);
    aes.send(goodLogon());
    const [aesReply] = await aes.take(is('H'));
    const oes = await client(aesReply!.primaryOrderEntryIp);
    oes.send(goodLogon({ key: aesReply!.key }));
    const [reply] = await oes.take(is('H'));
    expect(reply).toMatchObject({ loginStatus: 2, rejectReason: REJECT.USER_ALREADY_LOGGED_IN });
    expect(encode(reply!)).toHaveLength(143);
  });
});
