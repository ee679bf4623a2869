/**
 * KRX regular-session hours in KST, computed from epoch ms alone: Korea has no DST and the server's TZ
 * setting is irrelevant (containers often run in UTC, laptops in Asia/Seoul; both must agree).
 * Exchange holidays are not modelled: the simulator trades on every weekday, which is what a demo wants.
 * Upbit trades 24/7.
 */

import { KST_OFFSET_MS } from '../../lib/format/kst-time';

export { KST_OFFSET_MS };
const DAY_MS = 24 * 60 * 60 * 1000;
/** 09:00 KST: regular-session open (the 08:30–09:00 opening auction is not simulated). */
export const KRX_OPEN_MS_OF_DAY = 9 * 60 * 60 * 1000;
/** 15:30 KST: regular-session close (the 15:20–15:30 closing auction is treated as continuous trading). */
export const KRX_CLOSE_MS_OF_DAY = (15 * 60 + 30) * 60 * 1000;

interface KstClock {
  /** Epoch ms of 00:00 KST on that day. */
  dayStart: number;
  msOfDay: number;
  /** 0 = Sunday … 6 = Saturday, in KST. */
  weekday: number;
}

function kstClock(epochMs: number): KstClock {
  const shifted = epochMs + KST_OFFSET_MS;
  const dayIndex = Math.floor(shifted / DAY_MS);
  // 1970-01-01 was a Thursday (4).
  const weekday = (((dayIndex + 4) % 7) + 7) % 7;
  return { dayStart: dayIndex * DAY_MS - KST_OFFSET_MS, msOfDay: shifted - dayIndex * DAY_MS, weekday };
}

function isWeekday(weekday: number): boolean {
  return weekday >= 1 && weekday <= 5;
}

/**
 * Whether KRX's regular session is open: Mon–Fri, 09:00 ≤ KST time < 15:30.
 * @example isKrxOpen(Date.parse('2026-03-02T09:00:00+09:00')) // true (a Monday)
 */
export function isKrxOpen(epochMs: number): boolean {
  const { msOfDay, weekday } = kstClock(epochMs);
  return isWeekday(weekday) && msOfDay >= KRX_OPEN_MS_OF_DAY && msOfDay < KRX_CLOSE_MS_OF_DAY;
}

/**
 * The first regular-session open at or after `epochMs` (so exactly 09:00 on a weekday returns itself;
 * any later time that day returns the next weekday's 09:00).
 * @example nextKrxOpen(Date.parse('2026-03-07T12:00:00+09:00')) // Monday 2026-03-09 09:00 KST
 */
export function nextKrxOpen(epochMs: number): number {
  const { dayStart, weekday } = kstClock(epochMs);
  for (let offset = 0; offset <= 7; offset++) {
    const candidate = dayStart + offset * DAY_MS + KRX_OPEN_MS_OF_DAY;
    if (candidate >= epochMs && isWeekday((weekday + offset) % 7)) return candidate;
  }
  // Unreachable: within any 8 consecutive days there is a weekday 09:00 after the start of the first.
  throw new Error('no KRX open within a week');
}

/**
 * The end of the session in progress, or of the next one when closed.
 * @example nextKrxClose(Date.parse('2026-03-02T10:00:00+09:00')) // 2026-03-02 15:30 KST
 */
export function nextKrxClose(epochMs: number): number {
  if (isKrxOpen(epochMs)) return kstClock(epochMs).dayStart + KRX_CLOSE_MS_OF_DAY;
  return nextKrxOpen(epochMs) - KRX_OPEN_MS_OF_DAY + KRX_CLOSE_MS_OF_DAY;
}

/**
 * The KST calendar date as `YYYYMMDD`, KRX's trading-date format (e.g. KIS `STCK_BSOP_DATE`).
 * @example krxTradingDate(Date.parse('2026-03-02T23:59:00Z')) // '20260303' (08:59 KST next day)
 */
export function krxTradingDate(epochMs: number): string {
  return yyyymmdd(new Date(epochMs + KST_OFFSET_MS));
}

/**
 * Upbit's day, which starts at 00:00 UTC (09:00 KST): its change-versus-yesterday is against that open.
 * @example upbitTradingDate(Date.parse('2026-03-02T08:59:00+09:00')) // '20260301'
 */
export function upbitTradingDate(epochMs: number): string {
  return yyyymmdd(new Date(epochMs));
}

/** Upbit never closes. */
export function isUpbitOpen(_epochMs: number): boolean {
  return true;
}

function yyyymmdd(utcFields: Date): string {
  const y = utcFields.getUTCFullYear();
  const m = utcFields.getUTCMonth() + 1;
  const d = utcFields.getUTCDate();
  return `${y}${m < 10 ? '0' : ''}${m}${d < 10 ? '0' : ''}${d}`;
}
