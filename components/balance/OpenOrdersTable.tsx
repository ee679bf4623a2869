'use client';
import { useState } from 'react';
import type { WorkingOrder } from '@/lib/client/account-view';
import { useCancelOrder } from '@/lib/client/use-accounts';
import type { Market } from '@/lib/contracts';
import { formatPrice, formatQty } from '@/lib/format/number';
import { formatKstTime } from '@/lib/format/kst-time';
import { nameOf, sideLabel, typeLabel } from './labels';
import { ModifyOrderForm } from './ModifyOrderForm';

const STATUS_LABELS: Record<WorkingOrder['status'], string> = {
  accepted: '접수',
  partially_filled: '부분체결',
  filled: '체결',
  cancelled: '취소',
  replaced: '정정',
  rejected: '거부',
};

/**
 * 미체결: working orders with a cancel button each (the bridge cannot cancel: its button says why it is off), and 정정
 * for limit orders where the broker can modify them.
 */
export function OpenOrdersTable({
  accountId,
  market,
  orders,
  canCancel,
  canModify,
  names,
}: {
  accountId: string;
  market: Market;
  orders: readonly WorkingOrder[];
  canCancel: boolean;
  canModify: boolean;
  names: ReadonlyMap<string, string>;
}) {
  const cancel = useCancelOrder();
  const [modifying, setModifying] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);

  if (orders.length === 0) return <p className="muted balances-empty" data-testid="no-open-orders">미체결 주문이 없습니다.</p>;
  return (
    <>
      {error ? <p className="error-text">{error}</p> : null}
      <table className="quotes balances-table" data-testid="open-orders">
        <thead>
          <tr>
            <th>시각</th>
            <th>종목</th>
            <th>구분</th>
            <th className="num">주문가</th>
            <th className="num">주문수량</th>
            <th className="num">미체결</th>
            <th>상태</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => [
            <tr key={order.orderId} data-testid="open-order-row" data-order-id={order.orderId} data-symbol={order.symbol}>
              <td className="muted num">{formatKstTime(order.ts)}</td>
              <td>{nameOf(names, order.symbol)}</td>
              <td className={order.side === 'buy' ? 'rise' : 'fall'}>
                {typeLabel(order.type)} {sideLabel(order.side)}
              </td>
              <td className="num">{order.price === null ? '시장가' : formatPrice(order.price)}</td>
              <td className="num">{formatQty(order.qty)}</td>
              <td className="num">{formatQty(order.remainingQty)}</td>
              <td>{STATUS_LABELS[order.status]}</td>
              <td className="actions">
                {canModify && order.type === 'limit' ? (
                  <button type="button" className="neutral" data-testid="modify-order-open" onClick={() => setModifying(modifying === order.orderId ? null : order.orderId)}>
                    정정
                  </button>
                ) : null}
                <button
                  type="button"
                  className="danger"
                  data-testid="cancel-order"
                  disabled={!canCancel || cancelling.has(order.orderId)}
                  title={canCancel ? '이 주문을 취소합니다' : '이 증권사 연결은 주문 취소를 지원하지 않습니다'}
                  onClick={() => {
                    setError(null);
                    setCancelling((s) => new Set(s).add(order.orderId));
                    cancel.mutate(
                      { accountId, orderId: order.orderId },
                      {
                        onError: (e) => {
                          setError(`취소 실패: ${e.message}`);
                          setCancelling((s) => {
                            const next = new Set(s);
                            next.delete(order.orderId);
                            return next;
                          });
                        },
                      },
                    );
                  }}
                >
                  {cancelling.has(order.orderId) ? '취소 중…' : '취소'}
                </button>
              </td>
            </tr>,
            modifying === order.orderId ? (
              <tr key={`${order.orderId}-modify`}>
                <td colSpan={8}>
                  <ModifyOrderForm accountId={accountId} market={market} order={order} onDone={() => setModifying(null)} />
                </td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
    </>
  );
}
