/**
 * The one polling wait of the tests: resolves when `predicate` holds (it may ask a server, so it may be async),
 * rejects naming `what` after the timeout. Tests wait for conditions, never for fixed times.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, pollMs = 10): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
