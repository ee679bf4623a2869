/**
 * Session cookies and API tokens are random bearer secrets; the store keeps only their SHA-256, so a copy of
 * the database cannot be replayed. 32 random bytes (256 bits) cannot be guessed, so a fast hash is enough here
 * (passwords, which people choose, get argon2id instead).
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
/** Lets secret scanners (and people) recognise a leaked Sise API token. */
export const API_TOKEN_PREFIX = 'sise_';

export function newSessionToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
