import { getServices } from '@/lib/contracts/services';
import { errorResponse } from '@/lib/http/error-response';

export const dynamic = 'force-dynamic';

/** GET /api/conditions/kiwoom:3 → runs the condition once: { key, hits: [{ symbol, name, price, change, changeRate, volume }], ranAt } */
export async function GET(_request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  const key = decodeURIComponent((await params).key);
  try {
    const hits = await getServices().conditions.run(key);
    return Response.json({ key, hits, ranAt: Date.now() });
  } catch (error) {
    return errorResponse(error);
  }
}
