/**
 * The KIS access token on disk, so a restart reuses it: KIS issues one a minute and texts the account holder
 * (KakaoTalk) on every issuance (§2.1, §7.12), so a process that forgets its token on each restart both spams the
 * user and meets EGW00133. One small JSON file per app key and service under DATA_DIR, readable by its owner only.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IssuedToken } from './token-cache';

export interface TokenStore {
  load(): (IssuedToken & { issuedAt: number }) | null;
  save(token: IssuedToken & { issuedAt: number }): void;
}

/** Owner read/write only: the file holds a bearer credential. */
const FILE_MODE = 0o600;
/** Enough of the hash to tell keys apart; the key itself never reaches the file name. */
const NAME_HASH_CHARS = 16;

export function fileTokenStore(dataDir: string, appKey: string, restUrl: string, onError: (error: unknown) => void): TokenStore {
  const name = createHash('sha256').update(`${restUrl}\n${appKey}`).digest('hex').slice(0, NAME_HASH_CHARS);
  const dir = path.join(dataDir, 'kis');
  const file = path.join(dir, `token-${name}.json`);
  return {
    load() {
      try {
        const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
        if (typeof json !== 'object' || json === null) return null;
        const { token, expiresAt, issuedAt } = json as Record<string, unknown>;
        if (typeof token !== 'string' || typeof expiresAt !== 'number' || typeof issuedAt !== 'number') return null;
        return { token, expiresAt, issuedAt };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error);
        return null;
      }
    },
    save(token) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Write then rename: a crash mid-write never leaves half a token for the next start.
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(token), { mode: FILE_MODE });
        renameSync(temp, file);
      } catch (error) {
        onError(error);
      }
    },
  };
}
