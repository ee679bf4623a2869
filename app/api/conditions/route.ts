import { getServices } from '@/lib/contracts/services';
import { errorResponse } from '@/lib/http/error-response';

export const dynamic = 'force-dynamic';

/** GET /api/conditions → { conditions: [{ key, broker, id, name, live }] } from every broker with condition search. */
export async function GET(): Promise<Response> {
  try {
    return Response.json({ conditions: await getServices().conditions.list() });
  } catch (error) {
    return errorResponse(error);
  }
}
