/**
 * Request-body reading shared by the broker simulators' REST endpoints.
 */
import type { IncomingMessage } from 'node:http';

/**
 * Reads a JSON object body of at most `maxBytes`. Anything else — too large, not JSON, an array or a scalar —
 * is null, so each simulator answers it with its broker's own input error.
 */
export async function readJsonObject(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
