'use client';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CANDLE_INTERVALS } from '@/lib/contracts/candles';
import { widgetSchema, WIDGET_KINDS, type Widget, type WidgetKind } from '@/lib/contracts/dashboards';
import { defaultConfig, newWidgetId, WIDGET_LABELS } from './widget-kinds';

/** Suggestions only: the field takes any value, and the server checks it (a list that failed to load blocks nothing). */
async function fetchList<T>(url: string, key: string): Promise<T[]> {
  const response = await fetch(url);
  if (!response.ok) return [];
  return ((await response.json()) as Record<string, T[]>)[key] ?? [];
}

/**
 * Adds a widget (pick the kind, then its symbol, interval, symbols, condition or account) or changes an existing
 * widget's config (its kind stays). The result is checked against the shared schema before it is sent.
 */
export function WidgetForm({ widget, onSubmit, onCancel }: { widget?: Widget; onSubmit: (widget: Widget) => void; onCancel: () => void }) {
  const [kind, setKind] = useState<WidgetKind>(widget?.kind ?? 'chart');
  const initial = (widget?.config ?? defaultConfig(kind)) as Record<string, unknown>;
  const [symbol, setSymbol] = useState(String(initial.symbol ?? 'KRX:005930'));
  const [interval, setCandleInterval] = useState(String(initial.interval ?? '1m'));
  const [symbols, setSymbols] = useState(((initial.symbols as string[] | undefined) ?? (defaultConfig('watchlist') as { symbols: string[] }).symbols).join(', '));
  const [conditionKey, setConditionKey] = useState(String(initial.conditionKey ?? 'kiwoom:1'));
  const [accountId, setAccountId] = useState(String(initial.accountId ?? ''));
  const [error, setError] = useState<string | null>(null);
  const conditions = useQuery({ queryKey: ['conditions'], queryFn: () => fetchList<{ key: string; name: string }>('/api/conditions', 'conditions'), enabled: kind === 'condition' });
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: () => fetchList<{ id: string; label: string }>('/api/accounts', 'accounts'), enabled: kind === 'balances' });

  const configOf = (): unknown => {
    switch (kind) {
      case 'chart':
        return { symbol: symbol.trim(), interval };
      case 'hoga':
      case 'tape':
        return { symbol: symbol.trim() };
      case 'watchlist':
        return { symbols: symbols.split(/[\s,]+/).filter(Boolean) };
      case 'condition':
        return { conditionKey: conditionKey.trim() };
      case 'balances':
        return { accountId: accountId.trim() };
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = widgetSchema.safeParse({ id: widget?.id ?? newWidgetId(kind), kind, config: configOf() });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(`${issue?.path.slice(1).join('.') ?? ''} ${issue?.message ?? ''}`.trim());
      return;
    }
    onSubmit(parsed.data);
  };

  return (
    <form className="panel widget-form" onSubmit={submit} aria-label={widget ? '위젯 설정' : '위젯 추가'}>
      <h2>{widget ? '위젯 설정' : '위젯 추가'}</h2>
      <label>
        종류
        <select value={kind} onChange={(e) => setKind(e.target.value as WidgetKind)} disabled={widget !== undefined} name="kind">
          {WIDGET_KINDS.map((k) => (
            <option key={k} value={k}>
              {WIDGET_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {kind === 'chart' || kind === 'hoga' || kind === 'tape' ? (
        <label>
          종목
          <input name="symbol" value={symbol} onChange={(e) => setSymbol(e.target.value)} placeholder="KRX:005930" />
        </label>
      ) : null}
      {kind === 'chart' ? (
        <label>
          주기
          <select name="interval" value={interval} onChange={(e) => setCandleInterval(e.target.value)}>
            {CANDLE_INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {kind === 'watchlist' ? (
        <label>
          종목들 (쉼표로 구분)
          <input name="symbols" value={symbols} onChange={(e) => setSymbols(e.target.value)} />
        </label>
      ) : null}
      {kind === 'condition' ? (
        <label>
          조건식
          <input name="conditionKey" list="widget-conditions" value={conditionKey} onChange={(e) => setConditionKey(e.target.value)} />
          <datalist id="widget-conditions">
            {(conditions.data ?? []).map((c) => (
              <option key={c.key} value={c.key}>
                {c.name}
              </option>
            ))}
          </datalist>
        </label>
      ) : null}
      {kind === 'balances' ? (
        <label>
          계좌
          <input name="accountId" list="widget-accounts" value={accountId} onChange={(e) => setAccountId(e.target.value)} placeholder="kis:50012345-01" />
          <datalist id="widget-accounts">
            {(accounts.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </datalist>
        </label>
      ) : null}
      {error ? <p className="error-text">{error}</p> : null}
      <div className="form-actions">
        <button type="submit" className="primary">
          {widget ? '저장' : '추가'}
        </button>
        <button type="button" onClick={onCancel}>
          취소
        </button>
      </div>
    </form>
  );
}
