/**
 * `npm run bench -- fanout`: how many market events per second the relay delivers to many browsers, how late,
 * and whether any are lost or reordered, against a bare `ws` server doing the same job.
 *
 * One server process (the real Relay, or the bare-ws baseline) publishes full ticks round-robin over the
 * symbols at `--rate`; client processes hold `--clients` connections, each watching `--per-client` symbols
 * spread so every symbol has viewers. Publishing starts only after every subscribe is acknowledged; after it
 * stops, clients wait until every expected event arrived (or the drain timeout), then report.
 */
import { parseFlags, type FlagSpec } from './flags';
import { LatencyHistogram } from './latency-histogram';
import type { PaceResult } from './fanout-feed';
import { benchSymbols, MAX_BENCH_SYMBOLS, preciseNow } from './fanout-feed';
import {
  FANOUT_TRANSPORTS,
  type ClientStats,
  type CpuWindow,
  type FanoutTransport,
  type FromClients,
  type FromServer,
  type LoadSample,
  type LoopDelay,
  type ToClients,
  type ToServer,
} from './fanout-protocol';
import { startMachineWindow, waitForQuietMachine, type MachineCpu, type QuietWait } from './cpu-window';
import { BenchChild } from './processes';
import { DEFAULT_RESULTS_DIR, machineInfo, machineLine, writeResults, type WrittenResults } from './results';
import type { Bench } from './run';
import { printTable } from './table';

/**
 * Client processes sharing the clients. Measured on 2 cores (bench/README.md): one process cannot parse what the
 * server sends (its event loop is 99–100 % busy, so latencies include its own queueing); with two, the clients
 * keep about a quarter of their time idle and only the server saturates, so the numbers describe the server;
 * a third only adds contention for the two cores and lowers every number.
 */
export const CLIENT_PROCESSES = 2;
/**
 * Publishing before the measured run. A cold server stalls its event loop for 20–130 ms at a time during its
 * first half second (V8 compiling the hot paths; measured with a lag trace), none after; 2 s leaves margin.
 */
export const WARMUP_S = 2;
/** How long clients may take to receive what was published before the missing events count as lost. */
export const DRAIN_TIMEOUT_S = 30;
/** Starting a child is a `node --import tsx` cold start, about a second on 2 cores; 20 s means it is stuck. */
const SPAWN_TIMEOUT_MS = 20_000;
/** 500 connections and subscribes take about 2 s on 2 cores; a minute means something is wrong. */
const SETUP_TIMEOUT_MS = 60_000;
/** On top of --seconds, for IPC and a publisher held up by a stalled event loop. */
const PUBLISH_SLACK_MS = 15_000;
/** On top of the drain deadline, for a client process whose event loop is behind to send its report. */
const REPORT_SLACK_MS = 15_000;
/** Above this event-loop utilization a process had no idle time left: it is the one limiting throughput. */
const SATURATED_ELU = 0.9;
/** Total CPU above this share of all cores means the machine itself, not one process, was the limit. */
const SATURATED_MACHINE_SHARE = 0.9;

/**
 * CPU taken by other processes (or by other VMs, as steal) during a run above which the run is flagged as
 * disturbed. Not lower: the benchmark's own processes are measured over slightly different windows, which
 * leaves ~10 % of noise.
 */
const OTHER_LOAD_NOTE_PERCENT = 25;

/**
 * Before each run, wait until the whole machine is below this busy share (percent of one core): an idle Linux
 * VM shows a few percent, a test run or a build 50–200 %.
 */
const QUIET_BUSY_PERCENT = 15;
/** Give up waiting for quiet after this long and run anyway (flagged in the notes): the run must end. */
export const QUIET_WAIT_S = 120;

/** A busy evening for one server node: a trading community's concurrent dashboard tabs and bots. */
const DEFAULT_CLIENTS = 500;
/** Roughly the KRX names that trade actively at any moment: a market's worth, not one watchlist's. */
const DEFAULT_SYMBOLS = 200;
/** A watchlist page shows about ten live rows. */
const DEFAULT_PER_CLIENT = 10;
/** The order of the whole KRX trade rate in its busiest minutes (the 09:00 open): the rate the relay must carry. */
const DEFAULT_RATE = 10_000;
/** Long enough to average JIT warm-up and GC pauses in, short enough to repeat a run often. */
const DEFAULT_SECONDS = 10;
/** A publish rate under this share of the asked rate is called out in the notes: the server could not keep up. */
const PUBLISH_SHORTFALL_SHARE = 0.95;

export const FANOUT_FLAGS = {
  clients: { default: DEFAULT_CLIENTS, min: 1, description: 'client connections' },
  symbols: { default: DEFAULT_SYMBOLS, min: 1, max: MAX_BENCH_SYMBOLS, description: 'synthetic KRX symbols published' },
  'per-client': { default: DEFAULT_PER_CLIENT, min: 1, description: 'symbols each client subscribes to' },
  rate: { default: DEFAULT_RATE, min: 1, description: 'events/s published in total' },
  seconds: { default: DEFAULT_SECONDS, min: 0.1, integer: false, description: 'publish duration' },
  warmup: { default: WARMUP_S, min: 0, integer: false, description: 'seconds of unmeasured publishing first (0: none)' },
  'client-procs': { default: CLIENT_PROCESSES, min: 1, description: 'processes sharing the clients' },
  'drain-timeout': { default: DRAIN_TIMEOUT_S, min: 1, description: 'seconds to wait for delivery after publishing' },
  cork: { default: 0, min: 0, max: 1, description: 'experiment: 1 corks each bare-ws client socket per event-loop turn, as the relay always does' },
  'quiet-wait': { default: QUIET_WAIT_S, min: 0, description: 'seconds to wait for an idle machine before each run (0: do not wait)' },
} satisfies Record<string, FlagSpec>;

export interface FanoutOptions {
  clients: number;
  symbols: number;
  perClient: number;
  rate: number;
  seconds: number;
  /** Seconds of publishing before the measured run, at the same rate; checked for loss and order, not timed. */
  warmupS: number;
  clientProcesses: number;
  drainTimeoutS: number;
  quietWaitS: number;
  /** The write-coalescing experiment (see fanout-server.ts); off for the published numbers. */
  cork: boolean;
}

export interface FanoutRun {
  transport: FanoutTransport;
  label: string;
  published: {
    events: number;
    targetEvents: number;
    perSecond: number;
    targetPerSecond: number;
    durationMs: number;
    maxTimerLagMs: number;
  };
  /** Events published during the warm-up (not in `published`). */
  warmupEvents: number;
  /**
   * Client receipts the warm-up and the measured run called for: Σ over symbols of ticks × viewers. This and the
   * loss and order counts below cover both runs; the rates, latencies and the drain only the measured run.
   */
  expected: number;
  received: number;
  /** expected − in-order receipts, after the drain. */
  lost: number;
  /** Missing seq numbers seen as jumps while receiving. */
  gaps: number;
  /** Receipts whose seq was not above the previous one for that symbol on that client. */
  outOfOrder: number;
  /** Every expected event arrived before the drain timeout. */
  drained: boolean;
  /** From the last publish to the last receipt. */
  drainMs: number;
  /** Client receipts ÷ (publish duration + drain). */
  deliveredPerSecond: number;
  latencyMs: { p50: number | null; p99: number | null; max: number | null; mean: number | null };
  serverRssMB: { beforePublish: number; peak: number; end: number };
  /**
   * Messages and bytes waiting in the server's user-space queues, sampled every 100 ms. The kernel's socket
   * buffers (several MB per loopback connection) are not visible here.
   */
  serverQueue: { peakMessages: number; peakMB: number };
  serverLoopDelayMs: LoopDelay;
  /**
   * CPU in percent of one core. `machine` is the whole box over the run; `othersPercent` is what other
   * processes took (approximate: the benchmark's processes are measured over slightly different windows).
   */
  cpu: { server: CpuWindow; clientProcesses: CpuWindow[]; machine: MachineCpu; othersPercent: number };
  disconnects: number;
  disconnectReasons: string[];
  /** What limited this run, from event-loop utilization; null when nothing was saturated. */
  bottleneck: string | null;
  /** The wait for an idle machine before the run; null with --quiet-wait 0. */
  quietBeforeRun: QuietWait | null;
}

export interface FanoutReport {
  options: FanoutOptions;
  runs: FanoutRun[];
  /** Socket.IO ÷ ws for throughput, ws ÷ Socket.IO for latency: below 1 means Socket.IO is behind. */
  ratio: { deliveredPerSecond: number | null; latencyP50: number | null; latencyP99: number | null; latencyMax: number | null };
  table: { markdown: string; text: string };
  machineLine: string;
  notes: string[];
}

const RATIO_LEGEND = 'ratio: delivered/s is Socket.IO ÷ ws, latencies are ws ÷ Socket.IO; below 1× means Socket.IO is behind.';

const LABELS: Record<FanoutTransport, string> = { 'socket.io': 'Sise relay (Socket.IO)', ws: 'bare ws' };

/** Which symbols client `i` watches: consecutive runs wrapping around, so viewers per symbol differ by at most 1. */
export function subscriptionPlan(clients: number, symbols: number, perClient: number): string[][] {
  const names = benchSymbols(symbols);
  return Array.from({ length: clients }, (_, i) => Array.from({ length: perClient }, (_, k) => names[(i * perClient + k) % symbols]!));
}

function validate(options: FanoutOptions): void {
  if (options.perClient > options.symbols) throw new Error(`--per-client ${options.perClient} exceeds --symbols ${options.symbols}`);
  if (options.clients * options.perClient < options.symbols) {
    throw new Error(`${options.clients} clients × ${options.perClient} symbols cannot give each of ${options.symbols} symbols a viewer`);
  }
  if (options.symbols > MAX_BENCH_SYMBOLS) throw new Error(`--symbols above ${MAX_BENCH_SYMBOLS} would leave the 9xxxxx code range`);
}

function split<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, p) => items.slice(p * size, (p + 1) * size)).filter((part) => part.length > 0);
}

async function runTransport(transport: FanoutTransport, options: FanoutOptions, log: (line: string) => void): Promise<FanoutRun> {
  let quiet: QuietWait | null = null;
  if (options.quietWaitS > 0) {
    quiet = await waitForQuietMachine(QUIET_BUSY_PERCENT, options.quietWaitS * 1000);
    if (!quiet.quiet) log(`${LABELS[transport]}: the machine is still ${quiet.busyPercent.toFixed(0)} % busy after ${options.quietWaitS} s; running anyway`);
    else if (quiet.looks > 1) log(`${LABELS[transport]}: waited ${(quiet.waitedMs / 1000).toFixed(0)} s for other processes to go quiet`);
  }
  const server = new BenchChild<ToServer, FromServer>(`${transport} server`, 'bench/fanout-server.ts', [
    transport,
    String(options.symbols),
    ...(options.cork ? ['cork'] : []),
  ]);
  const samples: LoadSample[] = [];
  server.on('sample', (message) => samples.push(message.sample));
  const fleets: Array<BenchChild<ToClients, FromClients>> = [];
  try {
    const { url } = await server.next('ready', SPAWN_TIMEOUT_MS, 'the server to listen');
    const plan = split(subscriptionPlan(options.clients, options.symbols, options.perClient), options.clientProcesses);
    plan.forEach((_, p) => {
      fleets.push(new BenchChild<ToClients, FromClients>(`${transport} clients #${p + 1}`, 'bench/fanout-client.ts', [transport]));
    });
    await Promise.all(fleets.map((fleet) => fleet.next('ready', SPAWN_TIMEOUT_MS, 'the client process to start')));

    const setupStarted = performance.now();
    fleets.forEach((fleet, p) => fleet.send({ type: 'connect', url, clients: plan[p]! }));
    const subscribed = await Promise.all(fleets.map((fleet) => fleet.next('subscribed', SETUP_TIMEOUT_MS, 'connects and subscribe acks')));
    const failures = subscribed.flatMap((s) => s.failures);
    if (failures.length > 0) throw new Error(`${failures.length} clients failed to subscribe, e.g. ${failures[0]}`);
    log(
      `${LABELS[transport]}: ${options.clients} clients in ${fleets.length} process(es) subscribed in ` +
        `${((performance.now() - setupStarted) / 1000).toFixed(1)} s; publishing ${options.rate} ev/s, ` +
        `${options.warmupS > 0 ? `${options.warmupS} s warm-up, then ` : ''}${options.seconds} s measured`,
    );

    let subscribedSymbols: number | null = null;
    let warmupEvents = 0;
    if (options.warmupS > 0) {
      const warm = await publishAndDrain(server, fleets, options, options.warmupS);
      subscribedSymbols = warm.subscribedSymbols;
      warmupEvents = warm.run.events;
    }

    const machine = startMachineWindow();
    for (const fleet of fleets) fleet.send({ type: 'measure-start' });
    const publishAt = samples.length;
    const { run, stats, ...published } = await publishAndDrain(server, fleets, options, options.seconds);
    subscribedSymbols ??= published.subscribedSymbols;
    if (subscribedSymbols !== options.symbols) {
      throw new Error(`only ${subscribedSymbols} of ${options.symbols} symbols were subscribed upstream when publishing began`);
    }
    server.send({ type: 'stats' });
    const serverStats = await server.next('stats', REPORT_SLACK_MS, 'server stats');
    const summary = summarize(transport, options, run, samples, publishAt, stats, serverStats.cpu, machine());
    return { ...summary, serverLoopDelayMs: serverStats.loopDelayMs, warmupEvents, quietBeforeRun: quiet };
  } finally {
    await Promise.all([...fleets.map((fleet) => fleet.stop({ type: 'exit' })), server.stop({ type: 'exit' })]);
  }
}

/** One publish run of `seconds`, then the wait until every client has what was published (or the drain timeout). */
async function publishAndDrain(
  server: BenchChild<ToServer, FromServer>,
  fleets: ReadonlyArray<BenchChild<ToClients, FromClients>>,
  options: FanoutOptions,
  seconds: number,
): Promise<{ run: PaceResult; stats: ClientStats[]; subscribedSymbols: number }> {
  server.send({ type: 'publish', rate: options.rate, seconds });
  const published = await server.next('published', seconds * 1000 + PUBLISH_SLACK_MS, 'the publish run');
  const run = published.run;
  const deadline = run.endedAt + options.drainTimeoutS * 1000;
  for (const fleet of fleets) fleet.send({ type: 'expect', perSymbol: published.perSymbol, deadline });
  const waitMs = Math.max(0, deadline - preciseNow()) + REPORT_SLACK_MS;
  const stats: ClientStats[] = (await Promise.all(fleets.map((fleet) => fleet.next('stats', waitMs, 'the drain and client stats')))).map(
    (message) => message.stats,
  );
  return { run, stats, subscribedSymbols: published.subscribedSymbols };
}

function summarize(
  transport: FanoutTransport,
  options: FanoutOptions,
  run: PaceResult,
  samples: readonly LoadSample[],
  publishAt: number,
  stats: readonly ClientStats[],
  serverCpu: CpuWindow,
  machineCpu: MachineCpu,
): Omit<FanoutRun, 'serverLoopDelayMs' | 'warmupEvents' | 'quietBeforeRun'> {
  const sum = (pick: (s: ClientStats) => number) => stats.reduce((total, s) => total + pick(s), 0);
  const latency = new LatencyHistogram();
  for (const s of stats) latency.merge(s.latency);
  const measuredReceived = sum((s) => s.measuredReceived);
  const lastReceipt = Math.max(run.endedAt, ...stats.map((s) => s.lastReceiptAt ?? 0));
  const during = samples.slice(Math.max(0, publishAt - 1));
  const last = samples.at(-1);

  const clientCpu = stats.map((s) => s.cpu);
  const busy: string[] = [];
  clientCpu.forEach((cpu, p) => {
    if (cpu.elu >= SATURATED_ELU) busy.push(`client process #${p + 1} (event loop ${(cpu.elu * 100).toFixed(0)} % busy)`);
  });
  if (serverCpu.elu >= SATURATED_ELU) busy.push(`server (event loop ${(serverCpu.elu * 100).toFixed(0)} % busy)`);
  const ownCpu = serverCpu.cpuPercent + clientCpu.reduce((total, cpu) => total + cpu.cpuPercent, 0);
  const cores = machineInfo().cpuCount;
  const machineBusy = machineCpu.busyPercent + machineCpu.softirqPercent + machineCpu.stealPercent;
  if (machineBusy >= cores * 100 * SATURATED_MACHINE_SHARE) {
    busy.push(
      `the machine (${machineBusy.toFixed(0)} % of ${cores * 100} %: this benchmark's processes ${ownCpu.toFixed(0)} %, ` +
        `kernel network softirq ${machineCpu.softirqPercent.toFixed(0)} %, hypervisor steal ${machineCpu.stealPercent.toFixed(0)} %)`,
    );
  }

  return {
    transport,
    label: options.cork && transport === 'ws' ? `${LABELS[transport]}, corked` : LABELS[transport],
    published: {
      events: run.events,
      targetEvents: run.targetEvents,
      perSecond: run.achievedRate,
      targetPerSecond: options.rate,
      durationMs: run.endedAt - run.startedAt,
      maxTimerLagMs: run.maxTimerLagMs,
    },
    expected: sum((s) => s.expected),
    received: sum((s) => s.received),
    lost: sum((s) => s.lost),
    gaps: sum((s) => s.gaps),
    outOfOrder: sum((s) => s.outOfOrder),
    drained: stats.every((s) => s.drained),
    drainMs: lastReceipt - run.endedAt,
    deliveredPerSecond: measuredReceived / (Math.max(lastReceipt - run.startedAt, 1) / 1000),
    latencyMs: { p50: latency.percentile(50), p99: latency.percentile(99), max: latency.count > 0 ? latency.maxMs : null, mean: latency.mean() },
    serverRssMB: {
      beforePublish: samples[Math.max(0, publishAt - 1)]?.rssMB ?? 0,
      peak: Math.max(0, ...during.map((s) => s.rssMB)),
      end: last?.rssMB ?? 0,
    },
    serverQueue: {
      peakMessages: Math.max(0, ...during.map((s) => s.queuedMessages)),
      peakMB: Math.max(0, ...during.map((s) => s.queuedBytes)) / 2 ** 20,
    },
    cpu: { server: serverCpu, clientProcesses: clientCpu, machine: machineCpu, othersPercent: Math.max(0, machineCpu.busyPercent - ownCpu) },
    disconnects: sum((s) => s.disconnects),
    disconnectReasons: [...new Set(stats.flatMap((s) => s.disconnectReasons))],
    bottleneck: busy.length > 0 ? busy.join('; ') : null,
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | null) => (n === null ? '–' : n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : int(n));
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const times = (r: number | null) => (r === null ? '–' : `${r.toFixed(2)}×`);

function buildTable(runs: readonly FanoutRun[], ratios: FanoutReport['ratio'], askedRate: number) {
  const headers = ['', `published/s (of ${int(askedRate)})`, 'delivered/s', 'p50 ms', 'p99 ms', 'max ms', 'lost', 'out-of-order', 'drain ms', 'server RSS peak/end MB', 'CPU % server/clients'];
  const rows = runs.map((r) => [
    r.label,
    int(r.published.perSecond),
    int(r.deliveredPerSecond),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p99),
    ms(r.latencyMs.max),
    int(r.lost),
    int(r.outOfOrder),
    int(r.drainMs),
    `${int(r.serverRssMB.peak)} / ${int(r.serverRssMB.end)}`,
    `${int(r.cpu.server.cpuPercent)} / ${r.cpu.clientProcesses.map((c) => int(c.cpuPercent)).join('+')}`,
  ]);
  if (runs.length === 2) {
    rows.push([
      'ratio',
      '',
      times(ratios.deliveredPerSecond),
      times(ratios.latencyP50),
      times(ratios.latencyP99),
      times(ratios.latencyMax),
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  return { headers, rows };
}

function notesFor(runs: readonly FanoutRun[], options: FanoutOptions): string[] {
  const notes: string[] = [];
  for (const r of runs) {
    const name = r.label;
    if (r.published.perSecond < options.rate * PUBLISH_SHORTFALL_SHARE) {
      notes.push(`${name}: published ${int(r.published.perSecond)}/s of ${int(options.rate)}/s asked (publisher timer held up to ${ms(r.published.maxTimerLagMs)} ms).`);
    }
    if (!r.drained) notes.push(`${name}: ${int(r.lost)} of ${int(r.expected)} events had not arrived ${options.drainTimeoutS} s after publishing stopped.`);
    if (r.disconnects > 0) notes.push(`${name}: ${r.disconnects} clients were disconnected during the run (${r.disconnectReasons.join(', ')}).`);
    if (r.quietBeforeRun && !r.quietBeforeRun.quiet) {
      notes.push(`${name}: started on a busy machine (${int(r.quietBeforeRun.busyPercent)} % of a core used by others).`);
    }
    if (r.cpu.othersPercent >= OTHER_LOAD_NOTE_PERCENT) {
      notes.push(`${name}: other processes took about ${int(r.cpu.othersPercent)} % of a core during the run; its numbers are disturbed.`);
    }
    if (r.cpu.machine.stealPercent >= OTHER_LOAD_NOTE_PERCENT) {
      notes.push(`${name}: the hypervisor gave ${int(r.cpu.machine.stealPercent)} % of a core to other VMs (steal); its numbers are disturbed.`);
    }
    if (r.bottleneck) notes.push(`${name}: saturated: ${r.bottleneck}.`);
    if (r.serverQueue.peakMessages > 0 || r.serverQueue.peakMB >= 1) {
      notes.push(`${name}: server-side queues peaked at ${int(r.serverQueue.peakMessages)} messages in write buffers and ${r.serverQueue.peakMB.toFixed(1)} MB in socket buffers.`);
    }
  }
  return notes;
}

export interface FanoutBenchOutput {
  report: FanoutReport;
  written: WrittenResults;
}

/** Runs both transports, prints the table, writes the results; the CLI and the test both go through here. */
export async function runFanoutBench(
  options: FanoutOptions,
  { resultsDir = DEFAULT_RESULTS_DIR, log = (line: string) => console.log(line) }: { resultsDir?: string; log?: (line: string) => void } = {},
): Promise<FanoutBenchOutput> {
  validate(options);
  const startedAt = new Date().toISOString();
  const runs: FanoutRun[] = [];
  for (const transport of FANOUT_TRANSPORTS) runs.push(await runTransport(transport, options, log));
  const [sio, ws] = runs;
  const ratios: FanoutReport['ratio'] = {
    deliveredPerSecond: ratio(sio?.deliveredPerSecond ?? null, ws?.deliveredPerSecond ?? null),
    latencyP50: ratio(ws?.latencyMs.p50 ?? null, sio?.latencyMs.p50 ?? null),
    latencyP99: ratio(ws?.latencyMs.p99 ?? null, sio?.latencyMs.p99 ?? null),
    latencyMax: ratio(ws?.latencyMs.max ?? null, sio?.latencyMs.max ?? null),
  };
  const { headers, rows } = buildTable(runs, ratios, options.rate);
  log('');
  const table = printTable(headers, rows, { print: log });
  if (runs.length === 2) log(RATIO_LEGEND);
  const line = machineLine(machineInfo());
  const notes = notesFor(runs, options);
  log(
    `\n${options.clients} clients × ${options.perClient} symbols of ${options.symbols}, ${int(options.rate)} ev/s for ` +
      `${options.seconds} s after ${options.warmupS} s warm-up; ${line}`,
  );
  for (const note of notes) log(`note: ${note}`);
  const report: FanoutReport = { options, runs, ratio: ratios, table, machineLine: line, notes };
  const written = await writeResults('fanout', { startedAt, ...report }, resultsDir);
  log(`results: ${written.file}`);
  return { report, written };
}

export const fanoutBench: Bench = {
  description: 'relay fan-out: Socket.IO relay vs bare ws, events/s, latency, loss',
  async run(argv) {
    const flags = parseFlags(argv, FANOUT_FLAGS);
    await runFanoutBench({
      clients: flags.clients,
      symbols: flags.symbols,
      perClient: flags['per-client'],
      rate: flags.rate,
      seconds: flags.seconds,
      warmupS: flags.warmup,
      clientProcesses: flags['client-procs'],
      drainTimeoutS: flags['drain-timeout'],
      quietWaitS: flags['quiet-wait'],
      cork: flags.cork === 1,
    });
    return 0;
  },
};
