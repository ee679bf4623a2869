import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/sise');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe('/srv/sise/data');
    expect(config.krxFeeds).toEqual(['kis', 'kiwoom', 'kiwoom-bridge']);
    expect(config.sim).toBe(true);
    expect(config.simAlwaysOpen).toBe(true);
    expect(config.allowRealOrders).toBe(false);
    expect(config.databaseUrl).toBeNull();
  });

  it('names the variable and what it accepts when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty": expected a whole number from 0 to 65535/);
    expect(() => loadConfig({ SIM: 'maybe' })).toThrow(/SIM="maybe": expected "on" or "off"/);
    expect(() => loadConfig({ KRX_FEEDS: 'kis,upbit' })).toThrow(/KRX_FEEDS=.*kis, kiwoom, kiwoom-bridge/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL=.*postgres:\/\//);
    expect(() => loadConfig({ ALLOW_REAL_ORDERS: 'yes' })).toThrow(/ALLOW_REAL_ORDERS/);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: '-1', HOST: 'a b', KIS_APP_KEY: 'k' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/HOST/);
      expect(problems).toMatch(/KIS_APP_SECRET is missing/);
    }
  });

  it('reads broker sections only when their keys are set', () => {
    const config = loadConfig({
      KIS_APP_KEY: 'key',
      KIS_APP_SECRET: 'secret',
      KIS_ACCOUNT: '50012345-01',
      KIS_WS_URL: 'ws://127.0.0.1:21000',
      KRX_FEEDS: 'kiwoom, kis',
    });
    expect(config.kis).toMatchObject({ appKey: 'key', account: '50012345-01', wsUrl: 'ws://127.0.0.1:21000' });
    expect(config.kiwoom).toBeNull();
    expect(config.krxFeeds).toEqual(['kiwoom', 'kis']);
  });

  it('reads SISE_SECRET_KEY as 32 bytes of hex or base64, and never echoes a bad one', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({}).secretKey).toBeNull();
    expect(loadConfig({ SISE_SECRET_KEY: key.toString('hex') }).secretKey).toEqual(key);
    expect(loadConfig({ SISE_SECRET_KEY: key.toString('base64') }).secretKey).toEqual(key);
    expect(loadConfig({ SISE_SECRET_KEY: key.toString('base64url') }).secretKey).toEqual(key);
    const short = Buffer.alloc(16, 9).toString('base64');
    expect(() => loadConfig({ SISE_SECRET_KEY: short })).toThrow(/SISE_SECRET_KEY \(value not shown\): expected 32 bytes/);
    try {
      loadConfig({ SISE_SECRET_KEY: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});
