/**
 * AES-256-GCM sealing of broker secrets at rest. A sealed value is text:
 *
 *   v1.<key id>.<base64url 12-byte IV>.<base64url ciphertext>.<base64url 16-byte auth tag>
 *
 * The version and key id come first so a later key rotation can open old values with the old key and seal new
 * ones with the new; the key id is a short hash of the key, never the key. GCM's tag makes any change to the
 * stored text (or opening with another key) an error instead of garbage.
 *
 *   const box = new SecretBox(key);
 *   const sealed = box.seal('my app secret'); // 'v1.3f9a…'
 *   box.open(sealed);                          // 'my app secret'
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** AES-256 needs exactly 32 bytes of key. */
export const SECRET_KEY_BYTES = 32;
/** GCM's recommended IV length (NIST SP 800-38D): 96 bits, random per seal. */
const IV_BYTES = 12;
/** The full 128-bit tag: shorter tags weaken forgery resistance for no gain here. */
const TAG_BYTES = 16;
const FORMAT_VERSION = 'v1';
/** Eight hex characters tell keys apart in a rotation without saying anything useful about the key. */
const KEY_ID_CHARS = 8;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export class SecretBox {
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new SecretBoxError(`the secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    this.#key = Buffer.from(key);
    this.keyId = createHash('sha256').update('sise-secret-key-id').update(key).digest('hex').slice(0, KEY_ID_CHARS);
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    // The version and key id are bound as associated data: moving a ciphertext under another header fails.
    cipher.setAAD(Buffer.from(`${FORMAT_VERSION}.${this.keyId}`));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT_VERSION, this.keyId, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /**
   * A keyed hash of a value (e.g. an app key), for finding equal values without storing them comparably:
   * without the server's key, the hash says nothing about the value.
   */
  fingerprint(value: string): string {
    // A key of its own (derived, not the sealing key itself), so the two uses never share a key.
    const hmacKey = createHmac('sha256', this.#key).update('sise-fingerprint-key').digest();
    return createHmac('sha256', hmacKey).update(value).digest('base64url');
  }

  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) throw new SecretBoxError(`not a sealed secret of format ${FORMAT_VERSION}`);
    const [version, keyId, ivText, bodyText, tagText] = parts as [string, string, string, string, string];
    if (keyId !== this.keyId) throw new SecretBoxError(`sealed with another key (key id ${keyId}, this server has ${this.keyId})`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('sealed secret is damaged (IV or tag length)');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${version}.${keyId}`));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed secret failed authentication: it was altered, or sealed with another key');
    }
  }
}
