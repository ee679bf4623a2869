/**
 * Number formatting in Korean market conventions: KRW without decimals and with thousands separators,
 * signed changes, percentages with two decimals. Intl formatters are built once; they are costly to create
 * and these run for every rendered price.
 */

const KRW = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });
const PERCENT = new Intl.NumberFormat('ko-KR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const COMPACT = new Intl.NumberFormat('ko-KR', { notation: 'compact', maximumFractionDigits: 1 });
const decimalFormatters = new Map<number, Intl.NumberFormat>();

/** 70000 → "70,000". Fractions are rounded: KRW has no minor unit. */
export function formatKrw(value: number): string {
  return KRW.format(value);
}

/** A price on its own grid: KRW prices without decimals, sub-won crypto prices with as many as they need. */
export function formatPrice(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return KRW.format(value);
  return formatDecimal(value, Math.abs(value) >= 1 ? 2 : 4);
}

export function formatDecimal(value: number, maxFractionDigits: number): string {
  let formatter = decimalFormatters.get(maxFractionDigits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: maxFractionDigits });
    decimalFormatters.set(maxFractionDigits, formatter);
  }
  return formatter.format(value);
}

/** +500 → "+500", −500 → "-500", 0 → "0". */
export function formatSignedPrice(value: number): string {
  if (value > 0) return `+${formatPrice(value)}`;
  return formatPrice(value);
}

/** 1.234 → "+1.23%". */
export function formatChangeRate(percent: number): string {
  const text = `${PERCENT.format(Math.abs(percent))}%`;
  if (percent > 0) return `+${text}`;
  if (percent < 0) return `-${text}`;
  return text;
}

/** 123456789 → "1.2억": volumes and traded values in the compact Korean units people read. */
export function formatCompact(value: number): string {
  return COMPACT.format(value);
}

/** Quantities: whole shares as integers, crypto with up to 8 decimals. */
export function formatQty(value: number): string {
  return Number.isInteger(value) ? KRW.format(value) : formatDecimal(value, 8);
}

/** Quantities for tight cells: whole numbers above 1,000, two decimals above 1, four significant digits below. */
export function formatQtyShort(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1_000) return KRW.format(Math.round(value));
  if (Math.abs(value) >= 1) return formatDecimal(value, 2);
  return formatDecimal(Number(value.toPrecision(4)), 8);
}
