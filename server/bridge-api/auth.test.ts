import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { authorize, isBridgePath } from './auth';

const TOKEN = 'a-token-of-24-characters!';
const req = (url: string, authorization?: string) => ({ url, headers: authorization ? { authorization } : {} }) as IncomingMessage;

describe('bridge API token', () => {
  it('takes the token from the first path segment and strips it from the route', () => {
    const auth = authorize(req(`/bridge/${TOKEN}/api/accounts/balance?accountNo=1`), TOKEN);
    expect(auth).toMatchObject({ ok: true, path: '/api/accounts/balance' });
    expect(auth.ok && auth.query.get('accountNo')).toBe('1');
  });

  it('takes the token from a Bearer header when the path starts with a route', () => {
    expect(authorize(req('/bridge/api/status', `Bearer ${TOKEN}`), TOKEN)).toMatchObject({ ok: true, path: '/api/status' });
    expect(authorize(req('/bridge/ws/realtime', `bearer ${TOKEN}`), TOKEN)).toMatchObject({ ok: true, path: '/ws/realtime' });
  });

  it('refuses a missing, wrong or malformed token, and everything when none is configured', () => {
    expect(authorize(req('/bridge/api/status'), TOKEN).ok).toBe(false);
    expect(authorize(req('/bridge/api/status', 'Basic abc'), TOKEN).ok).toBe(false);
    expect(authorize(req(`/bridge/${TOKEN.slice(1)}/api/status`), TOKEN).ok).toBe(false);
    expect(authorize(req('/bridge/%E0%A4%A/api/status'), TOKEN).ok).toBe(false);
    // A right header does not rescue a wrong path token.
    expect(authorize(req('/bridge/wrong/api/status', `Bearer ${TOKEN}`), TOKEN).ok).toBe(false);
    const off = authorize(req(`/bridge/${TOKEN}/api/status`), null);
    expect(off).toMatchObject({ ok: false, message: expect.stringContaining('SISE_API_TOKEN') });
  });

  it('owns /bridge/ only', () => {
    expect(isBridgePath('/bridge/x/api/status')).toBe(true);
    expect(isBridgePath('/api/status')).toBe(false);
    expect(isBridgePath('/bridgework')).toBe(false);
    expect(isBridgePath('/socket.io/?EIO=4')).toBe(false);
  });
});
