/**
 * Candles (OHLCV) aggregated from ticks. Boundaries follow KST: a 1d candle starts at 00:00 KST, and since KST
 * is a whole number of hours from UTC, minute and hour candles start on the same instants everywhere.
 */
import { z } from 'zod';
import { symbolSchema } from './events';

export const CANDLE_INTERVALS = ['1s', '1m', '5m', '15m', '1h', '1d'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

export const INTERVAL_MS: Record<CandleInterval, number> = {
  '1s': 1_000,
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

export function isCandleInterval(text: string): text is CandleInterval {
  return (CANDLE_INTERVALS as readonly string[]).includes(text);
}

export const candleSchema = z.object({
  /** Epoch ms of the candle's first instant. */
  start: z.number(),
  open: z.number().positive(),
  high: z.number().positive(),
  low: z.number().positive(),
  close: z.number().positive(),
  volume: z.number().nonnegative(),
  /** Traded value (Σ price × qty), in the quote currency. */
  value: z.number().nonnegative(),
});
export type Candle = z.infer<typeof candleSchema>;

/** `GET /api/candles?symbol=KRX:005930&interval=1m` */
export const candleHistorySchema = z.object({
  symbol: symbolSchema,
  interval: z.enum(CANDLE_INTERVALS),
  /** Oldest first; the last one is the current, still-open candle. */
  candles: z.array(candleSchema),
  /** The seq of the last tick folded in: a client continues with ticks whose seq is higher. */
  lastSeq: z.number().int().nonnegative(),
});
export type CandleHistory = z.infer<typeof candleHistorySchema>;
