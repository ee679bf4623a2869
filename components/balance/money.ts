/**
 * Amounts in the account's currency: KRW without decimals and with separators (Korean convention), dollars with
 * cents for the BO venue's USD accounts.
 */
import { formatDecimal, formatKrw } from '@/lib/format/number';

export function formatMoney(value: number, currency: string): string {
  if (currency === 'KRW') return `${formatKrw(value)}원`;
  return `${formatDecimal(value, 2)} ${currency}`;
}

/** +1,234원 / -1,234원: signed, for P&L. */
export function formatSignedMoney(value: number, currency: string): string {
  const text = formatMoney(Math.abs(value), currency);
  if (value > 0) return `+${text}`;
  if (value < 0) return `-${text}`;
  return text;
}
