import type { NextRequest } from 'next/server';
import { getServices } from '@/lib/contracts/services';

export const dynamic = 'force-dynamic';

/** Enough for a search dropdown; the whole universe is available with a larger limit. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 500;

/** GET /api/instruments?q=삼성&limit=20 → { instruments: Instrument[] } */
export function GET(request: NextRequest): Response {
  const query = request.nextUrl.searchParams.get('q') ?? '';
  const rawLimit = request.nextUrl.searchParams.get('limit');
  const limit = rawLimit === null ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return Response.json(
      { error: { code: 'BAD_REQUEST', message: `limit must be a whole number from 1 to ${MAX_LIMIT}` } },
      { status: 400 },
    );
  }
  if (query.length > 64) {
    return Response.json({ error: { code: 'BAD_REQUEST', message: 'q is at most 64 characters' } }, { status: 400 });
  }
  return Response.json({ instruments: getServices().instruments.search(query, limit) });
}
