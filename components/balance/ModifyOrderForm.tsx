'use client';
import { useState } from 'react';
import type { WorkingOrder } from '@/lib/client/account-view';
import { normalizeQty, orderGridFor } from '@/lib/client/order-grid';
import { useModifyOrder } from '@/lib/client/use-accounts';
import type { Market } from '@/lib/contracts';
import { formatPrice, formatQty } from '@/lib/format/number';

/**
 * 정정 for one working limit order: a price stepper on the instrument's tick grid and the quantity (at most what
 * still works), then a confirmation that shows old → new before anything is sent.
 */
export function ModifyOrderForm({ accountId, market, order, onDone }: { accountId: string; market: Market; order: WorkingOrder; onDone: () => void }) {
  const grid = orderGridFor(market);
  const [priceText, setPriceText] = useState(String(order.price ?? ''));
  const [qtyText, setQtyText] = useState(String(order.remainingQty));
  const [confirming, setConfirming] = useState(false);
  const modify = useModifyOrder();

  const typed = Number(priceText);
  const price = Number.isFinite(typed) && typed >= grid.minPrice ? grid.snap(typed) : null;
  const qty = normalizeQty(market, Number(qtyText));
  const qtyOk = qty > 0 && qty <= order.remainingQty;
  const changed = price !== null && (price !== order.price || qty !== order.remainingQty);
  const step = (direction: 'up' | 'down') => {
    const from = price ?? order.price ?? grid.minPrice;
    setPriceText(String(direction === 'up' ? grid.up(from) : grid.down(from)));
    setConfirming(false);
  };

  return (
    <div className="modify-order" data-testid="modify-order">
      {!confirming ? (
        <>
          <button type="button" aria-label="한 호가 내림" onClick={() => step('down')}>
            ▼
          </button>
          <input aria-label="정정 가격" inputMode="decimal" value={priceText} onChange={(e) => setPriceText(e.target.value)} onBlur={() => price !== null && setPriceText(String(price))} />
          <button type="button" aria-label="한 호가 올림" onClick={() => step('up')}>
            ▲
          </button>
          <input aria-label="정정 수량" inputMode="decimal" value={qtyText} onChange={(e) => setQtyText(e.target.value)} />
          <button type="button" className="primary-small" disabled={!changed || !qtyOk} onClick={() => setConfirming(true)}>
            정정 확인
          </button>
          <button type="button" onClick={onDone}>
            닫기
          </button>
          {!qtyOk && <span className="error-text">수량은 미체결 {formatQty(order.remainingQty)} 이하여야 합니다</span>}
        </>
      ) : (
        <>
          <span data-testid="modify-summary">
            {formatPrice(order.price ?? 0)} → <strong>{formatPrice(price ?? 0)}</strong>, {formatQty(order.remainingQty)} → <strong>{formatQty(qty)}</strong>
          </span>
          <button
            type="button"
            className="primary-small"
            disabled={modify.isPending}
            onClick={() =>
              modify.mutate(
                { accountId, orderId: order.orderId, price: price!, ...(qty === order.remainingQty ? {} : { qty }) },
                { onSuccess: onDone },
              )
            }
          >
            {modify.isPending ? '보내는 중…' : '정정 전송'}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            고치기
          </button>
          {modify.error && <span className="error-text">정정 실패: {modify.error.message}</span>}
        </>
      )}
    </div>
  );
}
