import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isBridgePath, readBridgeRequest } from './auth';

const TOKEN = 'sise_a-token-of-some-characters';
const req = (url: string, authorization?: string) => ({ url, headers: authorization ? { authorization } : {} }) as IncomingMessage;

describe('bridge API token location', () => {
  it('takes the token from the first path segment and strips it from the route', () => {
    const found = readBridgeRequest(req(`/bridge/${TOKEN}/api/accounts/balance?accountNo=1`));
    expect(found).toMatchObject({ token: TOKEN, path: '/api/accounts/balance' });
    expect(found.query.get('accountNo')).toBe('1');
    expect(readBridgeRequest(req(`/bridge/${encodeURIComponent('tok/en')}/ws/execution`))).toMatchObject({ token: 'tok/en', path: '/ws/execution' });
  });

  it('takes the token from a Bearer header when the path starts with a route', () => {
    expect(readBridgeRequest(req('/bridge/api/status', `Bearer ${TOKEN}`))).toMatchObject({ token: TOKEN, path: '/api/status' });
    expect(readBridgeRequest(req('/bridge/ws/realtime', `bearer ${TOKEN}`))).toMatchObject({ token: TOKEN, path: '/ws/realtime' });
  });

  it('finds no token when there is none or it cannot be read', () => {
    expect(readBridgeRequest(req('/bridge/api/status')).token).toBeNull();
    expect(readBridgeRequest(req('/bridge/api/status', 'Basic abc')).token).toBeNull();
    expect(readBridgeRequest(req('/bridge/%E0%A4%A/api/status')).token).toBeNull();
  });

  it('lets the path token win over a header, so a wrong configured URL is not rescued', () => {
    expect(readBridgeRequest(req('/bridge/wrong/api/status', `Bearer ${TOKEN}`))).toMatchObject({ token: 'wrong', path: '/api/status' });
  });

  it('owns /bridge/ only', () => {
    expect(isBridgePath('/bridge/x/api/status')).toBe(true);
    expect(isBridgePath('/api/status')).toBe(false);
    expect(isBridgePath('/bridgework')).toBe(false);
    expect(isBridgePath('/socket.io/?EIO=4')).toBe(false);
  });
});
