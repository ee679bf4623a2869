'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { ConditionHit, ConditionSummary, SymbolId } from '@/lib/contracts';
import { useSymbol } from '@/lib/client/hooks';
import { formatChangeRate, formatCompact, formatPrice } from '@/lib/format/number';
import { formatKstTimeMs } from '@/lib/format/kst-time';
import { directionOf } from '@/lib/format/price-colour';
import { useLiveCondition } from './use-live-condition';
import { apiFetch } from '@/lib/client/api-fetch';

/** A row whose numbers follow the live quote, whatever the condition's run said at the time. */
function HitRow({ symbol, name, fallback, state }: { symbol: SymbolId; name: string; fallback: ConditionHit | null; state: string }) {
  const { tick } = useSymbol(symbol);
  const price = tick?.price ?? fallback?.price;
  const change = tick?.change ?? fallback?.change ?? 0;
  const rate = tick?.changeRate ?? fallback?.changeRate;
  const volume = tick?.cumVolume ?? fallback?.volume;
  const direction = directionOf(change);
  return (
    <tr data-testid="hit-row" data-symbol={symbol} className={`hit ${state}`}>
      <td className="name-cell">
        <Link href={`/charts/${symbol}`}>
          <span className="name">{name}</span>
          <span className="code">{symbol.split(':')[1]}</span>
        </Link>
      </td>
      <td className={`num price ${direction}`}>{price === undefined ? '—' : formatPrice(price)}</td>
      <td className={`num ${direction}`}>{rate === undefined ? '—' : formatChangeRate(rate)}</td>
      <td className="num muted">{volume === undefined ? '—' : formatCompact(volume)}</td>
    </tr>
  );
}

export function ConditionsView() {
  const list = useQuery({ queryKey: ['conditions'], queryFn: () => apiFetch<{ conditions: ConditionSummary[] }>('/api/conditions') });
  const [accountId, setAccountId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ConditionSummary | null>(null);
  const [hits, setHits] = useState<ConditionHit[] | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const live = useLiveCondition(selected?.key ?? null);

  const runOnce = async () => {
    if (!selected) return;
    setRunning(true);
    setRunError(null);
    try {
      setHits((await apiFetch<{ hits: ConditionHit[] }>(`/api/conditions/${encodeURIComponent(selected.key)}`)).hits);
    } catch (error) {
      setRunError(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  };

  const all = list.data?.conditions ?? [];
  // Conditions are saved under a broker login: the user picks the account, then one of its conditions.
  const accounts = [...new Set(all.flatMap((c) => c.accountIds))];
  const account = accountId ?? accounts[0] ?? null;
  const conditions = account ? all.filter((c) => c.accountIds.includes(account)) : all;
  const byName = new Map((hits ?? []).map((h) => [h.symbol, h]));
  const rows = live.live
    ? live.members.map((m) => ({ symbol: m.symbol, name: m.name ?? byName.get(m.symbol)?.name ?? m.symbol, hit: byName.get(m.symbol) ?? null, state: m.state }))
    : (hits ?? []).map((h) => ({ symbol: h.symbol, name: h.name, hit: h, state: 'member' }));

  return (
    <div className="conditions-page">
      <section className="panel condition-list">
        <h1>조건검색</h1>
        {accounts.length > 0 ? (
          <label className="account-picker">
            <span className="muted">계좌</span>
            <select
              value={account ?? ''}
              onChange={(e) => {
                if (live.live) live.stop();
                setAccountId(e.target.value);
                setSelected(null);
                setHits(null);
              }}
              data-testid="account-picker"
            >
              {accounts.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {list.isLoading ? <p className="muted">조건 목록을 불러오는 중…</p> : null}
        {list.error ? <p className="error-text">{(list.error as Error).message}</p> : null}
        {!list.isLoading && conditions.length === 0 && !list.error ? (
          <p className="muted">조건검색을 제공하는 증권사 계정이 없습니다 (키움 REST API 또는 KiwoomServer).</p>
        ) : null}
        <ul>
          {conditions.map((c) => (
            <li key={c.key}>
              <button
                type="button"
                data-testid="condition"
                className={selected?.key === c.key ? 'active' : ''}
                onClick={() => {
                  if (live.live) live.stop();
                  setSelected(c);
                  setHits(null);
                }}
              >
                <span className="name">{c.name}</span>
                <span className="muted">{c.broker} · {c.id}</span>
                {c.live ? <span className="badge">실시간</span> : null}
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section className="panel condition-result">
        <div className="panel-head">
          <h2>{selected ? selected.name : '조건을 고르세요'}</h2>
          <button type="button" className="action" disabled={!selected || running} onClick={runOnce}>
            {running ? '실행 중…' : '한 번 실행'}
          </button>
          {live.live ? (
            <button type="button" className="action stop" onClick={live.stop}>
              중지
            </button>
          ) : (
            <button type="button" className="action live" disabled={!selected} onClick={live.start}>
              실시간 감시
            </button>
          )}
          {live.live ? <span className="badge live-badge" data-testid="live-badge">● 실시간</span> : null}
        </div>
        {runError ? <p className="error-text">{runError}</p> : null}
        {live.error ? <p className="error-text">{live.error}</p> : null}
        <table className="quotes" data-testid="hits">
          <thead>
            <tr>
              <th>종목</th>
              <th className="num">현재가</th>
              <th className="num">등락률</th>
              <th className="num">거래량</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <HitRow key={row.symbol} symbol={row.symbol} name={row.name} fallback={row.hit} state={row.state} />
            ))}
          </tbody>
        </table>
        {selected && rows.length === 0 && (hits !== null || live.live) ? <p className="muted empty">조건에 맞는 종목이 없습니다.</p> : null}

        <h2 className="log-title">이벤트</h2>
        <ol className="event-log" data-testid="event-log">
          {live.log.map((line) => (
            <li key={line.seq} data-testid="event" className={line.action}>
              <span className="muted">{formatKstTimeMs(line.ts)}</span> {line.action === 'insert' ? '편입' : '이탈'} {line.name ?? line.symbol}{' '}
              <span className="muted">{line.symbol}</span>
            </li>
          ))}
          {live.log.length === 0 ? <li className="muted">{live.live ? '편입·이탈을 기다리는 중…' : '실시간 감시를 시작하면 편입·이탈이 여기에 기록됩니다.'}</li> : null}
        </ol>
      </section>
    </div>
  );
}
