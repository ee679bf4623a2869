/**
 * The bridge's REST routes (§8.1) answered by Sise in the `{Success, Message, Data}` wrapper, fed by whichever
 * AccountSession holds the account (KIS, Kiwoom, Upbit, the bridge, BO, or their simulators) and by the relay's
 * conditions. `accounts` are only those the token's user may see (owned or shared): another user's account is
 * answered exactly as an account that does not exist, so a token cannot probe which accounts Sise holds. Every
 * failure — a bad body, an unknown account, a broker's refusal — is a wrapper with `Success:false`, never a
 * dropped connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseSymbol, type SymbolId } from '../../lib/contracts';
import type { AccountSession, OrderRequest } from '../brokers/account-session';
import { fail, isRecord, MESSAGE, ok } from '../brokers/kiwoom-bridge/codec';
import { toApiError } from '../relay/feed';
import type { Relay } from '../relay/relay';
import { findCondition, indexConditions, type IndexedCondition } from './condition-index';
import { accountNoOf, bridgeCode, symbolOfCode } from './frames';
import type { RealtimeHub } from './realtime-hub';
import { accountSnapshot, balanceRows, depositRows, outstandingRows } from './tr-rows';

export interface RestDeps {
  /** The accounts the token's user may see, read for this request. */
  accounts: readonly AccountSession[];
  relay: Relay;
  /** The user's own screens and live conditions. */
  realtime: RealtimeHub;
}

/** An order body is a few fields; anything longer is refused before it is parsed. */
const MAX_BODY_BYTES = 16 * 1024;
/** The bridge's default screens (§8.1). */
const DEFAULT_REALTIME_SCREEN = '1000';
const DEFAULT_CONDITION_SCREEN = '9001';

class BridgeFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function send(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'Authorization, Content-Type',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'cache-control': 'no-store',
  });
  res.end(body);
}

export async function handleRest(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, deps: RestDeps): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'Authorization, Content-Type', 'access-control-allow-methods': 'GET, POST, OPTIONS' });
    return void res.end();
  }
  try {
    const data = await route(req, path.replace(/\/+$/, '') || '/', query, deps);
    if (data === NOT_FOUND) return send(res, 404, fail(MESSAGE.notFound));
    send(res, 200, ok(data));
  } catch (error) {
    if (error instanceof BridgeFailure) return send(res, error.status, fail(error.message));
    send(res, 500, fail(error instanceof Error ? error.message : String(error)));
  }
}

const NOT_FOUND = Symbol('not found');

async function route(req: IncomingMessage, path: string, q: URLSearchParams, deps: RestDeps): Promise<unknown> {
  const get = req.method === 'GET' || req.method === 'HEAD';
  const post = req.method === 'POST';
  const first = deps.accounts[0];
  if (!get && !post) return NOT_FOUND;
  switch (path) {
    case '/api/status':
    case '/api/system/status':
      // {"IsLoggedIn":true,"AccountNo":"…","ServerName":null}: logged in when the token's user may see any account.
      return { IsLoggedIn: first !== undefined, AccountNo: first ? accountNoOf(first.accountId) : '', ServerName: null, Accounts: deps.accounts.map((a) => accountNoOf(a.accountId)) };
    case '/api/auth/login':
    case '/api/system/login':
      if (!first) throw new BridgeFailure(400, MESSAGE.notLoggedIn);
      return { loggedIn: true, account: accountNoOf(first.accountId) };
    case '/api/accounts/balance': {
      const account = accountOf(q.get('accountNo'), deps.accounts);
      return balanceRows(await broker(account.balance()), priceOf(deps.relay));
    }
    case '/api/accounts/deposit': {
      const account = accountOf(q.get('accountNo'), deps.accounts);
      return depositRows(await broker(account.balance()));
    }
    case '/api/accounts/orders': {
      const account = accountOf(q.get('accountNo'), deps.accounts);
      const code = q.get('code')?.trim() || null;
      return outstandingRows(await broker(account.openOrders()), code);
    }
    case '/api/dashboard':
    case '/api/dashboard/refresh': {
      const account = accountOf(q.get('accountNo'), deps.accounts);
      const [balance, orders] = await broker(Promise.all([account.balance(), account.openOrders()]));
      return accountSnapshot(balance, orders, priceOf(deps.relay), Date.now());
    }
    case '/api/orders':
      if (!post) return NOT_FOUND;
      return placeOrder(req, deps.accounts);
    case '/api/realtime/subscribe':
      return subscribe(q, deps.realtime);
    case '/api/realtime/unsubscribe': {
      const screen = q.get('screen')?.trim() || DEFAULT_REALTIME_SCREEN;
      const code = q.get('code')?.trim() || 'ALL';
      deps.realtime.unsubscribe(screen, code);
      return { Screen: screen, Code: code };
    }
    case '/api/conditions':
      return (await conditions(deps.relay)).map(({ Index, Name, Key }) => ({ Index, Name, Key }));
    case '/api/conditions/search': {
      const found = await conditionOf(q, deps.relay);
      const hits = await broker(deps.relay.conditions.run(found.Key));
      return { Codes: hits.map((h) => bridgeCode(h.symbol)), Stocks: [], Cached: false, Screen: screenOf(q), CacheTtlSeconds: 0 };
    }
    case '/api/conditions/start': {
      const found = await conditionOf(q, deps.relay);
      await broker(deps.realtime.startCondition(found.Key, found.Name, found.Index));
      return { Name: found.Name, Index: found.Index, Screen: screenOf(q), Ret: 1 };
    }
    case '/api/conditions/stop': {
      const found = await conditionOf(q, deps.relay);
      deps.realtime.stopCondition(found.Key);
      return { Name: found.Name, Index: found.Index, Screen: screenOf(q) };
    }
    default:
      return NOT_FOUND;
  }
}

/** `accountNo` as the bridge takes it: the broker's number (`50012345-01` or `5001234501`) or Sise's accountId. */
function accountOf(accountNo: string | null, accounts: readonly AccountSession[]): AccountSession {
  const wanted = accountNo?.trim() ?? '';
  if (wanted === '') {
    if (accounts.length === 0) throw new BridgeFailure(400, MESSAGE.notLoggedIn);
    return accounts[0]!;
  }
  const digits = (text: string) => text.replace(/\D/g, '');
  const found =
    accounts.find((a) => a.accountId === wanted || accountNoOf(a.accountId) === wanted) ??
    (digits(wanted) === '' ? undefined : accounts.find((a) => digits(accountNoOf(a.accountId)) === digits(wanted)));
  if (!found) throw new BridgeFailure(400, `Unknown account: ${wanted}`);
  return found;
}

/** A broker's refusal becomes the wrapper's message (its own words), with 400. */
async function broker<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof BridgeFailure) throw error;
    throw new BridgeFailure(400, toApiError(error).message);
  }
}

function priceOf(relay: Relay): (symbol: SymbolId) => number | undefined {
  return (symbol) => relay.lastTick(symbol)?.price;
}

async function placeOrder(req: IncomingMessage, accounts: readonly AccountSession[]): Promise<string> {
  const failed = (why: string) => new BridgeFailure(400, `${MESSAGE.orderFailedPrefix}${why}`);
  const body = await readJsonObject(req).catch((error: unknown) => {
    throw failed(error instanceof Error ? error.message : String(error));
  });
  // PascalCase per ApiHelpDocs; client_kit's camelCase also binds (§8.1).
  const field = (name: string) => body[name] ?? body[name[0]!.toLowerCase() + name.slice(1)];
  const orderType = Number(field('OrderType'));
  if (orderType >= 3 && orderType <= 6) {
    throw failed('cancel and modify need the original order number, which the bridge order route has no field for; use Sise\'s own API or the broker\'s HTS/MTS');
  }
  if (orderType !== 1 && orderType !== 2) throw failed('OrderType must be 1 (buy) or 2 (sell)');
  const codeText = field('StockCode');
  if (typeof codeText !== 'string' && typeof codeText !== 'number') throw failed('StockCode is required');
  const parsed = parseSymbol(symbolOfCode(String(codeText)));
  if (!parsed.ok) throw failed(`StockCode ${String(codeText)}: ${parsed.reason}`);
  const qty = Number(field('Quantity'));
  if (!Number.isFinite(qty) || qty <= 0) throw failed('Quantity must be a positive number');
  const quoteType = String(field('QuoteType') ?? '00');
  if (quoteType !== '00' && quoteType !== '03') throw failed('QuoteType must be "00" (limit) or "03" (market)');
  const market = quoteType === '03';
  const price = Number(field('Price') ?? 0);
  if (!market && (!Number.isFinite(price) || price <= 0)) throw failed('Price must be positive for a limit order (QuoteType "00")');
  const accountNo = field('AccountNo');
  const account = accountOf(accountNo === undefined || accountNo === null ? null : String(accountNo), accounts);
  const request: OrderRequest = { symbol: parsed.value.symbol, side: orderType === 1 ? 'buy' : 'sell', type: market ? 'market' : 'limit', qty, ...(market ? {} : { price }) };
  try {
    await account.placeOrder(request);
  } catch (error) {
    throw failed(toApiError(error).message);
  }
  // {"Success":true,"Message":"OK","Data":"Order Sent"}: as the bridge, no order number; it comes on /ws/execution (9203).
  return MESSAGE.orderSent;
}

async function subscribe(q: URLSearchParams, realtime: RealtimeHub): Promise<unknown> {
  const codes = (q.get('codes') ?? '')
    .split(/[;,]/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (codes.length === 0) throw new BridgeFailure(400, 'codes is required');
  const screen = q.get('screen')?.trim() || DEFAULT_REALTIME_SCREEN;
  const results = await realtime.subscribe(screen, codes);
  const accepted = results.filter((r) => r.ok).map((r) => bridgeCode(r.id as SymbolId));
  const refused = results.filter((r) => !r.ok).map((r) => ({ Code: r.id, Message: r.error?.message ?? 'refused' }));
  if (accepted.length === 0) throw new BridgeFailure(400, refused.map((r) => `${r.Code}: ${r.Message}`).join('; '));
  return { Screen: screen, Codes: accepted.join(';'), ...(refused.length > 0 ? { Refused: refused } : {}) };
}

async function conditions(relay: Relay): Promise<IndexedCondition[]> {
  return indexConditions(await relay.conditions.list());
}

async function conditionOf(q: URLSearchParams, relay: Relay): Promise<IndexedCondition> {
  const name = q.get('name');
  const index = q.get('index');
  const found = findCondition(await conditions(relay), name, index);
  if (!found) throw new BridgeFailure(400, `Unknown condition: ${name ?? ''}^${index ?? ''}`);
  return found;
}

function screenOf(q: URLSearchParams): string {
  return q.get('screen')?.trim() || DEFAULT_CONDITION_SCREEN;
}

function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        reject(new Error(`body is larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      if (!done) reject(error);
      done = true;
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reject(new Error('body is not JSON'));
      }
      if (!isRecord(parsed)) return reject(new Error('body is not a JSON object'));
      resolve(parsed);
    });
  });
}
