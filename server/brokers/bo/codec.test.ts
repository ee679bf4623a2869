import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BoCodecError,
  decode,
  encode,
  INSTRUMENT_REQUEST_LENGTH,
  parseHostPort,
  TRANSACTION_LENGTH,
  type BoMessage,
  type InstrumentRequestMessage,
  type LogonMessage,
  type TransactionMessage,
} from './codec';
import { hotp } from './hotp';

function fixture(name: string): Buffer {
  return Buffer.from(readFileSync(new URL(`./fixtures/${name}.hex`, import.meta.url), 'utf8').trim(), 'hex');
}

function roundTrip(name: string): BoMessage {
  const bytes = fixture(name);
  const message = decode(bytes);
  expect(encode(message).toString('hex').toUpperCase()).toBe(bytes.toString('hex').toUpperCase());
  return message;
}

const README_IPS = { primaryOrderEntryIp: '1', secondaryOrderEntryIp: '1', primaryMarketDataIp: '1', secondaryMarketDataIp: '1' };

describe('143-byte logon (the seed README dumps)', () => {
  it('dump 1 decodes to the values example_client.py typed and re-encodes byte for byte', () => {
    const logon = roundTrip('v01-logon-readme-dump1') as LogonMessage;
    expect(fixture('v01-logon-readme-dump1')).toHaveLength(143);
    expect(logon).toEqual({
      type: 'H',
      logonType: 1,
      account: 1,
      twoFA: '517846',
      userName: '1',
      tradingSessionId: 506,
      ...README_IPS,
      sendingTime: 0n,
      lastSeqNum: 1_500_201,
      key: 0,
      loginStatus: 0,
      rejectReason: 0,
      riskMaster: '',
    });
    // TwoFA is HOTP(api key "1", counter 0): the library's pyotp call.
    expect(hotp('1', 0)).toBe(logon.twoFA);
  });

  it('dump 2 decodes to the values the example server printed', () => {
    const logon = roundTrip('v02-logon-readme-dump2') as LogonMessage;
    expect(logon).toMatchObject({
      logonType: 1,
      account: 100_700,
      twoFA: '1F6A',
      userName: 'BOU7',
      tradingSessionId: 506,
      ...README_IPS,
      sendingTime: 0n,
      lastSeqNum: 1_500_201,
      key: 432_451,
      loginStatus: 0,
      rejectReason: 0,
      riskMaster: '',
    });
  });

  it('encodes the dump-2 logon from its values to the exact README bytes', () => {
    const message: LogonMessage = {
      type: 'H', logonType: 1, account: 100_700, twoFA: '1F6A', userName: 'BOU7', tradingSessionId: 506, ...README_IPS,
      sendingTime: 0n, lastSeqNum: 1_500_201, key: 432_451, loginStatus: 0, rejectReason: 0, riskMaster: '',
    };
    expect(encode(message).equals(fixture('v02-logon-readme-dump2'))).toBe(true);
  });

  it('V3–V6: AES reply with the OES address, OES reply, the OES logon with the AES key, logout', () => {
    const aes = roundTrip('v03-aes-logon-reply') as LogonMessage;
    expect(aes).toMatchObject({ primaryOrderEntryIp: '127.0.0.1:4445', loginStatus: 1, key: 432_451 });
    expect(parseHostPort(aes.primaryOrderEntryIp)).toEqual({ host: '127.0.0.1', port: 4445 });
    expect(parseHostPort(aes.secondaryOrderEntryIp)).toBeNull();
    expect(roundTrip('v04-oes-logon-reply')).toMatchObject({ loginStatus: 1, key: 432_451, primaryOrderEntryIp: '1' });
    expect(roundTrip('v05-oes-logon-client')).toMatchObject({ account: 1, twoFA: '517846', key: 432_451, loginStatus: 0 });
    expect(roundTrip('v06-logout')).toMatchObject({ logonType: 2, key: 432_451 });
  });
});

describe('every CONFIRMED §11 vector round-trips', () => {
  it('V7/V8: instrument request in both widths, encoded at the width it came in', () => {
    const wide = roundTrip('v07-instrument-request-64') as InstrumentRequestMessage;
    const narrow = roundTrip('v08-instrument-request-62') as InstrumentRequestMessage;
    const values = { messageType: 0, rejectReason: 0, account: 100_700, requestType: 2, key: 432_451, symbolName: '', symbolType: 0, symbolEnum: 0, tradingSessionId: 506, sendingTime: 0n, msgSeqNum: 1_500_201 };
    expect(wide).toEqual({ type: 'Y', wireLength: 64, ...values });
    expect(narrow).toEqual({ type: 'Y', wireLength: 62, ...values });
    // Without wireLength the library's width is used.
    expect(INSTRUMENT_REQUEST_LENGTH).toBe(64);
    expect(encode({ type: 'Y', ...values }).equals(fixture('v07-instrument-request-64'))).toBe(true);
  });

  it('V9: instrument response with doubles (DOC 74-byte layout)', () => {
    expect(roundTrip('v09-instrument-74')).toEqual({
      type: 'Q', messageType: 0, padding: 0, responseType: 2, symbolEnum: 1, symbolName: 'BTCUSD', symbolType: 1,
      priceIncrement: 0.5, minSize: 0.00001, maxSize: 1000, sendingTime: 0n, msgSeqNum: 1_500_201,
    });
  });

  it('V10: risk update request', () => {
    expect(roundTrip('v10-risk-update-request')).toEqual({
      type: 'w', messageType: 0, responseType: 2, account: 10_070, tradingSessionId: 506, symbolEnum: 1, key: 432_451,
      msgSeqNum: 1_005_231, sendingTime: 0n,
    });
  });

  it('V11: risk user symbol, 161 bytes', () => {
    expect(roundTrip('v11-risk-user-symbol')).toEqual({
      type: 'N', messageType: 0, padding: 0, userName: 'NAM1', account: 100_700, symbolEnum: 1, leverage: 0,
      longPosition: 3, shortPosition: 5, longCash: 51_000, shortCash: 52_000, symbolDisabled: 0, accountEquity: 0,
      instrumentEquity: 0, executedLongCash: 150_000, executedLongPosition: 3, executedShortCash: 102_000,
      executedShortPosition: 2, btcEquity: 25, usdtEquity: 500_000, ethEquity: 1000, usdEquity: 1_000_000,
      flyEquity: 400_000, openOrderRequestLimit: 1000, tradingSessionId: 506, msgSeqNum: 42_431,
    });
  });

  it('V12: open order request, and the Slate spelling `e` decodes as the same message', () => {
    const message = roundTrip('v12-open-order-request');
    expect(message).toEqual({
      type: 'E', messageType: 0, account: 10_070, symbolEnum: 0, symbolName: 'BTCUSD', tradingSessionId: 506,
      sendingTime: 0n, msgSeqNum: 1_500_201,
    });
    const lower = Buffer.from(fixture('v12-open-order-request'));
    lower[0] = 'e'.charCodeAt(0);
    expect(decode(lower)).toEqual(message);
  });

  it('V13: collateral request', () => {
    expect(roundTrip('v13-collateral-request')).toEqual({
      type: 'f', messageType: 0, updateType: 0, account: 100_500, tradingSessionId: 0, symbolEnum: 1, key: 0,
      msgSeqNum: 0, sendingTime: 1_623_152_815n,
    });
  });

  it('V14/V15: new limit order and the example OES ack, 250 bytes', () => {
    const order = roundTrip('v14-order-new-250') as TransactionMessage;
    expect(order).toMatchObject({
      type: 'T', wireLength: 250, messageType: 1, account: 100_700, orderId: 46_832_151n, symbolEnum: 1, orderType: 1,
      symbolType: 1, price: 50_100.5, side: 3, orderQty: 2, tif: 2, symbol: 'BTCUSD', sendingTime: 1000n,
      tradingSessionId: 506, key: 0, msgSeqNum: 79_488_880n, secondLegPrice: 1111, routeEnum: 1, modifyType: 1,
      attributes: '', rejectReason: 0, execId: 0n, origOrderId: 0n,
    });
    const ack = roundTrip('v15-order-ack-250') as TransactionMessage;
    expect({ ...ack, messageType: 1, key: 0 }).toEqual(order);
    expect(ack).toMatchObject({ messageType: 14, key: 42_341 });
  });

  it('V16: the 238-byte DOC layout decodes and re-encodes at 238', () => {
    const order = roundTrip('v16-order-new-238') as TransactionMessage;
    expect(order).toMatchObject({
      wireLength: 238, messageType: 1, side: 1, key: 42_341, msgSeqNum: 7_948_888n, secondLegPrice: 0, routeEnum: 0, modifyType: 0,
    });
    expect(TRANSACTION_LENGTH).toBe(250);
    const { wireLength: _ignored, ...withoutLength } = order;
    expect(encode(withoutLength)).toHaveLength(250);
  });

  it('INFERRED §9 heartbeat, test request and session reject round-trip (proposal only)', () => {
    expect(roundTrip('inferred-heartbeat')).toMatchObject({ type: '0', account: 100_700, sendingTime: 1_624_785_162_815_971_526n, msgSeqNum: 7 });
    expect(roundTrip('inferred-testrequest')).toMatchObject({ type: '1', msgSeqNum: 8 });
    expect(roundTrip('inferred-reject')).toMatchObject({ type: '3', refMsgType: 'Y', rejectReason: 12, refMsgSeqNum: 9 });
  });
});

describe('bad input', () => {
  it('an unknown type char is INVALID_MSG_TYPE, a length no layout has is PARSE', () => {
    const bytes = Buffer.from(fixture('v10-risk-update-request'));
    bytes[0] = 'Z'.charCodeAt(0);
    expect(() => decode(bytes)).toThrow(expect.objectContaining({ code: 'INVALID_MSG_TYPE' }) as unknown as Error);
    const short = Buffer.concat([fixture('v10-risk-update-request').subarray(0, 30)]);
    short.writeUInt16LE(30, 2);
    expect(() => decode(short)).toThrow(BoCodecError);
    expect(() => decode(short)).toThrow(/cannot be 30 bytes/);
    expect(() => encode({ ...(decode(fixture('v14-order-new-250')) as TransactionMessage), wireLength: 240 })).toThrow(/no 240-byte layout/);
  });

  it('strings longer than their field are truncated like Python `s` packing', () => {
    const logon = decode(fixture('v02-logon-readme-dump2')) as LogonMessage;
    const encoded = encode({ ...logon, userName: 'TOOLONGNAME' });
    expect((decode(encoded) as LogonMessage).userName).toBe('TOOLON');
  });
});

describe('HOTP (RFC 4226) for TwoFA', () => {
  it('matches the reference vectors', () => {
    expect(hotp('1')).toBe('517846');
    expect(hotp('1234')).toBe('110366');
    expect(hotp('abc')).toBe('670717');
    expect(hotp('12345678901234567890', 0)).toBe('755224');
    expect(hotp('12345678901234567890', 1)).toBe('287082');
  });
});
