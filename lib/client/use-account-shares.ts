'use client';
/** Who an account is shared with, and sharing it with one more user or one fewer (owners and, for server accounts, admins). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountShare } from '../contracts/accounts';
import { apiFetch } from './api-fetch';

const sharesUrl = (accountId: string) => `/api/accounts/${encodeURIComponent(accountId)}/shares`;

export function useAccountShares(accountId: string, enabled: boolean) {
  const queryClient = useQueryClient();
  const key = ['account-shares', accountId];
  const list = useQuery({ queryKey: key, enabled, queryFn: async () => (await apiFetch<{ shares: AccountShare[] }>(sharesUrl(accountId))).shares });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const share = useMutation({
    mutationFn: (email: string) => apiFetch<{ share: AccountShare }>(sharesUrl(accountId), { method: 'POST', body: { email } }),
    onSuccess: refresh,
  });
  const unshare = useMutation({
    mutationFn: (userId: string) => apiFetch<unknown>(`${sharesUrl(accountId)}/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { list, share, unshare };
}
