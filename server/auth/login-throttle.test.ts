import { describe, expect, it } from 'vitest';
import { FAILURE_WINDOW_MS, LoginThrottle, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from './login-throttle';

describe('sign-in throttle', () => {
  it('locks an account after repeated failures from any addresses, until the oldest failure ages out', () => {
    const throttle = new LoginThrottle();
    const t0 = 1_000_000;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(throttle.check('kim@example.com', `10.0.0.${i}`, t0 + i).allowed).toBe(true);
      throttle.recordFailure('Kim@Example.com', `10.0.0.${i}`, t0 + i);
    }
    const locked = throttle.check('kim@example.com', '10.9.9.9', t0 + 10);
    expect(locked).toEqual({ allowed: false, retryAfterMs: FAILURE_WINDOW_MS - 10 });
    // Another person is not affected by Kim's lock.
    expect(throttle.check('lee@example.com', '10.9.9.9', t0 + 10).allowed).toBe(true);
    expect(throttle.check('kim@example.com', '10.9.9.9', t0 + FAILURE_WINDOW_MS).allowed).toBe(true);
  });

  it('limits one address spraying guesses over many accounts', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) throttle.recordFailure(`user${i}@example.com`, '192.0.2.7', i);
    expect(throttle.check('someone-new@example.com', '192.0.2.7', 100).allowed).toBe(false);
    expect(throttle.check('someone-new@example.com', '192.0.2.8', 100).allowed).toBe(true);
  });

  it('clears an account after a correct password', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) throttle.recordFailure('park@example.com', '10.0.0.1', i);
    throttle.recordSuccess('park@example.com');
    throttle.recordFailure('park@example.com', '10.0.0.1', 10);
    expect(throttle.check('park@example.com', '10.0.0.2', 11).allowed).toBe(true);
  });
});
