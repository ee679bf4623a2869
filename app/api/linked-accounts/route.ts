import { readJson } from '@/lib/http/read-json';
import { withUser } from '@/lib/http/request-user';
import { linkedAccountsService } from './linked-accounts-service';

export const dynamic = 'force-dynamic';

/** Answers about the caller's own credentials are never cached anywhere on the way. */
const NO_STORE = { 'cache-control': 'no-store' };

/**
 * GET /api/linked-accounts → { links: [{ id, broker, label, keyHint, accountIds, status, detail, createdAt }] }:
 * the caller's own links. No secret is ever in the answer; of the key only its first 4 characters.
 */
export function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => Response.json({ links: await linkedAccountsService().list(user.id) }, { headers: NO_STORE }));
}

/**
 * POST /api/linked-accounts { broker: 'kiwoom', appKey, secretKey, label? } (KIS: appKey, appSecret, account,
 * htsId; Upbit: accessKey, secretKey) → 201 { link }. The broker is asked first: wrong keys give 400 with the
 * broker's own words and nothing is stored; a key already linked gives 409.
 */
export function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const link = await linkedAccountsService().link(user.id, await readJson(request));
    return Response.json({ link }, { status: 201, headers: NO_STORE });
  });
}
