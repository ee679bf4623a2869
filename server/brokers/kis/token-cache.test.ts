/**
 * The tokenP cache on a fake clock: one issuance for many callers, renewal ahead of expiry, and never two
 * issuances inside the minute.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KisTokenCache, TOKEN_MIN_INTERVAL_MS, TOKEN_RENEW_BEFORE_MS } from './token-cache';
import { fileTokenStore } from './token-store';

const DAY_MS = 86_400_000;

function harness() {
  let now = 1_000_000;
  const slept: number[] = [];
  let serial = 0;
  const cache = new KisTokenCache(async () => ({ token: `t${++serial}`, expiresAt: now + DAY_MS }), {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  });
  return { cache, slept, advance: (ms: number) => (now += ms), issued: () => serial };
}

describe('KisTokenCache', () => {
  it('shares one issuance among concurrent callers and reuses the token', async () => {
    const h = harness();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => h.cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    h.advance(DAY_MS / 2);
    expect(await h.cache.get()).toBe('t1');
    expect(h.issued()).toBe(1);
  });

  it('renews ahead of expiry', async () => {
    const h = harness();
    await h.cache.get();
    h.advance(DAY_MS - TOKEN_RENEW_BEFORE_MS + 1);
    expect(await h.cache.get()).toBe('t2');
    expect(h.slept).toEqual([]);
  });

  it('never issues twice inside the minute: keeps a valid token, or waits out the minute when there is none', async () => {
    const h = harness();
    await h.cache.get();
    h.advance(1_000);
    h.cache.invalidate('t1');
    // Invalidated, and no issuance allowed for another minute: the caller waits, then gets a new token.
    expect(await h.cache.get()).toBe('t2');
    expect(h.slept).toEqual([TOKEN_MIN_INTERVAL_MS - 1_000]);
    expect(h.issued()).toBe(2);
  });

  it('reuses a token saved by an earlier process, and keeps its issuance time for the one-a-minute rule', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kis-token-'));
    try {
      const errors: unknown[] = [];
      const store = fileTokenStore(dir, 'APPKEY', 'https://openapi.koreainvestment.com:9443', (e) => errors.push(e));
      let now = 5_000_000;
      let serial = 0;
      const issue = async () => ({ token: `t${++serial}`, expiresAt: now + DAY_MS });
      const first = new KisTokenCache(issue, { now: () => now, store, sleep: async (ms) => void (now += ms) });
      expect(await first.get()).toBe('t1');
      const file = path.join(dir, 'kis', readdirSync(path.join(dir, 'kis'))[0]!);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).not.toContain('APPKEY');

      // A restart 10 s later: the saved token, no issuance.
      now += 10_000;
      const second = new KisTokenCache(issue, { now: () => now, store, sleep: async (ms) => void (now += ms) });
      expect(await second.get()).toBe('t1');
      expect(serial).toBe(1);
      // Told it is invalid 10 s after the first issuance: the new issuance waits out the minute.
      second.invalidate('t1');
      const before = now;
      expect(await second.get()).toBe('t2');
      expect(now - before).toBe(TOKEN_MIN_INTERVAL_MS - 10_000);

      writeFileSync(file, '{not json');
      expect(store.load()).toBeNull();
      expect(errors).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
