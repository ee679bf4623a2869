/**
 * fetch for the dashboard and team pages: JSON in and out, and the API's `{ error: { message } }` thrown as an
 * Error whose message is shown to the user as is.
 */
export async function apiCall<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `the server answered ${response.status}`);
  return body as T;
}
