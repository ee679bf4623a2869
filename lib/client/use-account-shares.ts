'use client';
/** Who an account is shared with, and sharing it with one more user or one fewer (owners and, for server accounts, admins). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountShare } from '../contracts/accounts';

async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${url}: ${response.status}`);
  return body;
}

const sharesUrl = (accountId: string) => `/api/accounts/${encodeURIComponent(accountId)}/shares`;

export function useAccountShares(accountId: string, enabled: boolean) {
  const queryClient = useQueryClient();
  const key = ['account-shares', accountId];
  const list = useQuery({ queryKey: key, enabled, queryFn: async () => (await api<{ shares: AccountShare[] }>(sharesUrl(accountId))).shares });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const share = useMutation({
    mutationFn: (email: string) => api<{ share: AccountShare }>(sharesUrl(accountId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) }),
    onSuccess: refresh,
  });
  const unshare = useMutation({
    mutationFn: (userId: string) => api<unknown>(`${sharesUrl(accountId)}/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { list, share, unshare };
}
