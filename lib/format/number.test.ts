import { describe, expect, it } from 'vitest';
import { formatChangeRate, formatKrw, formatPrice, formatQty, formatQtyShort, formatSignedPrice } from './number';
import { formatKstTime, kstDayStart, formatKstDate } from './kst-time';

describe('Korean number formats', () => {
  it('shows KRW without decimals and with thousands separators', () => {
    expect(formatKrw(70000)).toBe('70,000');
    expect(formatKrw(1234567.6)).toBe('1,234,568');
  });
  it('keeps sub-won crypto prices readable', () => {
    expect(formatPrice(0.0123)).toBe('0.0123');
    expect(formatPrice(145_000_000)).toBe('145,000,000');
  });
  it('signs changes and rates', () => {
    expect(formatSignedPrice(500)).toBe('+500');
    expect(formatSignedPrice(-500)).toBe('-500');
    expect(formatChangeRate(1.234)).toBe('+1.23%');
    expect(formatChangeRate(-0.5)).toBe('-0.50%');
    expect(formatChangeRate(0)).toBe('0.00%');
  });
  it('shows whole shares as integers and crypto to 8 decimals', () => {
    expect(formatQty(1500)).toBe('1,500');
    expect(formatQty(0.01234567)).toBe('0.01234567');
  });
  it('shortens quantities for tight cells', () => {
    expect(formatQtyShort(3315.40464092)).toBe('3,315');
    expect(formatQtyShort(1.36891216)).toBe('1.37');
    expect(formatQtyShort(0.00656556)).toBe('0.006566');
    expect(formatQtyShort(436)).toBe('436');
  });
});

describe('KST time', () => {
  // 2026-11-21T00:30:00Z is 09:30 KST on the same date.
  const t = Date.UTC(2026, 10, 21, 0, 30, 0);
  it('formats in KST whatever the machine zone', () => {
    expect(formatKstTime(t)).toBe('09:30:00');
    expect(formatKstDate(t)).toBe('2026-11-21');
  });
  it('finds the KST midnight', () => {
    // 2026-11-20T15:00:00Z is 00:00 KST on 2026-11-21.
    expect(kstDayStart(t)).toBe(Date.UTC(2026, 10, 20, 15, 0, 0));
    expect(kstDayStart(Date.UTC(2026, 10, 20, 14, 59, 59))).toBe(Date.UTC(2026, 10, 19, 15, 0, 0));
  });
});
