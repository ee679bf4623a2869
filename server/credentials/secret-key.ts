/**
 * Where the key that seals broker secrets comes from: SISE_SECRET_KEY when set (config.ts checks it is 32
 * bytes), otherwise `DATA_DIR/secret.key`, generated once. The file is never replaced once it exists: every
 * stored secret was sealed with it, so a new key would make them all unreadable. A file of the wrong size is
 * therefore a start-up error naming the file, not something to "repair".
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SECRET_KEY_BYTES } from './secret-box';

export const SECRET_KEY_FILE = 'secret.key';
/** Owner read/write only: the key opens every stored broker secret. */
const KEY_FILE_MODE = 0o600;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** The configured key, or the key file's (created if missing). */
export async function loadSecretKey(options: { configured: Buffer | null; dataDir: string }): Promise<{ key: Buffer; source: string }> {
  if (options.configured) return { key: options.configured, source: 'SISE_SECRET_KEY' };
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  return { key: await readOrCreateKeyFile(file), source: file };
}

async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  const existing = await readKeyFile(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  // Written in full under a temporary name, then linked into place: link() fails if the name exists, so two
  // processes starting at once cannot both write a key, and nobody ever reads a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, randomBytes(SECRET_KEY_BYTES), { mode: KEY_FILE_MODE, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else created it first: theirs is the key.
  } finally {
    await rm(temporary, { force: true });
  }
  const created = await readKeyFile(file);
  if (!created) throw new SecretKeyError(`${file} vanished right after it was created`);
  return created;
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  let key: Buffer;
  try {
    key = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SecretKeyError(`cannot read the secret key file ${file}: ${(error as Error).message}`);
  }
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretKeyError(
      `${file} holds ${key.length} bytes, not ${SECRET_KEY_BYTES}: it is damaged or not Sise's key. It is left as it is, because ` +
        'stored broker secrets can only be opened with the original key; restore it from a backup, or remove it and ' +
        'link the broker accounts again.',
    );
  }
  const { mode } = await stat(file);
  // Said, not fixed: changing permissions behind the operator's back would hide a misconfigured deployment.
  if ((mode & 0o077) !== 0) process.emitWarning(`${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  return key;
}
