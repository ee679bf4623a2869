/**
 * A price grid made of bands: every exchange we simulate quotes prices in steps (ticks) whose size
 * depends on the price itself. KRX and Upbit publish such tables; this file holds the arithmetic they share
 * so each table file is only its data. Pure, no I/O, safe in the browser.
 */

export interface TickBand {
  /** Lowest price (inclusive) the band covers. */
  readonly from: number;
  readonly tick: number;
  /** Decimal places of `tick`; results are rounded to this so 0.1 + 0.2 never leaks out as 0.30000000000000004. */
  readonly decimals: number;
}

/** Bands ordered from the highest `from` down; the last band starts at 0. */
export type TickTable = readonly TickBand[];

export type RoundDirection = 'down' | 'up';

/**
 * Slack, in units of one tick, when deciding whether a float sits on the grid. Prices carry at most a handful
 * of decimals, so anything closer than a ten-millionth of a tick is float noise, not a real off-grid price.
 */
const GRID_EPSILON = 1e-7;

const POWERS_OF_TEN = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** Rounds to `decimals` places, e.g. fixDecimals(0.30000000000000004, 1) → 0.3. */
export function fixDecimals(value: number, decimals: number): number {
  if (decimals === 0) return Math.round(value);
  const scale = POWERS_OF_TEN[decimals] ?? 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function assertPrice(price: number): void {
  if (!Number.isFinite(price) || price <= 0) {
    throw new RangeError(`a price must be a positive finite number, got ${price}`);
  }
}

/** The band a price falls in; a price exactly on a band's `from` belongs to that (higher) band. */
export function bandOf(table: TickTable, price: number): TickBand {
  for (const band of table) {
    if (price >= band.from) return band;
  }
  // Unreachable for a well-formed table (last band starts at 0), kept for the type checker.
  return table[table.length - 1] as TickBand;
}

/** The band just below the one that starts at `from`, or undefined for the lowest band. */
function bandBelow(table: TickTable, band: TickBand): TickBand | undefined {
  const index = table.indexOf(band);
  return table[index + 1];
}

export function tickSizeIn(table: TickTable, price: number): number {
  return bandOf(table, price).tick;
}

export function isOnGridIn(table: TickTable, price: number): boolean {
  if (!Number.isFinite(price) || price <= 0) return false;
  const units = price / bandOf(table, price).tick;
  return Math.abs(units - Math.round(units)) < GRID_EPSILON;
}

/**
 * Nearest on-grid price in the given direction (the price itself when already on the grid).
 * Band edges are multiples of both neighbouring ticks, so rounding inside a band never leaves it.
 */
export function roundToGridIn(table: TickTable, price: number, direction: RoundDirection): number {
  assertPrice(price);
  const band = bandOf(table, price);
  const units = price / band.tick;
  const whole = direction === 'down' ? Math.floor(units + GRID_EPSILON) : Math.ceil(units - GRID_EPSILON);
  const rounded = fixDecimals(whole * band.tick, band.decimals);
  if (rounded <= 0) throw new RangeError(`no on-grid price at or below ${price}`);
  return rounded;
}

/** The smallest on-grid price strictly above `price`. */
export function tickUpIn(table: TickTable, price: number): number {
  const up = roundToGridIn(table, price, 'up');
  if (up - price > bandOf(table, up).tick * GRID_EPSILON) return up;
  const band = bandOf(table, up);
  return fixDecimals(up + band.tick, band.decimals);
}

/** The largest on-grid price strictly below `price`; throws when there is none (below the smallest tick). */
export function tickDownIn(table: TickTable, price: number): number {
  assertPrice(price);
  const band = bandOf(table, price);
  const units = price / band.tick;
  const whole = Math.floor(units + GRID_EPSILON);
  const down = fixDecimals(whole * band.tick, band.decimals);
  if (price - down > band.tick * GRID_EPSILON && down > 0) return down;
  // `down` is on the grid and equals `price`: step by the tick of whatever band lies just below it.
  const below = down === band.from ? bandBelow(table, band) : band;
  if (below === undefined) throw new RangeError(`no on-grid price below ${price}`);
  const next = fixDecimals(down - below.tick, below.decimals);
  if (next <= 0) throw new RangeError(`no on-grid price below ${price}`);
  return next;
}
