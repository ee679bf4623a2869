'use client';
import { useEffect, useState } from 'react';
import type { Market, OrderSide, OrderType, SymbolId } from '@/lib/contracts';
import type { AccountSummary, PlaceOrderRequest } from '@/lib/contracts/accounts';
import { useSymbol } from '@/lib/client/hooks';
import { normalizeQty, orderGridFor } from '@/lib/client/order-grid';
import { usePlaceOrder } from '@/lib/client/use-accounts';
import { formatPrice, formatQty } from '@/lib/format/number';
import { directionOf } from '@/lib/format/price-colour';
import { InstrumentSearch } from '@/components/watchlist/InstrumentSearch';
import { formatMoney } from './money';
import { nameOf, sideLabel, typeLabel } from './labels';

/** What each market's ticket opens with, so a fresh ticket always shows a live book. */
export const DEFAULT_SYMBOL: Record<Market, SymbolId> = { KRX: 'KRX:005930', UPBIT: 'UPBIT:KRW-BTC', BO: 'BO:BTCUSD' };

const marketOf = (symbol: SymbolId) => symbol.slice(0, symbol.indexOf(':')) as Market;
const currencyOf = (market: Market) => (market === 'BO' ? 'USD' : 'KRW');

interface Props {
  accounts: readonly AccountSummary[];
  accountId: string;
  symbol: SymbolId;
  names: ReadonlyMap<string, string>;
  onAccountChange: (accountId: string) => void;
  onSymbolChange: (symbol: SymbolId) => void;
}

/**
 * The order ticket (주문): account, instrument, buy/sell, limit/market, quantity and a price stepper on the tick
 * grid, then a confirmation step that shows exactly what will be sent. Simulator and mock accounts place paper
 * orders (모의 주문); a real-money account on a server without ALLOW_REAL_ORDERS shows the ticket locked, with why.
 */
export function OrderTicket({ accounts, accountId, symbol, names, onAccountChange, onSymbolChange }: Props) {
  const account = accounts.find((a) => a.id === accountId) ?? accounts[0];
  const market = marketOf(symbol);
  const grid = orderGridFor(market);
  const { tick, hoga } = useSymbol(symbol);
  const [side, setSide] = useState<OrderSide>('buy');
  const [type, setType] = useState<OrderType>('limit');
  const [qtyText, setQtyText] = useState('1');
  const [priceText, setPriceText] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const place = usePlaceOrder();

  // A new instrument starts at its last price (snapped), so the stepper has somewhere to step from.
  useEffect(() => setPriceText(''), [symbol]);
  useEffect(() => {
    if (priceText === '' && tick) setPriceText(String(grid.snap(tick.price)));
  }, [priceText, tick, grid]);

  if (!account) return null;
  const wrongMarket = account.market !== market;
  const qty = normalizeQty(market, Number(qtyText));
  const price = Number(priceText);
  const priceOk = type === 'market' || (price > 0 && grid.isOnGrid(price));
  const locked = !account.ordersAllowed;
  const ready = !locked && !wrongMarket && qty > 0 && priceOk;
  const bestAsk = hoga?.asks[0]?.price;
  const bestBid = hoga?.bids[0]?.price;
  const estimate = qty * (type === 'limit' ? price : (side === 'buy' ? bestAsk : bestBid) ?? tick?.price ?? 0);
  const order: PlaceOrderRequest = { accountId: account.id, symbol, side, type, qty, ...(type === 'limit' ? { price } : {}) };

  const step = (direction: 'up' | 'down') => {
    const from = price > 0 ? grid.snap(price) : tick?.price;
    if (from === undefined) return;
    setPriceText(String(direction === 'up' ? grid.up(from) : grid.down(from)));
  };
  const submit = () => {
    setResult(null);
    place.mutate(order, {
      onSuccess: ({ orderId }) => {
        setResult({ ok: true, text: `주문 접수됨 · 주문번호 ${orderId}` });
        setReviewing(false);
      },
      onError: (error) => {
        setResult({ ok: false, text: `주문 실패: ${error.message}` });
        setReviewing(false);
      },
    });
  };

  return (
    <section className="panel order-ticket" data-testid="order-ticket">
      <div className="panel-head">
        <h2>주문</h2>
        {account.realMoney ? <span className="badge balances-real">실계좌 주문</span> : <span className="badge balances-paper" data-testid="paper-badge">모의 주문</span>}
      </div>

      <label className="ticket-field">
        <span className="muted">계좌</span>
        <select
          data-testid="ticket-account"
          value={account.id}
          onChange={(e) => {
            const next = accounts.find((a) => a.id === e.target.value);
            if (!next) return;
            onAccountChange(next.id);
            if (next.market !== market) onSymbolChange(DEFAULT_SYMBOL[next.market]);
            setReviewing(false);
          }}
        >
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>

      {locked ? (
        <p className="ticket-locked" data-testid="ticket-locked">
          실계좌 주문이 꺼져 있습니다. 이 서버는 ALLOW_REAL_ORDERS=true로 시작해야 실계좌에 주문할 수 있습니다.
        </p>
      ) : null}

      <fieldset disabled={locked || reviewing || place.isPending} className="ticket-form">
        <div className="ticket-field">
          <span className="muted">종목</span>
          <div className="ticket-symbol">
            <strong data-testid="ticket-symbol" data-symbol={symbol}>{nameOf(names, symbol)}</strong> <span className="muted code">{symbol}</span>
            {tick ? <span className={`num ${directionOf(tick.change)}`}>{formatPrice(tick.price)}</span> : null}
          </div>
          <InstrumentSearch held={[]} onPick={(picked) => onSymbolChange(picked)} />
          {wrongMarket ? <p className="error-text">이 계좌는 {account.market} 종목만 주문할 수 있습니다.</p> : null}
        </div>

        <div className="ticket-toggle" role="group" aria-label="매수/매도">
          <button type="button" data-testid="ticket-buy" className={side === 'buy' ? 'active buy' : ''} onClick={() => setSide('buy')}>
            매수
          </button>
          <button type="button" data-testid="ticket-sell" className={side === 'sell' ? 'active sell' : ''} onClick={() => setSide('sell')}>
            매도
          </button>
        </div>
        <div className="ticket-toggle" role="group" aria-label="주문 유형">
          <button type="button" data-testid="ticket-limit" className={type === 'limit' ? 'active' : ''} onClick={() => setType('limit')}>
            지정가
          </button>
          <button type="button" data-testid="ticket-market" className={type === 'market' ? 'active' : ''} onClick={() => setType('market')}>
            시장가
          </button>
        </div>

        <label className="ticket-field">
          <span className="muted">수량{market === 'KRX' ? ' (주)' : ''}</span>
          <input
            data-testid="ticket-qty"
            inputMode="decimal"
            value={qtyText}
            onChange={(e) => setQtyText(e.target.value)}
            onBlur={() => setQtyText(qty > 0 ? String(qty) : qtyText)}
          />
        </label>

        {type === 'limit' ? (
          <div className="ticket-field">
            <span className="muted">가격 · 호가단위 {formatPrice(grid.tickSize(price > 0 ? price : (tick?.price ?? 1)))}</span>
            <div className="ticket-stepper">
              <button type="button" aria-label="한 호가 내림" data-testid="ticket-price-down" onClick={() => step('down')}>
                ▼
              </button>
              <input
                data-testid="ticket-price"
                inputMode="decimal"
                value={priceText}
                onChange={(e) => setPriceText(e.target.value)}
                onBlur={() => price > 0 && setPriceText(String(grid.snap(price)))}
              />
              <button type="button" aria-label="한 호가 올림" data-testid="ticket-price-up" onClick={() => step('up')}>
                ▲
              </button>
            </div>
            <div className="ticket-quotes">
              <button type="button" className="fall" data-testid="ticket-best-ask" data-price={bestAsk ?? ''} disabled={bestAsk === undefined} onClick={() => bestAsk && setPriceText(String(bestAsk))}>
                매도1호가 {bestAsk === undefined ? '—' : formatPrice(bestAsk)}
              </button>
              <button type="button" className="rise" data-testid="ticket-best-bid" data-price={bestBid ?? ''} disabled={bestBid === undefined} onClick={() => bestBid && setPriceText(String(bestBid))}>
                매수1호가 {bestBid === undefined ? '—' : formatPrice(bestBid)}
              </button>
            </div>
            {!priceOk && priceText !== '' ? <p className="error-text">호가단위에 맞지 않는 가격입니다: {formatPrice(grid.snap(price > 0 ? price : grid.minPrice))}로 맞춰집니다.</p> : null}
          </div>
        ) : (
          <p className="muted">시장가: 지금 호가에 바로 체결됩니다.</p>
        )}

        <p className="ticket-estimate">
          <span className="muted">예상 금액</span> <strong>{estimate > 0 ? formatMoney(estimate, currencyOf(market)) : '—'}</strong>
        </p>
        <button type="button" className={`primary ticket-submit ${side}`} data-testid="ticket-review" disabled={!ready} onClick={() => (setResult(null), setReviewing(true))}>
          {sideLabel(side)} 주문 확인
        </button>
      </fieldset>

      {reviewing ? (
        <div className="ticket-confirm" data-testid="ticket-confirm-panel">
          <p>
            <strong>이 주문을 보냅니다{account.realMoney ? '' : ' (모의 주문)'}:</strong>
          </p>
          <dl>
            <dt>계좌</dt>
            <dd>{account.label}</dd>
            <dt>종목</dt>
            <dd>
              {nameOf(names, symbol)} <span className="muted">{symbol}</span>
            </dd>
            <dt>구분</dt>
            <dd className={side === 'buy' ? 'rise' : 'fall'}>
              {typeLabel(type)} {sideLabel(side)}
            </dd>
            <dt>수량</dt>
            <dd data-testid="confirm-qty">{formatQty(qty)}</dd>
            <dt>가격</dt>
            <dd data-testid="confirm-price">{type === 'limit' ? formatPrice(price) : '시장가'}</dd>
            <dt>예상 금액</dt>
            <dd>{estimate > 0 ? formatMoney(estimate, currencyOf(market)) : '—'}</dd>
          </dl>
          <div className="ticket-confirm-actions">
            <button type="button" className="action" onClick={() => setReviewing(false)} disabled={place.isPending}>
              수정
            </button>
            <button type="button" className={`primary ticket-submit ${side}`} data-testid="ticket-confirm" onClick={submit} disabled={place.isPending}>
              {place.isPending ? '전송 중…' : `${sideLabel(side)} 주문 전송`}
            </button>
          </div>
        </div>
      ) : null}
      {result ? (
        <p className={result.ok ? 'ticket-result' : 'error-text'} data-testid="ticket-result">
          {result.text}
        </p>
      ) : null}
    </section>
  );
}
