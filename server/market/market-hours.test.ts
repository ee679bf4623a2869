import { describe, expect, it } from 'vitest';
import { isKrxOpen, krxTradingDate, nextKrxClose, nextKrxOpen, upbitTradingDate } from './market-hours';

/** Epoch ms of a KST wall-clock time; the explicit offset keeps the test independent of the machine's TZ. */
const kst = (text: string) => Date.parse(`${text}+09:00`);

describe('isKrxOpen', () => {
  // 2026-03-02 is a Monday.
  it.each([
    ['2026-03-02T08:59:00', false],
    ['2026-03-02T08:59:59.999', false],
    ['2026-03-02T09:00:00', true],
    ['2026-03-02T12:00:00', true],
    ['2026-03-02T15:29:00', true],
    ['2026-03-02T15:29:59.999', true],
    ['2026-03-02T15:30:00', false],
    ['2026-03-02T23:00:00', false],
    ['2026-03-06T10:00:00', true], // Friday
    ['2026-03-07T10:00:00', false], // Saturday
    ['2026-03-08T10:00:00', false], // Sunday
  ])('%s KST → %s', (time, open) => {
    expect(isKrxOpen(kst(time))).toBe(open);
  });

  it('uses KST, not UTC: 00:30 UTC on Monday is 09:30 KST and open; 23:30 UTC Sunday is Monday 08:30 KST', () => {
    expect(isKrxOpen(Date.parse('2026-03-02T00:30:00Z'))).toBe(true);
    expect(isKrxOpen(Date.parse('2026-03-01T23:30:00Z'))).toBe(false);
    expect(isKrxOpen(Date.parse('2026-03-02T06:29:00Z'))).toBe(true);
    expect(isKrxOpen(Date.parse('2026-03-02T06:30:00Z'))).toBe(false);
  });
});

describe('nextKrxOpen / nextKrxClose', () => {
  it.each([
    ['2026-03-02T08:00:00', '2026-03-02T09:00:00'],
    ['2026-03-02T09:00:00', '2026-03-02T09:00:00'],
    ['2026-03-02T09:00:01', '2026-03-03T09:00:00'],
    ['2026-03-06T15:30:00', '2026-03-09T09:00:00'], // Friday after close → Monday
    ['2026-03-07T12:00:00', '2026-03-09T09:00:00'], // Saturday
    ['2026-03-08T23:59:59', '2026-03-09T09:00:00'], // Sunday night
  ])('after %s KST the next open is %s KST', (from, open) => {
    expect(nextKrxOpen(kst(from))).toBe(kst(open));
  });

  it('gives the close of the running session, or of the next one', () => {
    expect(nextKrxClose(kst('2026-03-02T10:00:00'))).toBe(kst('2026-03-02T15:30:00'));
    expect(nextKrxClose(kst('2026-03-02T16:00:00'))).toBe(kst('2026-03-03T15:30:00'));
    expect(nextKrxClose(kst('2026-03-07T10:00:00'))).toBe(kst('2026-03-09T15:30:00'));
  });
});

describe('trading dates', () => {
  it('KRX dates follow the KST calendar', () => {
    expect(krxTradingDate(kst('2026-03-02T00:00:00'))).toBe('20260302');
    expect(krxTradingDate(kst('2026-03-02T23:59:59'))).toBe('20260302');
    expect(krxTradingDate(Date.parse('2026-03-02T15:00:00Z'))).toBe('20260303');
    expect(krxTradingDate(kst('2026-12-31T23:59:59'))).toBe('20261231');
    expect(krxTradingDate(kst('2027-01-01T00:00:00'))).toBe('20270101');
  });

  it('Upbit days start at 09:00 KST (00:00 UTC)', () => {
    expect(upbitTradingDate(kst('2026-03-02T08:59:59'))).toBe('20260301');
    expect(upbitTradingDate(kst('2026-03-02T09:00:00'))).toBe('20260302');
  });
});
