import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecretKey, SECRET_KEY_FILE } from './secret-key';

describe('loadSecretKey', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sise-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('prefers SISE_SECRET_KEY and writes no file then', async () => {
    const dataDir = freshDir();
    const configured = randomBytes(32);
    const { key, source } = await loadSecretKey({ configured, dataDir });
    expect(key).toEqual(configured);
    expect(source).toBe('SISE_SECRET_KEY');
    expect(() => statSync(path.join(dataDir, SECRET_KEY_FILE))).toThrow();
  });

  it('generates a 32-byte key file readable by its owner only, and reuses it on the next start', async () => {
    const dataDir = path.join(freshDir(), 'not-yet-created');
    const first = await loadSecretKey({ configured: null, dataDir });
    const file = path.join(dataDir, SECRET_KEY_FILE);
    expect(first.source).toBe(file);
    expect(first.key.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await loadSecretKey({ configured: null, dataDir });
    expect(second.key).toEqual(first.key);
  });

  it('gives every concurrent starter the same key', async () => {
    const dataDir = freshDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadSecretKey({ configured: null, dataDir })));
    for (const { key } of keys) expect(key).toEqual(keys[0]!.key);
  });

  it('stops on a key file of the wrong size and leaves it untouched', async () => {
    const dataDir = freshDir();
    const file = path.join(dataDir, SECRET_KEY_FILE);
    writeFileSync(file, Buffer.alloc(31, 1), { mode: 0o600 });
    await expect(loadSecretKey({ configured: null, dataDir })).rejects.toThrow(/holds 31 bytes, not 32/);
    expect(readFileSync(file)).toEqual(Buffer.alloc(31, 1));
  });
});
