/**
 * The auth service on the real store (both backends): argon2id hashes, one answer for a wrong e-mail or
 * password, throttling, sessions that expire or are signed out, API tokens, and the first-run paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import type { SqlClient } from '../store/sql-client';
import { STORE_BACKENDS, type TestBackend } from '../store/test-backends';
import { AuthService, WRONG_CREDENTIALS_MESSAGE } from './auth-service';
import { MAX_FAILURES_PER_ACCOUNT } from './login-throttle';

const ADMIN = { email: 'Admin@Sise.test', password: 'correct horse battery' };

for (const { name, make, skipReason } of STORE_BACKENDS) {
  describe.skipIf(skipReason !== null)(skipReason ?? `auth service on ${name}`, () => {
    let backend: TestBackend;
    let sql: SqlClient;
    let clock = Date.parse('2026-11-21T00:00:00Z');
    let auth: AuthService;

    beforeAll(async () => {
      backend = await make();
      sql = await backend.open();
      auth = new AuthService({ sql, logger: silentLogger, now: () => clock, sessionTtlMs: 60_000 });
    }, 60_000);
    afterAll(async () => {
      auth?.close();
      await sql?.close();
      await backend?.dispose();
    });

    it('creates the first admin from SISE_ADMIN_* on an empty store, with an argon2id hash and the SISE_API_TOKEN', async () => {
      const first = await auth.prepareFirstRun({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, apiToken: 'a-headless-token-of-24+chars' });
      expect(first).toEqual({ state: 'admin-created', email: ADMIN.email });
      const [row] = await sql.query<{ password_hash: string }>('SELECT password_hash FROM users');
      expect(row!.password_hash).toMatch(/^\$argon2id\$/);
      expect(row!.password_hash).not.toContain(ADMIN.password);
      const viaToken = await auth.resolveApiToken('a-headless-token-of-24+chars');
      expect(viaToken?.user.email).toBe(ADMIN.email);
      // A restart finds the admin and does not make another.
      expect(await auth.prepareFirstRun({ adminEmail: ADMIN.email, adminPassword: ADMIN.password, apiToken: 'a-headless-token-of-24+chars' })).toEqual({ state: 'ready' });
    });

    it('gives one answer for a wrong password and an unknown e-mail, and signs in with the right one whatever the case', async () => {
      await expect(auth.signIn({ email: ADMIN.email, password: 'wrong password!' }, '10.0.0.1')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: WRONG_CREDENTIALS_MESSAGE });
      await expect(auth.signIn({ email: 'nobody@sise.test', password: ADMIN.password }, '10.0.0.1')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: WRONG_CREDENTIALS_MESSAGE });
      const signedIn = await auth.signIn({ email: 'admin@sise.TEST', password: ADMIN.password }, '10.0.0.1');
      expect(signedIn.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
      expect((await auth.resolveSession(signedIn.token))?.user.id).toBe(signedIn.user.id);
      const [stored] = await sql.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
      expect(stored!.token_hash).not.toBe(signedIn.token);
    });

    it('refuses even the right password once an account is rate-limited', async () => {
      const user = await auth.createUser({ id: 'x', email: 'x', role: 'admin' }, { email: 'target@sise.test', password: 'the right password' });
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
        await expect(auth.signIn({ email: user.email, password: `guess ${i}` }, `10.1.0.${i}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      }
      await expect(auth.signIn({ email: user.email, password: 'the right password' }, '10.2.0.1')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    });

    it('ends sessions when they expire or are signed out', async () => {
      const a = await auth.signIn(ADMIN, '10.0.0.2');
      const b = await auth.signIn(ADMIN, '10.0.0.2');
      const revoked: string[] = [];
      const stop = auth.onRevocation((hash) => revoked.push(hash));
      const session = (await auth.resolveSession(a.token))!;
      await auth.signOut(session.hash);
      expect(await auth.resolveSession(a.token)).toBeNull();
      expect(revoked).toEqual([session.hash]);
      expect(await auth.resolveSession(b.token)).not.toBeNull();
      clock += 60_001;
      expect(await auth.resolveSession(b.token)).toBeNull();
      stop();
    });

    it('makes personal API tokens that show once, list without the secret, and stop working when revoked', async () => {
      const user = await auth.createUser({ id: 'x', email: 'x', role: 'admin' }, { email: 'bot-owner@sise.test', password: 'bot owner password' });
      const { token, info } = await auth.createApiToken(user, { name: '자동매매 봇' });
      expect(token).toMatch(/^sise_/);
      const listed = await auth.listApiTokens(user);
      expect(JSON.stringify(listed)).not.toContain(token);
      expect((await auth.resolveApiToken(token))?.user.id).toBe(user.id);
      const other = await auth.createUser({ id: 'x', email: 'x', role: 'admin' }, { email: 'someone-else@sise.test', password: 'someone else pw' });
      await expect(auth.revokeApiToken(other, info.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await auth.revokeApiToken(user, info.id);
      expect(await auth.resolveApiToken(token)).toBeNull();
    });

    it('changes a password only with the current one, and ends the user\'s other sessions', async () => {
      const user = await auth.createUser({ id: 'x', email: 'x', role: 'admin' }, { email: 'changer@sise.test', password: 'first password' });
      const here = await auth.signIn({ email: user.email, password: 'first password' }, '10.3.0.1');
      const elsewhere = await auth.signIn({ email: user.email, password: 'first password' }, '10.3.0.2');
      const hereHash = (await auth.resolveSession(here.token))!.hash;
      await expect(auth.changePassword(user, hereHash, { currentPassword: 'wrong one!', newPassword: 'second password' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const revoked: string[] = [];
      const stop = auth.onRevocation((hash) => revoked.push(hash));
      await auth.changePassword(user, hereHash, { currentPassword: 'first password', newPassword: 'second password' });
      stop();
      expect(await auth.resolveSession(here.token)).not.toBeNull();
      expect(await auth.resolveSession(elsewhere.token)).toBeNull();
      expect(revoked).toHaveLength(1);
      await expect(auth.signIn({ email: user.email, password: 'first password' }, '10.3.0.3')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((await auth.signIn({ email: user.email, password: 'second password' }, '10.3.0.3')).user.id).toBe(user.id);
    });

    it('lets an admin set a forgotten password, which ends that user\'s sessions', async () => {
      const admin = (await auth.findUserByEmail(ADMIN.email))!;
      const user = await auth.createUser(admin, { email: 'forgetful@sise.test', password: 'forgotten one' });
      const session = await auth.signIn({ email: user.email, password: 'forgotten one' }, '10.4.0.1');
      await expect(auth.resetPassword(user, user.id, { password: 'not an admin pw' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await auth.resetPassword(admin, user.id, { password: 'a fresh password' });
      expect(await auth.resolveSession(session.token)).toBeNull();
      expect((await auth.signIn({ email: user.email, password: 'a fresh password' }, '10.4.0.1')).user.id).toBe(user.id);
      await expect(auth.resetPassword(admin, '00000000-0000-0000-0000-000000000001', { password: 'whatever pw 1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('lets only admins create users, and refuses a short password and a taken address', async () => {
      const plain = (await auth.findUserByEmail('bot-owner@sise.test'))!;
      await expect(auth.createUser(plain, { email: 'new@sise.test', password: 'long enough pw' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const admin = (await auth.findUserByEmail(ADMIN.email))!;
      await expect(auth.createUser(admin, { email: 'new@sise.test', password: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(auth.createUser(admin, { email: 'ADMIN@sise.test', password: 'long enough pw' })).rejects.toMatchObject({ code: 'CONFLICT' });
    });
  });
}

describe('first run without SISE_ADMIN_*', () => {
  it('offers a one-time setup code that creates the admin once', async () => {
    const backend = await STORE_BACKENDS[0]!.make();
    const sql = await backend.open();
    const auth = new AuthService({ sql, logger: silentLogger });
    try {
      const first = await auth.prepareFirstRun({ adminEmail: null, adminPassword: null, apiToken: 'headless-token-waiting-for-admin' });
      if (first.state !== 'setup') throw new Error(`expected a setup code, got ${first.state}`);
      await expect(auth.completeSetup('not-the-code', { email: 'boss@sise.test', password: 'boss password!' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const admin = await auth.completeSetup(first.code, { email: 'boss@sise.test', password: 'boss password!' });
      expect(admin.role).toBe('admin');
      expect((await auth.resolveApiToken('headless-token-waiting-for-admin'))?.user.id).toBe(admin.id);
      await expect(auth.completeSetup(first.code, { email: 'second@sise.test', password: 'second password' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      auth.close();
      await sql.close();
      await backend.dispose();
    }
  });
});
