/**
 * Live condition searches shared between viewers: the first viewer of `cond:<key>` starts the broker's live
 * search, later viewers share it, and it is stopped a short linger after the last one leaves (brokers allow few
 * live searches: Kiwoom about 10 per login). The current members are kept from the broker's inserts and
 * deletes, so a viewer who joins late starts from the same set as everyone else.
 */
import type { ConditionEvent, ConditionHit, ConditionSummary, SymbolId } from '../../lib/contracts';
import { parseConditionKey } from '../../lib/contracts';
import type { Logger } from '../logger';
import type { ConditionProvider, ConditionSource } from './condition-provider';
import { FeedError, type Unstamped } from './feed';
import { UNSUBSCRIBE_LINGER_MS } from './interest';

interface LiveEntry {
  count: number;
  upstream: Promise<void> | undefined;
  linger: NodeJS.Timeout | undefined;
  members: Set<SymbolId>;
}

export class ConditionRooms {
  private readonly providers = new Map<string, ConditionProvider>();
  private readonly accountIds = new Map<string, string[]>();
  private readonly live = new Map<string, LiveEntry>();

  constructor(
    sources: readonly ConditionSource[],
    private readonly logger: Logger,
    private readonly lingerMs: number = UNSUBSCRIBE_LINGER_MS,
  ) {
    for (const { provider, accountIds } of sources) {
      this.providers.set(provider.id, provider);
      this.accountIds.set(provider.id, accountIds);
    }
  }

  /** Every provider's saved conditions; a provider that fails is logged and left out, not fatal to the list. */
  async list(): Promise<ConditionSummary[]> {
    const lists = await Promise.all(
      [...this.providers.values()].map(async (provider) => {
        try {
          return (await provider.listConditions()).map((c) => {
            const key = `${provider.id}:${c.id}`;
            return { key, broker: provider.id, id: c.id, name: c.name, live: this.live.has(key), accountIds: this.accountIds.get(provider.id) ?? [] };
          });
        } catch (error) {
          this.logger.warn({ broker: provider.id, error: error instanceof Error ? error.message : error }, 'condition list failed');
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** The accounts of the broker login a condition belongs to (none for an unknown key). */
  accountsOf(key: string): string[] {
    const parsed = parseConditionKey(key);
    return parsed ? (this.accountIds.get(parsed.broker) ?? []) : [];
  }

  async run(key: string): Promise<ConditionHit[]> {
    const { provider, id } = this.resolve(key);
    return provider.runCondition(id);
  }

  /** Counts a viewer; resolves with the condition's current members once the live search runs. */
  async acquire(key: string): Promise<SymbolId[]> {
    const { provider, id } = this.resolve(key);
    let entry = this.live.get(key);
    if (!entry) {
      entry = { count: 0, upstream: undefined, linger: undefined, members: new Set() };
      this.live.set(key, entry);
    }
    entry.count += 1;
    if (entry.linger) {
      clearTimeout(entry.linger);
      entry.linger = undefined;
    }
    const current = entry;
    current.upstream ??= provider.startLiveCondition(id).then(
      (started) => {
        for (const symbol of started.symbols) current.members.add(symbol as SymbolId);
      },
      (error: unknown) => {
        current.upstream = undefined;
        throw error;
      },
    );
    await current.upstream;
    return [...current.members];
  }

  release(key: string): void {
    const entry = this.live.get(key);
    if (!entry || entry.count === 0) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    if (!entry.upstream) {
      this.live.delete(key);
      return;
    }
    entry.linger = setTimeout(() => {
      if (entry.count > 0 || this.live.get(key) !== entry) return;
      this.live.delete(key);
      const { provider, id } = this.resolve(key);
      provider.stopLiveCondition(id).catch((error: unknown) => this.logger.warn({ key, error }, 'stopping a live condition failed'));
    }, this.lingerMs);
    entry.linger.unref();
  }

  /** Keeps the member set in step with the broker's inserts and deletes. */
  observe(event: Unstamped<ConditionEvent>): void {
    const entry = this.live.get(event.conditionKey);
    if (!entry) return;
    if (event.action === 'insert') entry.members.add(event.symbol);
    else entry.members.delete(event.symbol);
  }

  clear(): void {
    for (const entry of this.live.values()) if (entry.linger) clearTimeout(entry.linger);
    this.live.clear();
  }

  private resolve(key: string): { provider: ConditionProvider; id: string } {
    const parsed = parseConditionKey(key);
    if (!parsed) throw new FeedError('BAD_REQUEST', `"${key}" is not a condition key; keys look like kiwoom:3`);
    const provider = this.providers.get(parsed.broker);
    if (!provider) throw new FeedError('NOT_FOUND', `no broker here offers condition search as "${parsed.broker}"`);
    return { provider, id: parsed.id };
  }
}
