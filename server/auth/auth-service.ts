/**
 * Sign-in, sessions, API tokens and users: everything that decides who a request or a socket belongs to.
 * The HTTP gate and the socket middleware ask it to resolve credentials; the /api/auth, /api/tokens and
 * /api/users routes reach it through the services bridge.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SessionUser, UserRole } from '../../lib/contracts';
import { SiseError } from '../errors';
import type { Logger } from '../logger';
import type { SqlClient } from '../store/sql-client';
import type { AuthApi } from '../../lib/contracts/services';
import { CredentialRepository, type ApiTokenInfo, type StoredCredential } from './credential-repository';
import { LoginThrottle } from './login-throttle';
import { decoyHash, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from './password-hasher';
import { newApiToken, newSessionToken, tokenHash } from './secret-token';
import { UserRepository } from './user-repository';
import { zodMessage } from '../zod-message';

/** A trading week: people sign in on Monday and stay signed in; a stolen cookie stops working within days. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;
/** Dead sessions are swept hourly; they are already refused on lookup, this only keeps the table small. */
const SESSION_SWEEP_INTERVAL_MS = 60 * 60_000;
/** The same words whichever of the two was wrong, so the message does not confirm that an address has an account. */
export const WRONG_CREDENTIALS_MESSAGE = '이메일 또는 비밀번호가 올바르지 않습니다.';
/** A setup code is typed or clicked once; 128 bits cannot be guessed before the admin uses it. */
const SETUP_CODE_BYTES = 16;
const API_TOKEN_NAME_MAX = 60;

export const emailSchema = z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, '올바른 이메일 주소를 입력하세요');
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `비밀번호는 ${MIN_PASSWORD_LENGTH}자 이상이어야 합니다`)
  .max(MAX_PASSWORD_LENGTH, `비밀번호는 ${MAX_PASSWORD_LENGTH}자 이하여야 합니다`);
export const newUserSchema = z.object({ email: emailSchema, password: passwordSchema, role: z.enum(['admin', 'user']).default('user') }).strict();

export interface SignedIn {
  user: SessionUser;
  /** The cookie's value; shown to nobody else and stored only as its hash. */
  token: string;
  expiresAt: number;
}

export type FirstRun =
  | { state: 'ready' }
  | { state: 'admin-created'; email: string }
  /** No user yet and no SISE_ADMIN_* variables: the first admin is made at /setup?code=… */
  | { state: 'setup'; code: string };

export interface AuthServiceOptions {
  sql: SqlClient;
  logger: Logger;
  now?: () => number;
  sessionTtlMs?: number;
  throttle?: LoginThrottle;
}

export type RevocationListener = (credentialHash: string) => void;

export class AuthService implements AuthApi {
  private readonly users: UserRepository;
  private readonly credentials: CredentialRepository;
  private readonly throttle: LoginThrottle;
  private readonly now: () => number;
  private readonly sessionTtlMs: number;
  private readonly revocationListeners = new Set<RevocationListener>();
  private setupCode: string | null = null;
  /** SISE_API_TOKEN, waiting for the first admin when the store starts empty. */
  private pendingAdminToken: string | null = null;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: AuthServiceOptions) {
    this.users = new UserRepository(options.sql);
    this.credentials = new CredentialRepository(options.sql);
    this.throttle = options.throttle ?? new LoginThrottle();
    this.now = options.now ?? Date.now;
    this.sessionTtlMs = options.sessionTtlMs ?? SESSION_TTL_MS;
    this.sweeper = setInterval(() => {
      this.credentials.deleteDeadSessions(this.now()).catch((error: unknown) => options.logger.warn({ err: String(error) }, 'session sweep failed'));
    }, SESSION_SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.revocationListeners.clear();
  }

  /**
   * Makes sure someone can sign in: with SISE_ADMIN_EMAIL/SISE_ADMIN_PASSWORD on an empty store, that admin;
   * otherwise, on an empty store, a one-time setup code. SISE_API_TOKEN is recorded for the first admin.
   */
  async prepareFirstRun(env: { adminEmail: string | null; adminPassword: string | null; apiToken: string | null }): Promise<FirstRun> {
    let result: FirstRun = { state: 'ready' };
    if ((await this.users.count()) === 0) {
      if (env.adminEmail && env.adminPassword) {
        await this.users.create(env.adminEmail, await hashPassword(env.adminPassword), 'admin');
        result = { state: 'admin-created', email: env.adminEmail };
      } else {
        this.setupCode = randomBytes(SETUP_CODE_BYTES).toString('base64url');
        result = { state: 'setup', code: this.setupCode };
      }
    }
    if (env.apiToken) {
      const admin = await this.firstAdmin(env.adminEmail);
      if (admin) await this.credentials.createApiToken(tokenHash(env.apiToken), admin.id, 'SISE_API_TOKEN');
      else this.pendingAdminToken = env.apiToken;
    }
    return result;
  }

  setupPending(): boolean {
    return this.setupCode !== null;
  }

  /** Creates the first admin with the code printed at start; the code then stops working. */
  async completeSetup(code: string, input: unknown): Promise<SessionUser> {
    const expected = this.setupCode;
    if (expected === null) throw new SiseError('FORBIDDEN', '이미 관리자 계정이 있습니다. 로그인하세요.');
    if (!sameSecret(code, expected)) throw new SiseError('FORBIDDEN', '설정 코드가 올바르지 않습니다. 서버를 시작할 때 출력된 주소를 여세요.');
    const { email, password } = parse(newUserSchema, input);
    this.setupCode = null;
    try {
      const admin = await this.users.create(email, await hashPassword(password), 'admin');
      if (this.pendingAdminToken) await this.credentials.createApiToken(tokenHash(this.pendingAdminToken), admin.id, 'SISE_API_TOKEN');
      this.pendingAdminToken = null;
      return admin;
    } catch (error) {
      this.setupCode = expected;
      throw error;
    }
  }

  /** Refuses without saying which of e-mail or password was wrong; throttled per account and per address. */
  async signIn(input: unknown, address: string): Promise<SignedIn> {
    const parsed = z.object({ email: z.string().max(254), password: z.string().max(MAX_PASSWORD_LENGTH) }).safeParse(input);
    if (!parsed.success) throw new SiseError('BAD_REQUEST', '이메일과 비밀번호를 입력하세요.');
    const email = parsed.data.email.trim();
    const now = this.now();
    const verdict = this.throttle.check(email, address, now);
    if (!verdict.allowed) {
      const minutes = Math.max(1, Math.ceil(verdict.retryAfterMs / 60_000));
      throw new SiseError('RATE_LIMITED', `로그인 실패가 너무 많습니다. ${minutes}분 후에 다시 시도하세요.`);
    }
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), parsed.data.password);
    if (!user || !ok) {
      this.throttle.recordFailure(email, address, now);
      this.options.logger.info({ address }, 'sign-in refused');
      throw new SiseError('UNAUTHENTICATED', WRONG_CREDENTIALS_MESSAGE);
    }
    this.throttle.recordSuccess(email);
    const token = newSessionToken();
    const expiresAt = now + this.sessionTtlMs;
    await this.credentials.createSession(tokenHash(token), user.id, expiresAt);
    const { passwordHash: _, ...sessionUser } = user;
    return { user: sessionUser, token, expiresAt };
  }

  async signOut(sessionHash: string): Promise<void> {
    if (await this.credentials.revokeSession(sessionHash)) this.announceRevocation(sessionHash);
  }

  /** The session behind a cookie value, if it is live. */
  async resolveSession(token: string): Promise<StoredCredential | null> {
    if (!token) return null;
    return this.credentials.findSession(tokenHash(token), this.now());
  }

  /** The user behind an API token (SISE_API_TOKEN or a personal one), if it is not revoked. */
  async resolveApiToken(token: string): Promise<StoredCredential | null> {
    if (!token) return null;
    return this.credentials.findApiToken(tokenHash(token));
  }

  /** Checks a credential again (sockets do this when its session's time is up). */
  async stillValid(credential: StoredCredential): Promise<boolean> {
    const found = credential.kind === 'session' ? await this.credentials.findSession(credential.hash, this.now()) : await this.credentials.findApiToken(credential.hash);
    return found !== null;
  }

  /** The token itself is returned this once and never again. */
  async createApiToken(user: SessionUser, input: unknown): Promise<{ token: string; info: ApiTokenInfo }> {
    const { name } = parse(z.object({ name: z.string().trim().min(1, '토큰 이름을 입력하세요').max(API_TOKEN_NAME_MAX) }).strict(), input);
    const token = newApiToken();
    await this.credentials.createApiToken(tokenHash(token), user.id, name);
    const info = (await this.credentials.listApiTokens(user.id)).find((t) => t.id === tokenHash(token))!;
    return { token, info };
  }

  listApiTokens(user: SessionUser): Promise<ApiTokenInfo[]> {
    return this.credentials.listApiTokens(user.id);
  }

  /** Revokes one of the user's own tokens; sockets opened with it are closed at once. */
  async revokeApiToken(user: SessionUser, id: string): Promise<void> {
    if (!(await this.credentials.revokeApiToken(user.id, id))) throw new SiseError('NOT_FOUND', 'no live token of yours has that id');
    this.announceRevocation(id);
  }

  /**
   * A new password for the signed-in user, after the current one is given again. Every other session of theirs
   * ends (a changed password usually means someone else might know the old one); this one stays signed in.
   */
  async changePassword(user: SessionUser, currentSessionHash: string | null, input: unknown): Promise<void> {
    const { currentPassword, newPassword } = parse(z.object({ currentPassword: z.string().max(MAX_PASSWORD_LENGTH), newPassword: passwordSchema }).strict(), input);
    const stored = await this.users.findByEmail(user.email);
    if (!stored || stored.id !== user.id || !(await verifyPassword(stored.passwordHash, currentPassword))) {
      throw new SiseError('FORBIDDEN', '현재 비밀번호가 올바르지 않습니다.');
    }
    await this.users.setPasswordHash(user.id, await hashPassword(newPassword));
    for (const hash of await this.credentials.revokeOtherSessions(user.id, currentSessionHash)) this.announceRevocation(hash);
  }

  /** Admins create accounts for their team (there is no open sign-up). */
  async createUser(actor: SessionUser, input: unknown): Promise<SessionUser> {
    requireAdmin(actor);
    const { email, password, role } = parse(newUserSchema, input);
    return this.users.create(email, await hashPassword(password), role as UserRole);
  }

  /**
   * An admin sets a new password for someone who forgot theirs (there is no e-mail to send a reset link to).
   * All of that user's sessions end, so whoever had them must sign in with the new password.
   */
  async resetPassword(actor: SessionUser, userId: string, input: unknown): Promise<void> {
    requireAdmin(actor);
    const { password } = parse(z.object({ password: passwordSchema }).strict(), input);
    const user = await this.users.findById(userId);
    if (!user) throw new SiseError('NOT_FOUND', 'no such user');
    await this.users.setPasswordHash(user.id, await hashPassword(password));
    for (const hash of await this.credentials.revokeOtherSessions(user.id, null)) this.announceRevocation(hash);
  }

  async listUsers(actor: SessionUser): Promise<SessionUser[]> {
    requireAdmin(actor);
    return this.users.list();
  }

  findUserByEmail(email: string): Promise<SessionUser | null> {
    return this.users.findByEmail(email).then((user) => (user ? { id: user.id, email: user.email, role: user.role } : null));
  }

  findUserById(id: string): Promise<SessionUser | null> {
    return this.users.findById(id);
  }

  /** Called with a credential's hash when it is signed out or revoked. */
  onRevocation(listener: RevocationListener): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  private announceRevocation(hash: string): void {
    for (const listener of [...this.revocationListeners]) {
      try {
        listener(hash);
      } catch (error) {
        this.options.logger.warn({ err: String(error) }, 'revocation listener failed');
      }
    }
  }

  private async firstAdmin(preferredEmail: string | null): Promise<SessionUser | null> {
    if (preferredEmail) {
      const preferred = await this.users.findByEmail(preferredEmail);
      if (preferred?.role === 'admin') return { id: preferred.id, email: preferred.email, role: preferred.role };
    }
    return (await this.users.list()).find((user) => user.role === 'admin') ?? null;
  }
}

function requireAdmin(actor: SessionUser): void {
  if (actor.role !== 'admin') throw new SiseError('FORBIDDEN', '관리자만 사용자를 관리할 수 있습니다.');
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SiseError('BAD_REQUEST', zodMessage(parsed.error));
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
