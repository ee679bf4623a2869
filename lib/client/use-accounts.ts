'use client';
/**
 * The balances page's data: the accounts the user may see, and per account its balance, working orders and
 * today's fills — fetched over REST (TanStack Query), then kept live from the account's `order` and `balance`
 * events without a reload. A gap in the account's seq, or a (re)join, fetches the snapshots again.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { AccountSummary, BalanceSnapshot, Fill, FillsSnapshot, OpenOrdersSnapshot, PlaceOrderRequest } from '../contracts/accounts';
import { getAccountStreams, type AccountStreamState } from './account-streams';
import { liveBalance, liveFills, liveOrders, type Balance, type WorkingOrder } from './account-view';
import { apiFetch } from './api-fetch';

/** Account data is live over the socket; REST answers are current until an event or a resync says otherwise. */
const SNAPSHOT_STALE_MS = Infinity;

const accountKey = (accountId: string) => ['account', accountId] as const;

const accountUrl = (accountId: string, part: string) => `/api/accounts/${encodeURIComponent(accountId)}/${part}`;

export function useAccounts() {
  return useQuery({ queryKey: ['accounts'], queryFn: async () => (await apiFetch<{ accounts: AccountSummary[] }>('/api/accounts')).accounts });
}

const NO_STREAM: AccountStreamState = { events: [], error: null };

/** Refetches an account's snapshots whenever its stream says they may be stale; mount once per page. */
export function useAccountResync(): void {
  const queryClient = useQueryClient();
  useEffect(() => getAccountStreams().onResync((accountId) => void queryClient.invalidateQueries({ queryKey: accountKey(accountId) })), [queryClient]);
}

export interface LiveAccount {
  balance: Balance | null;
  orders: WorkingOrder[];
  fills: Fill[];
  loading: boolean;
  error: string | null;
}

/** One account, live: joins `acct:<id>` while mounted. */
export function useLiveAccount(accountId: string): LiveAccount {
  useEffect(() => getAccountStreams().retain(accountId), [accountId]);
  const stream = useSyncExternalStore(
    (listener) => getAccountStreams().subscribe(listener),
    () => getAccountStreams().get(accountId),
    () => NO_STREAM,
  );
  const options = { staleTime: SNAPSHOT_STALE_MS, refetchOnWindowFocus: false } as const;
  const balance = useQuery({ ...options, queryKey: [...accountKey(accountId), 'balance'], queryFn: () => apiFetch<BalanceSnapshot>(accountUrl(accountId, 'balance')) });
  const orders = useQuery({ ...options, queryKey: [...accountKey(accountId), 'orders'], queryFn: () => apiFetch<OpenOrdersSnapshot>(accountUrl(accountId, 'orders')) });
  const fills = useQuery({ ...options, queryKey: [...accountKey(accountId), 'fills'], queryFn: () => apiFetch<FillsSnapshot>(accountUrl(accountId, 'fills')) });

  return useMemo(() => {
    const failed = balance.error ?? orders.error ?? fills.error;
    return {
      balance: balance.data ? liveBalance(balance.data, stream.events) : null,
      orders: orders.data ? liveOrders(orders.data, stream.events) : [],
      fills: fills.data ? liveFills(fills.data, stream.events) : [],
      loading: balance.isPending || orders.isPending || fills.isPending,
      error: stream.error ?? (failed ? failed.message : null),
    };
  }, [balance.data, balance.error, balance.isPending, orders.data, orders.error, orders.isPending, fills.data, fills.error, fills.isPending, stream]);
}

export function usePlaceOrder() {
  return useMutation({
    mutationFn: (order: PlaceOrderRequest) =>
      apiFetch<{ orderId: string }>('/api/orders', { method: 'POST', body: order }),
  });
}

export function useCancelOrder() {
  return useMutation({
    mutationFn: ({ accountId, orderId }: { accountId: string; orderId: string }) =>
      apiFetch<{ status: string }>(`/api/orders/${encodeURIComponent(accountId)}/${encodeURIComponent(orderId)}`, { method: 'DELETE' }),
  });
}

/** 정정: a new limit price (and optionally fewer shares) for a working order. */
export function useModifyOrder() {
  return useMutation({
    mutationFn: ({ accountId, orderId, price, qty }: { accountId: string; orderId: string; price: number; qty?: number }) =>
      apiFetch<{ newOrderId: string }>(`/api/orders/${encodeURIComponent(accountId)}/${encodeURIComponent(orderId)}`, {
        method: 'PATCH',
        body: qty === undefined ? { price } : { price, qty },
      }),
  });
}
