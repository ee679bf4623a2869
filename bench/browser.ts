/**
 * `npm run bench -- browser`: the pages under a hard load in headless Chromium. The grid with 12 symbols, each
 * ticking (a trade and a book) at 20 Hz, for 30 s: frames per second, frames that missed their slot, long tasks
 * over 50 ms, and the JS heap at start and end. The same for one chart page (candles, book, tape) at 20 Hz,
 * which is the page a recharts-or-canvas decision rests on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import type { Market, SymbolId } from '../lib/contracts';
import { loadConfig } from '../server/config';
import { silentLogger } from '../server/logger';
import { startSiseServer } from '../server/sise-server';
import { parseFlags, type FlagSpec } from './flags';
import { MetronomeFeed } from './metronome-feed';
import { machineLine, machineInfo, writeResults } from './results';
import type { Bench } from './run';
import { renderTable } from './table';

const BENCH_ADMIN = { email: 'bench@sise.test', password: 'bench-password-1' } as const;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
/** The grid's 12 cells: big KRX names and the busiest Upbit markets, as a trader would fill it. */
const GRID_SYMBOLS: SymbolId[] = [
  'KRX:005930', 'KRX:000660', 'KRX:035420', 'KRX:005380', 'KRX:035720', 'KRX:373220',
  'UPBIT:KRW-BTC', 'UPBIT:KRW-ETH', 'UPBIT:KRW-XRP', 'UPBIT:KRW-SOL', 'KRX:068270', 'KRX:105560',
];
/** A display's refresh period at 60 Hz; a frame more than 1.5 periods after the last one missed its slot. */
const FRAME_MS = 1_000 / 60;
const MISSED_FRAME_FACTOR = 1.5;
/** Chromium reports main-thread tasks over 50 ms as long tasks; that is the budget the issue names. */
const LONG_TASK_MS = 50;
/** Pages get this long to show every symbol's first price before measuring starts. */
const READY_TIMEOUT_MS = 30_000;

const BROWSER_FLAGS = {
  seconds: { default: 30, min: 1, max: 600, description: 'measured seconds per page' },
  hz: { default: 20, min: 1, max: 200, description: 'ticks (and books) per second per symbol' },
  symbols: { default: 12, min: 1, max: 12, description: 'symbols on the grid' },
} satisfies Record<string, FlagSpec>;

interface PageResult {
  page: string;
  symbols: number;
  hz: number;
  seconds: number;
  fps: number;
  missedFrames: number;
  worstFrameMs: number;
  longTasks: number;
  longestTaskMs: number;
  heapStartMB: number;
  heapEndMB: number;
  /** Ticks the page's symbols received during the measurement (each with a hoga beside it). */
  ticksPublished: number;
}

/** Runs in the page: counts frames and long tasks until asked for the totals. */
const PAGE_PROBE = `(() => {
  const probe = { frames: 0, missed: 0, worst: 0, longTasks: 0, longest: 0, last: performance.now() };
  const tick = (now) => {
    const gap = now - probe.last;
    probe.last = now;
    probe.frames++;
    if (gap > ${FRAME_MS * MISSED_FRAME_FACTOR}) probe.missed++;
    if (gap > probe.worst) probe.worst = gap;
    probe.raf = requestAnimationFrame(tick);
  };
  probe.raf = requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration > ${LONG_TASK_MS}) { probe.longTasks++; probe.longest = Math.max(probe.longest, entry.duration); }
    }
  }).observe({ type: 'longtask' });
  window.__siseProbe = probe;
})()`;

async function measure(browser: Browser, url: string, label: string, symbols: readonly SymbolId[], seconds: number, hz: number, feed: MetronomeFeed, readyTestId: string): Promise<PageResult> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'ko-KR' });
  // Signed in as a user would be, so the page runs with its whole header (feed status, nav) and an authenticated socket.
  const signedIn = await context.request.post(new URL('/api/auth/login', url).href, { data: BENCH_ADMIN });
  if (!signedIn.ok()) throw new Error(`bench sign-in failed: HTTP ${signedIn.status()}`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapMB = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
  };

  await page.goto(url);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await page.getByTestId(readyTestId).evaluateAll((nodes) => nodes.filter((n) => !n.textContent?.startsWith('—')).length);
    if (ready >= symbols.length) break;
    if (Date.now() > deadline) throw new Error(`${label}: only ${ready} of ${symbols.length} symbols showed a price in ${READY_TIMEOUT_MS} ms`);
    await page.waitForTimeout(200);
  }
  const heapStartMB = await heapMB();
  const publishedBefore = feed.ticksFor(symbols);
  await page.evaluate(PAGE_PROBE);
  await page.waitForTimeout(seconds * 1_000);
  const probe = (await page.evaluate('window.__siseProbe')) as { frames: number; missed: number; worst: number; longTasks: number; longest: number };
  const ticksPublished = feed.ticksFor(symbols) - publishedBefore;
  const heapEndMB = await heapMB();
  await context.close();
  return {
    page: label,
    symbols: symbols.length,
    hz,
    seconds,
    fps: probe.frames / seconds,
    missedFrames: probe.missed,
    worstFrameMs: probe.worst,
    longTasks: probe.longTasks,
    longestTaskMs: probe.longest,
    heapStartMB,
    heapEndMB,
    ticksPublished,
  };
}

async function runBrowserBench(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, BROWSER_FLAGS);
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return 1;

  let metronome: MetronomeFeed | null = null;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-bench-browser-'));
  const server = await startSiseServer({
    config: loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SISE_ADMIN_EMAIL: BENCH_ADMIN.email, SISE_ADMIN_PASSWORD: BENCH_ADMIN.password }),
    logger: silentLogger,
    web: true,
    dir: ROOT,
    feeds: (engine) => {
      metronome = new MetronomeFeed(engine, flags.hz);
      const markets: Market[] = ['KRX', 'UPBIT'];
      return { feeds: [metronome], preference: new Map(markets.map((m) => [m, [metronome!]])) };
    },
  });
  const browser = await chromium.launch(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS } : { args: CHROMIUM_ARGS });
  try {
    const grid = GRID_SYMBOLS.slice(0, flags.symbols);
    console.log(`grid: ${grid.length} symbols × ${flags.hz} Hz for ${flags.seconds} s …`);
    const gridResult = await measure(browser, `${server.url}/grid?s=${grid.join(',')}`, `grid, ${grid.length} symbols`, grid, flags.seconds, flags.hz, metronome!, 'grid-price');
    console.log(`chart page: 1 symbol × ${flags.hz} Hz for ${flags.seconds} s …`);
    const chartResult = await measure(browser, `${server.url}/charts/KRX:005930`, 'chart page, 1 symbol', ['KRX:005930'], flags.seconds, flags.hz, metronome!, 'last-price');

    const results = [gridResult, chartResult];
    const table = renderTable(
      ['page', 'ticks/s in', 'fps', 'missed frames', 'worst frame ms', 'long tasks >50 ms', 'longest ms', 'JS heap start → end MB'],
      results.map((r) => [
        r.page,
        Math.round(r.ticksPublished / r.seconds).toLocaleString('en-US'),
        r.fps.toFixed(1),
        String(r.missedFrames),
        r.worstFrameMs.toFixed(0),
        String(r.longTasks),
        r.longestTaskMs.toFixed(0),
        `${r.heapStartMB.toFixed(1)} → ${r.heapEndMB.toFixed(1)}`,
      ]),
    );
    const machine = machineLine(machineInfo());
    console.log(`\n${table.text}\n\n${flags.seconds} s per page, headless Chromium (${existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : "Playwright's"}, software rendering), ${machine}`);
    const written = await writeResults('browser', { options: flags, results, table, machineLine: machine });
    console.log(`results: ${written.file}`);
    return 0;
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const browserBench: Bench = {
  description: 'the grid (12 symbols × 20 Hz) and a chart page in headless Chromium: fps, long tasks, JS heap',
  run: runBrowserBench,
};
