/**
 * Sharing live condition searches between viewers. The scripted provider stands for the adapter contract
 * (start resolves with members or refuses); the Kiwoom integration tests cover the real protocol.
 */
import { describe, expect, it } from 'vitest';
import type { ConditionHit } from '../../lib/contracts';
import { silentLogger } from '../logger';
import type { ConditionProvider } from './condition-provider';
import { ConditionRooms } from './condition-rooms';
import { FeedError } from './feed';

class ScriptedConditions implements ConditionProvider {
  readonly id = 'kiwoom' as const;
  readonly calls: string[] = [];
  limit = 2;
  private readonly running = new Set<string>();
  async listConditions() {
    return [{ id: '1', name: '거래량급증' }, { id: '2', name: '신고가돌파' }, { id: '3', name: '급등주' }];
  }
  async runCondition(id: string): Promise<ConditionHit[]> {
    return [{ symbol: 'KRX:005930', name: `hit of ${id}`, price: 1, change: 0, changeRate: 0, volume: 1 }];
  }
  async startLiveCondition(id: string) {
    this.calls.push(`start ${id}`);
    if (this.running.size >= this.limit) throw new FeedError('LIMIT_REACHED', `at most ${this.limit} live conditions`);
    this.running.add(id);
    return { conditionKey: `kiwoom:${id}`, symbols: ['KRX:005930'] };
  }
  async stopLiveCondition(id: string) {
    this.calls.push(`stop ${id}`);
    this.running.delete(id);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('condition rooms', () => {
  it('starts one live search for several viewers and stops it after the last leaves and the linger passes', async () => {
    const provider = new ScriptedConditions();
    const rooms = new ConditionRooms([{ provider, accountIds: ['kiwoom:5012345678'] }], silentLogger, 30);
    expect(await Promise.all([rooms.acquire('kiwoom:1'), rooms.acquire('kiwoom:1')])).toEqual([['KRX:005930'], ['KRX:005930']]);
    expect(provider.calls).toEqual(['start 1']);
    expect((await rooms.list()).find((c) => c.key === 'kiwoom:1')).toMatchObject({ live: true, accountIds: ['kiwoom:5012345678'] });
    rooms.release('kiwoom:1');
    rooms.release('kiwoom:1');
    await sleep(60);
    expect(provider.calls).toEqual(['start 1', 'stop 1']);
  });

  it('keeps the members in step with inserts and deletes for viewers who join later', async () => {
    const rooms = new ConditionRooms([{ provider: new ScriptedConditions(), accountIds: [] }], silentLogger, 30);
    await rooms.acquire('kiwoom:1');
    const base = { source: 'kiwoom' as const, ts: 0, recvTs: 0, conditionKey: 'kiwoom:1', name: null };
    rooms.observe({ ...base, symbol: 'KRX:000660', action: 'insert' });
    rooms.observe({ ...base, symbol: 'KRX:005930', action: 'delete' });
    expect(await rooms.acquire('kiwoom:1')).toEqual(['KRX:000660']);
  });

  it('passes the broker limit on with its reason and lets the next viewer try again', async () => {
    const provider = new ScriptedConditions();
    const rooms = new ConditionRooms([{ provider, accountIds: ['kiwoom:5012345678'] }], silentLogger, 30);
    await rooms.acquire('kiwoom:1');
    await rooms.acquire('kiwoom:2');
    await expect(rooms.acquire('kiwoom:3')).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    rooms.release('kiwoom:3');
    rooms.release('kiwoom:1');
    await sleep(60);
    expect(await rooms.acquire('kiwoom:3')).toEqual(['KRX:005930']);
  });

  it('refuses keys it cannot route', async () => {
    const rooms = new ConditionRooms([{ provider: new ScriptedConditions(), accountIds: [] }], silentLogger, 30);
    await expect(rooms.run('nonsense')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(rooms.run('kis:1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await rooms.run('kiwoom:2')).toHaveLength(1);
  });
});
