/**
 * Fuzzing (fast-check): random, truncated and corrupted frames never produce anything but a KisCodecError, a
 * batch of any size and width decodes to exactly its records, and a live adapter fed garbage keeps serving.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { TickEvent } from '../../../lib/contracts';
import { silentLogger } from '../../logger';
import { MarketEngine } from '../../market/market-engine';
import type { FeedSink, Unstamped } from '../../relay/feed';
import { waitFor } from '../../relay/test-socket';
import { KisFeed } from './adapter';
import { decodeData, encodeDataFrame, KisCodecError, parseServerMessage, recordsOf, type KisCipherKey } from './codec';
import { isNoticeTr, TR_HOGA } from './layouts';
import { hogaOf, noticeOf, tickOf } from './normalize';
import { KisRestClient } from './rest-client';
import { KisSimulator, SIM_APP_KEY, SIM_APP_SECRET } from './simulator';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const CIPHER: KisCipherKey = { key: 'abcdefghijklmnopqrstuvwxyzabcdef', iv: '0123456789abcdef' };
const SEEDS = ['h0stcnt0-single.txt', 'h0stcnt0-batch3.txt', 'h0stasp0-62.txt', 'h0stcni0-fill.txt', 'ack-quote.txt', 'ack-notice.txt'].map(fixture);
/** Enough runs to hit every branch of the grammar many times; the whole file stays around a second. */
const RUNS = 2_000;

/** The adapter's whole path for one frame: classify, decrypt, split, map every record. */
function fullDecode(text: string): number {
  const message = parseServerMessage(text);
  if (message.kind !== 'data') return 0;
  const frame = decodeData(message, CIPHER);
  for (let i = 0; i < frame.count; i++) {
    if (frame.trId === TR_HOGA) hogaOf(frame, i, 0);
    else if (isNoticeTr(frame.trId)) noticeOf(frame, i, 0);
    else tickOf(frame, i, 0);
  }
  return frame.count;
}

function onlyTypedErrors(text: string): void {
  try {
    fullDecode(text);
  } catch (error) {
    if (!(error instanceof KisCodecError)) throw error;
  }
}

/** A seed frame, cut short or with characters replaced, inserted or deleted. */
const corrupted = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 4 }), fc.option(fc.nat()))
  .map(([seed, edits, cut]) => {
    let text = seed;
    for (const [at, kind, s] of edits) {
      const i = at % (text.length + 1);
      if (kind === 0) text = text.slice(0, i) + s + text.slice(i + 1);
      else if (kind === 1) text = text.slice(0, i) + s + text.slice(i);
      else if (kind === 2) text = text.slice(0, i) + text.slice(i + 1);
      else text = text.slice(0, i) + ['|', '^', '{', '0', '1'][at % 5] + text.slice(i);
    }
    return cut === null ? text : text.slice(0, cut % (text.length + 1));
  });

const field = fc.string({ unit: fc.constantFrom(...'0123456789-.ABCXYZ가나'), maxLength: 8 });

describe('KIS codec under fuzzing', () => {
  it('random text gives only KisCodecError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), onlyTypedErrors), { numRuns: RUNS });
    fc.assert(fc.property(fc.constantFrom('0|', '1|', '0|H0STCNT0|', '1|H0STCNI0|001|', '{"header":'), fc.string({ maxLength: 200 }), (head, tail) => onlyTypedErrors(head + tail)), { numRuns: RUNS });
  });

  it('truncated and corrupted real frames give only KisCodecError', () => {
    fc.assert(fc.property(corrupted, onlyTypedErrors), { numRuns: RUNS });
  });

  it('a batch of any count and any extra width decodes to exactly its records, plain or encrypted', () => {
    const base = recordsOf(decodeData(parseServerMessage(fixture('h0stcnt0-single.txt')) as never))[0]!;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(field, { maxLength: 6 }), fc.boolean(), fc.array(field, { minLength: 46, maxLength: 46 }), (count, extra, encrypted, noise) => {
        // Every record its own values (noise in the free-text slots), with the same undocumented tail.
        const records = Array.from({ length: count }, (_, r) => base.map((v, i) => (i === 1 ? String(90000 + r) : i === 44 ? noise[i]! : v)).concat(extra));
        const text = encodeDataFrame(encrypted ? 'H0STCNI0' : 'H0STCNT0', records, encrypted ? CIPHER : null);
        const message = parseServerMessage(text);
        if (message.kind !== 'data') throw new Error('not data');
        const frame = decodeData(message, CIPHER);
        expect(frame.count).toBe(count);
        expect(frame.width).toBe(46 + extra.length);
        expect(recordsOf(frame)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });
});

describe('KIS adapter under fuzzing', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  it('survives hundreds of corrupted frames and keeps delivering the good ones, in order', async () => {
    const engine = new MarketEngine({ seed: 2, alwaysOpen: true });
    const simulator = new KisSimulator({ engine });
    const urls = await simulator.start();
    cleanups.push(() => simulator.stop());
    const feed = new KisFeed({
      rest: new KisRestClient({ restUrl: urls.restUrl, appKey: SIM_APP_KEY, appSecret: SIM_APP_SECRET }),
      wsUrl: urls.wsUrl, account: null, htsId: null, paper: true, ordersAllowed: false, logger: silentLogger,
    });
    const ticks: Unstamped<TickEvent>[] = [];
    const sink: FeedSink = { tick: (e) => void ticks.push(e), hoga: () => {}, order: () => {}, balance: () => {}, condition: () => {}, state: () => {} };
    await feed.start(sink);
    cleanups.push(() => feed.stop());
    await waitFor(() => feed.state() === 'connected', 'connected');
    await feed.subscribe('KRX:005930');

    const garbage = fc.sample(corrupted, { numRuns: 400, seed: 42 });
    // What the adapter should deliver from the garbage itself: records of frames that still decode cleanly.
    let expectedFromGarbage = 0;
    for (const text of garbage) {
      try {
        const message = parseServerMessage(text);
        if (message.kind === 'data' && !message.encrypted && !isNoticeTr(message.trId) && message.trId !== TR_HOGA) {
          const frame = decodeData(message);
          for (let i = 0; i < frame.count; i++) {
            try {
              tickOf(frame, i, 0);
              expectedFromGarbage++;
            } catch {
              // a bad record: skipped by the adapter too
            }
          }
        }
      } catch {
        // a bad frame
      }
    }
    const good = fixture('h0stcnt0-batch3.txt');
    for (const text of garbage) {
      simulator.injectFrame(text);
      simulator.injectFrame(good);
    }
    const total = expectedFromGarbage + garbage.length * 3;
    await waitFor(() => ticks.length >= total, `${total} ticks`);
    expect(ticks).toHaveLength(total);
    expect(feed.state()).toBe('connected');
    expect(feed.stats.sessions).toBe(1);
    // The good frames' records arrive whole and in order between the garbage.
    const prices = ticks.map((t) => t.price).join(',');
    expect(prices.split('70000,70100,69400').length - 1).toBeGreaterThanOrEqual(garbage.length);
  });
});
