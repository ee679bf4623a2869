/**
 * The fan-out benchmark end to end at a tiny load: real server and client processes, both transports.
 * It proves the benchmark's plumbing and the relay's ordering guarantee, never its speed: no timing assertions.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFanoutBench, subscriptionPlan, type FanoutOptions, type FanoutReport } from './fanout';
import { renderTable } from './table';

/** Small enough for a busy 2-core CI box: 20 clients × 2 symbols, 750 events in 1.5 s per transport. */
const TINY: FanoutOptions = {
  clients: 20,
  symbols: 20,
  perClient: 2,
  rate: 500,
  seconds: 1,
  // Short, but through the same warm-up path as a real run.
  warmupS: 0.5,
  clientProcesses: 2,
  drainTimeoutS: 15,
  // A test must not wait for other tests to finish; the result is checked for correctness, not speed.
  quietWaitS: 0,
  cork: false,
};

/** Two server runs with process start-ups and a drain; generous because CI boxes are shared. */
const RUN_TIMEOUT_MS = 90_000;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('fanout benchmark', () => {
  it('spreads subscriptions so every symbol has viewers, evenly', () => {
    const plan = subscriptionPlan(500, 200, 10);
    const viewers = new Map<string, number>();
    for (const symbols of plan) {
      expect(new Set(symbols).size).toBe(10);
      for (const symbol of symbols) viewers.set(symbol, (viewers.get(symbol) ?? 0) + 1);
    }
    expect(viewers.size).toBe(200);
    expect(new Set(viewers.values())).toEqual(new Set([25]));
    expect(plan[0]![0]).toBe('KRX:900001');
  });

  it('renders one table as aligned text and as Markdown', () => {
    const table = renderTable(['', 'n'], [['a', '1'], ['bb', '22']]);
    expect(table.text.split('\n')).toEqual(['     n', '--  --', 'a    1', 'bb  22']);
    expect(table.markdown).toBe('|  | n |\n|:---|---:|\n| a | 1 |\n| bb | 22 |');
  });

  it(
    'delivers every event in order through the relay and bare ws, and writes the documented JSON',
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sise-fanout-'));
      dirs.push(dir);
      const lines: string[] = [];
      const { report, written } = await runFanoutBench(TINY, { resultsDir: dir, log: (line) => lines.push(line) });

      expect(report.runs.map((run) => run.transport)).toEqual(['socket.io', 'ws']);
      for (const run of report.runs) {
        expect(run.published.events, run.label).toBeGreaterThan(0);
        expect(run.warmupEvents, run.label).toBeGreaterThan(0);
        const viewersPerSymbol = (TINY.clients * TINY.perClient) / TINY.symbols;
        expect(run.expected, run.label).toBe((run.warmupEvents + run.published.events) * viewersPerSymbol);
        expect(run.lost, run.label).toBe(0);
        expect(run.outOfOrder, run.label).toBe(0);
        expect(run.gaps, run.label).toBe(0);
        expect(run.received, run.label).toBe(run.expected);
        expect(run.drained, run.label).toBe(true);
        expect(run.disconnects, run.label).toBe(0);
      }

      expect(path.basename(written.latest)).toBe('fanout-latest.json');
      expect(path.basename(written.file)).toMatch(/^fanout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.json$/);
      const json = JSON.parse(await readFile(written.latest, 'utf8')) as FanoutReport & Record<string, unknown>;
      expect(JSON.parse(await readFile(written.file, 'utf8'))).toEqual(json);
      expect(json).toMatchObject({ name: 'fanout', options: TINY });
      expect(json.machine).toEqual({
        cpuModel: expect.any(String),
        cpuCount: expect.any(Number),
        totalMemoryMB: expect.any(Number),
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        osRelease: expect.any(String),
      });
      for (const run of json.runs) {
        expect(run).toMatchObject({
          published: { events: expect.any(Number), perSecond: expect.any(Number), targetPerSecond: TINY.rate },
          deliveredPerSecond: expect.any(Number),
          latencyMs: { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
          lost: 0,
          outOfOrder: 0,
          serverRssMB: { peak: expect.any(Number), end: expect.any(Number) },
          cpu: { server: { elu: expect.any(Number) }, clientProcesses: expect.any(Array) },
        });
      }
      expect(json.ratio).toEqual({
        deliveredPerSecond: expect.any(Number),
        latencyP50: expect.any(Number),
        latencyP99: expect.any(Number),
        latencyMax: expect.any(Number),
      });
      expect(json.table.markdown.split('\n')).toHaveLength(5);
      expect(json.table.markdown).toContain('| Sise relay (Socket.IO) |');
      expect(json.machineLine).toContain(process.version);
      expect(lines.join('\n')).toContain(json.table.text);
    },
    RUN_TIMEOUT_MS,
  );
});
