/**
 * Test helpers for the bridge folder: a market engine on a fast fake clock, a raw WebSocket client that records
 * every frame, and a polling wait. Tests only; nothing in production imports this.
 */
import WebSocket from 'ws';
import type { SymbolId } from '../../../lib/contracts';
import { MarketEngine } from '../../market/market-engine';
import { waitFor as sharedWaitFor } from '../../test-wait';

export const SAMSUNG: SymbolId = 'KRX:005930';
export const HYNIX: SymbolId = 'KRX:000660';
const SYMBOLS: SymbolId[] = [SAMSUNG, HYNIX, 'KRX:035720', 'KRX:005380', 'KRX:035420', 'KRX:068270'];
const ENGINE_STEP_MS = 50;
/** Wall-clock period of the fast engine driver: 50 ms of market per 5 ms of test. */
const DRIVER_PERIOD_MS = 5;

export function drivenEngine(): { engine: MarketEngine; stop(): void } {
  let now = Date.now();
  const engine = new MarketEngine({ seed: 11, alwaysOpen: true, activity: 2, now: () => now, symbols: SYMBOLS });
  const driver = setInterval(() => {
    now += ENGINE_STEP_MS;
    engine.step(ENGINE_STEP_MS);
  }, DRIVER_PERIOD_MS);
  return { engine, stop: () => clearInterval(driver) };
}

/** The shared wait with this folder's shorter default: its engine runs ten times faster than real time. */
export function waitFor(predicate: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  return sharedWaitFor(predicate, what, timeoutMs);
}

export interface RawClient {
  frames: Array<Record<string, unknown>>;
  closed: boolean;
  next(predicate: (frame: Record<string, unknown>) => boolean, what: string, from?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  const client: RawClient = {
    frames: [],
    closed: false,
    async next(predicate, what, from = 0) {
      let found: Record<string, unknown> | undefined;
      await waitFor(() => (found = client.frames.slice(from).find(predicate)) !== undefined, what);
      return found!;
    },
    close: () => ws.terminate(),
  };
  ws.on('message', (data) => {
    const text = data.toString();
    try {
      client.frames.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      client.frames.push({ raw: text });
    }
  });
  ws.on('close', () => {
    client.closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/** A REST call as client_kit makes it: the wrapper parsed, with the HTTP status. */
export async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: { Success: boolean; Message: string; Data: unknown } }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as { Success: boolean; Message: string; Data: unknown } };
}
