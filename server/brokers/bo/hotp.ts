/**
 * The TwoFA value the library puts in a logon: RFC 4226 HOTP (HMAC-SHA1, 6 digits) keyed with the raw ASCII
 * bytes of the API trading key at counter 0 (bo-binary.md §3.1). For key "1" it is "517846", exactly the
 * README's first dump. The vendor says 2FA checking is off on its test systems; the library sends it anyway.
 */
import { createHmac } from 'node:crypto';

/** RFC 4226 §5.3: six decimal digits. */
const HOTP_DIGITS = 6;
/** The library always uses counter 0 (`pyotp.HOTP(...).at(0)`). */
export const LIBRARY_HOTP_COUNTER = 0;

/**
 * @example hotp('1', 0) // '517846'
 * @example hotp('12345678901234567890', 1) // '287082' (RFC 4226 appendix D)
 */
export function hotp(key: string, counter: number = LIBRARY_HOTP_COUNTER): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', Buffer.from(key, 'ascii')).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** HOTP_DIGITS).padStart(HOTP_DIGITS, '0');
}
