/**
 * Passwords are stored as argon2id hashes (PHC strings: algorithm, parameters and salt travel with the hash, so
 * stronger parameters later still verify old hashes).
 */
import { hash, verify } from '@node-rs/argon2';

/** @node-rs/argon2's `Algorithm.Argon2id` is an ambient const enum, which isolated modules cannot read. */
const ARGON2ID = 2;

/**
 * OWASP's recommended argon2id floor (19 MiB, 2 passes, 1 lane): about 30 ms per sign-in on one core of this
 * machine, cheap for a person and ruinous for anyone guessing offline against a leaked table.
 */
const ARGON2_MEMORY_KIB = 19_456;
const ARGON2_TIME_COST = 2;
const ARGON2_PARALLELISM = 1;

/** Long enough to resist guessing by a throttled attacker; the admin variable asks the same (config.ts). */
export const MIN_PASSWORD_LENGTH = 10;
/** argon2 takes any length, but hashing megabytes per request would be a cheap denial of service. */
export const MAX_PASSWORD_LENGTH = 256;

const OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: ARGON2_MEMORY_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a hash that cannot be read; never throws. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | null = null;
/**
 * A sign-in for an unknown e-mail still costs one verification against this hash, so the answer's timing does
 * not tell which addresses have accounts.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('not a password of anyone');
  return decoy;
}
