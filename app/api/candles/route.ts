import type { NextRequest } from 'next/server';
import { CANDLE_INTERVALS, isCandleInterval, parseSymbol } from '@/lib/contracts';
import { getServices } from '@/lib/contracts/services';

export const dynamic = 'force-dynamic';

const badRequest = (message: string) => Response.json({ error: { code: 'BAD_REQUEST', message } }, { status: 400 });

/**
 * GET /api/candles?symbol=KRX:005930&interval=1m → { symbol, interval, candles, lastSeq }
 * Continue with the symbol's `tick` events whose seq is above lastSeq.
 */
export function GET(request: NextRequest): Response {
  const params = request.nextUrl.searchParams;
  const parsed = parseSymbol(params.get('symbol') ?? '');
  if (!parsed.ok) return badRequest(`symbol: ${parsed.reason}`);
  const interval = params.get('interval') ?? '1m';
  if (!isCandleInterval(interval)) return badRequest(`interval must be one of ${CANDLE_INTERVALS.join(', ')}`);
  const services = getServices();
  if (!services.instruments.get(parsed.value.symbol)) {
    return Response.json({ error: { code: 'UNKNOWN_SYMBOL', message: `${parsed.value.symbol} is not a listed instrument` } }, { status: 404 });
  }
  return Response.json(services.candles(parsed.value.symbol, interval));
}
