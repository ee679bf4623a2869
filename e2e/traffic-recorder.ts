/**
 * Records what the browser receives in every e2e test — each HTTP response body and each WebSocket frame, both
 * directions — into one JSON-lines file per test under SISE_E2E_TRAFFIC_DIR (global-setup makes the folder;
 * global teardown scans it for broker secrets, e2e/secret-scan.ts). Request bodies are not recorded: a test that
 * types a secret into a form sends it on purpose, and only what comes back would be a leak.
 *
 * Every page of every context is covered: the default `context` and any context a test or fixture makes with
 * `browser.newContext()` / `browser.newPage()` (signed-in pages of other users, sign-in specs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Browser, type BrowserContext, type Page, type Response, type WebSocket } from '@playwright/test';

export const TRAFFIC_DIR_ENV = 'SISE_E2E_TRAFFIC_DIR';

/** One recorded item; `text` is what the browser got (or sent, for frames), as text. */
export type TrafficRecord =
  | { kind: 'http'; url: string; status: number; contentType: string; text: string }
  | { kind: 'ws'; url: string; direction: 'sent' | 'received'; text: string };

/** Build assets are immutable per build and the same for every page: recorded once per run, not per test. */
const IMMUTABLE_ASSET = /\/_next\/static\//;
/** Images and fonts are not where a leaked secret would be, and are large. */
const BINARY_TYPE = /^(image|font|audio|video)\//;

export class TrafficRecorder {
  private readonly records: TrafficRecord[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly contexts = new WeakSet<BrowserContext>();
  private readonly pages = new WeakSet<Page>();

  constructor(
    private readonly file: string,
    private readonly seenAssets: Set<string>,
  ) {}

  attachContext(context: BrowserContext): void {
    if (this.contexts.has(context)) return;
    this.contexts.add(context);
    for (const page of context.pages()) this.attachPage(page);
    context.on('page', (page) => this.attachPage(page));
  }

  private attachPage(page: Page): void {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    page.on('response', (response) => this.track(this.recordResponse(response)));
    page.on('websocket', (socket) => this.recordSocket(socket));
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async recordResponse(response: Response): Promise<void> {
    const url = response.url();
    const status = response.status();
    const contentType = response.headers()['content-type'] ?? '';
    // Redirects and empty answers have no body to read.
    if ((status >= 300 && status < 400) || status === 204 || BINARY_TYPE.test(contentType)) return;
    if (IMMUTABLE_ASSET.test(url)) {
      if (this.seenAssets.has(url)) return;
      this.seenAssets.add(url);
    }
    try {
      const body = await response.body();
      this.records.push({ kind: 'http', url, status, contentType, text: body.toString('utf8') });
    } catch {
      // The page or context closed before the body arrived (navigation away): nothing reached the page.
    }
  }

  private recordSocket(socket: WebSocket): void {
    const url = socket.url();
    const record = (direction: 'sent' | 'received') => (frame: { payload: string | Buffer }) => {
      const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
      this.records.push({ kind: 'ws', url, direction, text });
    };
    socket.on('framesent', record('sent'));
    socket.on('framereceived', record('received'));
  }

  /** Waits for bodies still being read, then writes the test's file. */
  async save(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, this.records.map((r) => JSON.stringify(r)).join('\n') + (this.records.length > 0 ? '\n' : ''));
  }
}

/** A file name from a test's title path: readable, and unique through the test id. */
function recordFile(dir: string, titlePath: string[], testId: string, retry: number): string {
  const slug = titlePath.join(' ').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 120);
  return path.join(dir, `${slug}-${testId}-${retry}.jsonl`);
}

/** Immutable assets already recorded in this worker (one worker per run, playwright.config.ts). */
const seenAssets = new Set<string>();

/** Playwright's `test` with traffic recording on for every test (an auto fixture); e2e/fixtures.ts builds on it. */
export const test = base.extend<{ trafficRecorder: TrafficRecorder }>({
  trafficRecorder: [
    async ({ browser }, use, testInfo) => {
      const dir = process.env[TRAFFIC_DIR_ENV];
      if (!dir) throw new Error(`${TRAFFIC_DIR_ENV} is not set: run the specs through \`npx playwright test\` (global-setup sets it)`);
      const recorder = new TrafficRecorder(recordFile(dir, testInfo.titlePath, testInfo.testId, testInfo.retry), seenAssets);
      // Contexts made during the test (other users' pages, sign-in specs) are recorded too; newPage() goes
      // through newContext().
      const originalNewContext = browser.newContext;
      const patched: Browser['newContext'] = async (...args) => {
        const context = await originalNewContext.apply(browser, args);
        recorder.attachContext(context);
        return context;
      };
      browser.newContext = patched;
      try {
        await use(recorder);
      } finally {
        browser.newContext = originalNewContext;
        await recorder.save();
      }
    },
    { auto: true },
  ],
  context: async ({ context, trafficRecorder }, use) => {
    trafficRecorder.attachContext(context);
    await use(context);
  },
});
