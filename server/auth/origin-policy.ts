/**
 * Which pages may use a signed-in user's cookie: the server's own origin (whatever host name it is reached by)
 * and those listed in SISE_ALLOWED_ORIGINS. A browser always sends `Origin` on cross-origin requests and on
 * WebSocket/XHR requests, so a page elsewhere cannot ride the cookie. Programs (bots, curl) send no Origin and
 * authenticate with a token instead.
 */
export class OriginPolicy {
  private readonly extra: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.extra = new Set(allowedOrigins);
  }

  /**
   * `origin`: the request's Origin header; `host`: its Host header (the name the browser used for us).
   *
   *   allows('http://127.0.0.1:3000', '127.0.0.1:3000') → true (same origin)
   *   allows('http://evil.example', '127.0.0.1:3000')   → false
   *   allows(undefined, …)                               → true (not a browser page: it needs a credential anyway)
   */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.extra.has(origin)) return true;
    if (!host) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
    } catch {
      // "null" (sandboxed frames, file://) and anything unparsable are not our pages.
      return false;
    }
  }
}
