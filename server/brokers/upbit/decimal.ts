/**
 * Exact arithmetic on decimal text ("83871.9375"), for balances: a double cannot hold 1386929.37231066771348207123,
 * and the normalized `balance` event carries amounts as decimal text end to end.
 */

interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function toScaled(text: string): Scaled {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not decimal text: ${JSON.stringify(text)}`);
  const [, sign, int, frac = ''] = match;
  const units = BigInt(`${int}${frac}`);
  return { units: sign === '-' ? -units : units, scale: frac.length };
}

function align(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return negative && text !== '0' ? `-${text}` : text;
}

/** @example addDecimal('0.1', '0.2') // '0.3' */
export function addDecimal(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  return fromScaled(align(x, scale) + align(y, scale), scale);
}

export function subDecimal(a: string, b: string): string {
  return addDecimal(a, negate(b));
}

/** @example mulDecimal('1.5', '0.25') // '0.375' */
export function mulDecimal(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  return fromScaled(x.units * y.units, x.scale + y.scale);
}

/** Negative, zero or positive as a < b, a = b, a > b. */
export function compareDecimal(a: string, b: string): number {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const diff = align(x, scale) - align(y, scale);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Drops trailing fractional zeros: '98000.00000000' → '98000'. */
export function normalizeDecimal(a: string): string {
  const x = toScaled(a);
  return fromScaled(x.units, x.scale);
}

/** Rounds half up to `places` decimals: a ratio such as an average price has no exact finite form. */
export function roundDecimal(a: string, places: number): string {
  const x = toScaled(a);
  if (x.scale <= places) return normalizeDecimal(a);
  const divisor = 10n ** BigInt(x.scale - places);
  const half = divisor / 2n;
  const rounded = x.units >= 0n ? (x.units + half) / divisor : -((-x.units + half) / divisor);
  return fromScaled(rounded, places);
}

/** (a / b) rounded to `places` decimals; b must not be zero. */
export function divDecimal(a: string, b: string, places: number): string {
  const x = toScaled(a);
  const y = toScaled(b);
  if (y.units === 0n) throw new RangeError('division by zero');
  // a/b = (xu/10^xs) / (yu/10^ys); carry two guard digits for rounding.
  const extra = places + 2;
  const numerator = x.units * 10n ** BigInt(y.scale + extra);
  const quotient = numerator / (y.units * 10n ** BigInt(x.scale));
  return roundDecimal(fromScaled(quotient, extra), places);
}

function negate(a: string): string {
  return a.startsWith('-') ? a.slice(1) : `-${a}`;
}
