/**
 * The browser's one way to call Sise's HTTP API: JSON in and out, and the API's `{ error: { code, message } }`
 * thrown as an ApiRequestError whose message is written for the person who sees it.
 *
 *   const { orderId } = await apiFetch<{ orderId: string }>('/api/orders', { method: 'POST', body: order });
 */
import type { ApiErrorBody } from '../contracts/errors';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    /** The API's error code (`CONFLICT`, `FORBIDDEN`, …); null when the answer was not the API's JSON. */
    readonly code: string | null,
    message: string,
    /** The whole error body, for answers that carry more (a CONFLICT carries the current version). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export async function apiFetch<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (body as Partial<ApiErrorBody> | null)?.error;
    throw new ApiRequestError(response.status, error?.code ?? null, error?.message ?? `the server answered ${response.status}`, body);
  }
  return body as T;
}
