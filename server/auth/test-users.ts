/**
 * Users for integration tests: made through the real auth service (argon2id hash, stored token hash), each with
 * a password for sign-in tests and a personal API token for sockets and HTTP.
 *
 *   const alice = await addTestUser(server.auth!, { role: 'admin' });
 *   const socket = await connectClient(server.url, { token: alice.token });
 */
import { randomUUID } from 'node:crypto';
import type { SessionUser, UserRole } from '../../lib/contracts';
import type { AuthService } from './auth-service';

export interface TestUser {
  user: SessionUser;
  email: string;
  password: string;
  /** A personal API token of this user. */
  token: string;
}

const TEST_ADMIN: SessionUser = { id: '00000000-0000-0000-0000-000000000000', email: 'test-harness@sise.test', role: 'admin' };

export async function addTestUser(auth: AuthService, options: { email?: string; role?: UserRole } = {}): Promise<TestUser> {
  const email = options.email ?? `user-${randomUUID().slice(0, 8)}@sise.test`;
  const password = `pw-${randomUUID()}`;
  const user = await auth.createUser(TEST_ADMIN, { email, password, role: options.role ?? 'user' });
  const { token } = await auth.createApiToken(user, { name: 'test' });
  return { user, email, password, token };
}
