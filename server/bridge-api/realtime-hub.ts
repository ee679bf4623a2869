/**
 * `/ws/realtime` (§8.2) for one user: the bridge's tick, hoga and condition frames for every `/ws/realtime` client
 * opened with that user's tokens. What flows is what that user's `/api/realtime/subscribe` calls registered, per
 * screen as SetRealReg does (a new list replaces the screen's), and the live conditions their
 * `/api/conditions/start` began — one bridge's worth of screens per user, so one user's tool can neither see nor
 * drop another's registrations. Registrations go through the relay's interest counting, so they share upstream
 * subscriptions with browsers and are released when unsubscribed or when Sise stops.
 */
import type { WebSocket } from 'ws';
import type { ConditionEvent, SubscribeItemResult } from '../../lib/contracts';
import { encodeFrame, type BridgeFrame } from '../brokers/kiwoom-bridge/codec';
import type { Relay } from '../relay/relay';
import { conditionFrame, hogaFrame, symbolOfCode, tickFrame } from './frames';
import { broadcast } from './sockets';

interface LiveCondition {
  name: string;
  index: number;
}

export class RealtimeHub {
  readonly clients = new Set<WebSocket>();
  /** screen → symbol → release. */
  private readonly screens = new Map<string, Map<string, () => void>>();
  private readonly conditions = new Map<string, LiveCondition>();
  private readonly stopConditionEvents: () => void;

  constructor(private readonly relay: Relay) {
    this.stopConditionEvents = relay.onConditionEvent((event) => this.onCondition(event));
  }

  add(ws: WebSocket): void {
    this.clients.add(ws);
    ws.once('close', () => this.clients.delete(ws));
  }

  /** Replaces the screen's registrations with `codes`; resolves with each symbol's result. */
  async subscribe(screen: string, codes: readonly string[]): Promise<SubscribeItemResult[]> {
    const symbols = codes.map(symbolOfCode);
    const wanted = new Set(symbols);
    const current = this.screens.get(screen) ?? new Map<string, () => void>();
    this.screens.set(screen, current);
    for (const [symbol, release] of current) {
      if (wanted.has(symbol)) continue;
      release();
      current.delete(symbol);
    }
    const results = await Promise.all(
      [...wanted].map(async (symbol): Promise<SubscribeItemResult> => {
        if (current.has(symbol)) return { kind: 'symbol', id: symbol, ok: true };
        const subscription = this.relay.subscribeInternal([symbol], (event) =>
          this.send('asks' in event ? hogaFrame(event) : tickFrame(event)),
        );
        current.set(symbol, () => subscription.release());
        const [result] = await subscription.results;
        if (!result?.ok && current.get(symbol)) {
          subscription.release();
          current.delete(symbol);
        }
        return result ?? { kind: 'symbol', id: symbol, ok: false, error: { code: 'INTERNAL', message: 'no result' } };
      }),
    );
    if (current.size === 0) this.screens.delete(screen);
    return results;
  }

  /** `code` ALL (the bridge's default) drops the whole screen; a screen of `ALL` drops every screen. */
  unsubscribe(screen: string, code: string): void {
    const screens = screen === 'ALL' ? [...this.screens.keys()] : [screen];
    for (const name of screens) {
      const current = this.screens.get(name);
      if (!current) continue;
      for (const [symbol, release] of current) {
        if (code !== 'ALL' && symbol !== symbolOfCode(code)) continue;
        release();
        current.delete(symbol);
      }
      if (current.size === 0) this.screens.delete(name);
    }
  }

  registered(): string[] {
    return [...new Set([...this.screens.values()].flatMap((m) => [...m.keys()]))];
  }

  /** Starts (or keeps) a live condition; its enter/exit frames flow to every client. */
  async startCondition(key: string, name: string, index: number): Promise<void> {
    if (this.conditions.has(key)) return;
    this.conditions.set(key, { name, index });
    try {
      await this.relay.conditions.acquire(key);
    } catch (error) {
      // A rejected start still holds its count (as for the relay's own viewers): give it back.
      this.conditions.delete(key);
      this.relay.conditions.release(key);
      throw error;
    }
  }

  stopCondition(key: string): boolean {
    if (!this.conditions.delete(key)) return false;
    this.relay.conditions.release(key);
    return true;
  }

  close(): void {
    this.stopConditionEvents();
    this.unsubscribe('ALL', 'ALL');
    for (const key of [...this.conditions.keys()]) this.stopCondition(key);
    for (const client of this.clients) client.terminate();
    this.clients.clear();
  }

  private onCondition(event: ConditionEvent): void {
    const live = this.conditions.get(event.conditionKey);
    if (live) this.send(conditionFrame(event, live.name, live.index));
  }

  private send(frame: BridgeFrame): void {
    broadcast(this.clients, encodeFrame(frame));
  }
}
