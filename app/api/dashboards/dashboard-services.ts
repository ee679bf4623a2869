/**
 * The dashboard and team services as route handlers reach them, and a small helper for their JSON bodies.
 */
import type { DashboardServices } from '@/lib/contracts/dashboards';
import { getServices } from '@/lib/contracts/services';

/** Throws UPSTREAM_UNAVAILABLE (503) when the server runs without a store, where dashboards cannot be kept. */
export function dashboardServices(): DashboardServices {
  const dashboards = getServices().dashboards;
  if (!dashboards) {
    throw Object.assign(new Error('this server runs without a store, so dashboards and teams are not served'), { code: 'UPSTREAM_UNAVAILABLE' });
  }
  return dashboards;
}

/** A JSON object body (an empty body counts as `{}`), or BAD_REQUEST. */
export async function readObject(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw Object.assign(new Error('the request body must be JSON'), { code: 'BAD_REQUEST' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw Object.assign(new Error('the request body must be a JSON object'), { code: 'BAD_REQUEST' });
  return body as Record<string, unknown>;
}

/** The text of a string field, or BAD_REQUEST naming it. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw Object.assign(new Error(`${name} must be a string`), { code: 'BAD_REQUEST' });
  return value;
}
