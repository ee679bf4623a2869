import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box';

const PLAIN = 'kiwoom-secret-키-0123456789';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = box.seal(PLAIN);
    expect(sealed).not.toContain(PLAIN);
    expect(sealed.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(box.open(sealed)).toBe(PLAIN);
  });

  it('uses a fresh IV each time, so one secret sealed twice looks different', () => {
    expect(box.seal(PLAIN)).not.toBe(box.seal(PLAIN));
  });

  it('refuses a sealed value that was altered anywhere', () => {
    const sealed = box.seal(PLAIN);
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const part = Buffer.from(parts[index]!, 'base64url');
      part[0]! ^= 1;
      const tampered = [...parts];
      tampered[index] = part.toString('base64url');
      expect(() => box.open(tampered.join('.'))).toThrow(SecretBoxError);
    }
    expect(() => box.open(sealed.replace(/^v1/, 'v2'))).toThrow(/format v1/);
    expect(() => box.open('not sealed')).toThrow(SecretBoxError);
  });

  it('refuses to open with another key, and says so', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal(PLAIN))).toThrow(/another key/);
  });

  it('refuses a value whose header was moved onto another key id', () => {
    const other = new SecretBox(randomBytes(32));
    const [, , iv, body, tag] = box.seal(PLAIN).split('.');
    expect(() => other.open(['v1', other.keyId, iv, body, tag].join('.'))).toThrow(/failed authentication/);
  });

  it('fingerprints values stably per key, without revealing them', () => {
    expect(box.fingerprint('app-key-1')).toBe(box.fingerprint('app-key-1'));
    expect(box.fingerprint('app-key-1')).not.toBe(box.fingerprint('app-key-2'));
    expect(new SecretBox(randomBytes(32)).fingerprint('app-key-1')).not.toBe(box.fingerprint('app-key-1'));
    expect(box.fingerprint('app-key-1')).not.toContain('app-key-1');
  });

  it('accepts only 32-byte keys', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
