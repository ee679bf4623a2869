/**
 * `npm run bench -- kis`: how many KIS records per second one core turns into Sise events — batched plain
 * 체결가 frames, 62-field 호가 frames, and AES-encrypted 체결통보 — beside a bare `split('^')` of the same text in
 * the same run, the floor any parser of this format pays. Aim (issue 3): at least half of split's speed.
 *
 * Each workload is a pool of distinct frames (prices vary, so nothing is served from a cache), timed in
 * alternating rounds of ours and the floor; the table shows each side's median round, so a burst of load from
 * other processes on the shared machine hits both sides alike rather than one of them.
 */
import { decodeData, encodeDataFrame, parseServerMessage, recordsOf, type KisCipherKey } from '../server/brokers/kis/codec';
import { TR_HOGA, TR_NOTICE, TR_TICK } from '../server/brokers/kis/layouts';
import { hogaOf, noticeOf, tickOf } from '../server/brokers/kis/normalize';
import { KisOrderTracker } from '../server/brokers/kis/order-tracker';
import { startMachineWindow, waitForQuietMachine } from './cpu-window';
import { parseFlags, type FlagSpec } from './flags';
import { DEFAULT_RESULTS_DIR, machineInfo, machineLine, writeResults } from './results';
import type { Bench } from './run';
import { printTable } from './table';

const FLAGS = {
  seconds: { default: 3, min: 0.2, integer: false, description: 'measured seconds per workload, ours and the floor together' },
  rounds: { default: 10, min: 2, description: 'alternating rounds per workload (median reported)' },
  batch: { default: 12, min: 1, max: 999, description: 'records per H0STCNT0 frame (KIS sends 1 to tens at busy moments)' },
  warmup: { default: 0.5, min: 0, integer: false, description: 'seconds of unmeasured work per workload first (JIT)' },
  'quiet-wait': { default: 60, min: 0, description: 'wait up to this long for other processes to leave a core idle first; 0 to skip' },
} satisfies Record<string, FlagSpec>;

/**
 * The machine's busy share (percent of one core, all cores summed) allowed before measuring: this benchmark
 * uses one core, so one other core's worth of other work still leaves it a core of its own.
 */
const QUIET_BUSY_PERCENT = 100;
/** Busy share during a run above which the run shared its core with other work; the row is flagged. */
const CONTENDED_BUSY_PERCENT = 150;

/** Distinct frames per workload: enough that the pool does not sit in one cache line, few enough to build fast. */
const POOL_FRAMES = 256;
/** §10.7's key and iv; any 32/16 ASCII pair costs the same. */
const CIPHER: KisCipherKey = { key: 'abcdefghijklmnopqrstuvwxyzabcdef', iv: '0123456789abcdef' };
/** §10.2 record 1, a real-looking 46-field trade. */
const TICK_RECORD = '005930^090001^70000^2^500^0.72^69950.12^69800^70100^69700^70000^69900^10^120010^8394000000^310^402^92^104.52^58000^62010^1^51.67^1.05^090000^2^200^090000^5^-100^090000^2^300^20260605^20^N^1500^2300^250000^310000^0.00^98000^122.46^0^^69800'.split('^');
/** §10.3, the real 62-field capture. */
const HOGA_RECORD = '005930^145856^0^358500^359000^359500^360000^360500^361000^361500^362000^362500^363000^358000^357500^357000^356500^356000^355500^355000^354500^354000^353500^53949^91247^124706^311138^36136^50040^21635^48345^14697^44313^40154^39078^38644^26290^25867^9410^17975^5281^14389^10406^796206^227494^0^0^0^0^529267^-346500^5^-100.00^25970877^-979^95^0^0^0^358250^4^1'.split('^');
/** §10.7 vector B's layout (26 fields, Korean text). */
const NOTICE_RECORD = 'HTSUSER01^5012345601^0000012346^0000000000^02^0^00^0^005930^5^71000^093016^0^2^2^01234^5^홍길동^0^1^Y^^^^삼성전자^71000'.split('^');

interface Workload {
  name: string;
  recordsPerFrame: number;
  fieldsPerRecord: number;
  frames: string[];
  /** What split('^') runs over: the frame text, or the plaintext for encrypted frames (ciphertext has no `^`). */
  floorTexts: string[];
  /** decode + normalize one frame; returns a number so the work cannot be optimised away. */
  ours: (text: string) => number;
}

function workloads(batch: number): Workload[] {
  const recvTs = Date.UTC(2026, 5, 5, 0, 30);
  const tickFrames = Array.from({ length: POOL_FRAMES }, (_, f) =>
    encodeDataFrame(TR_TICK, Array.from({ length: batch }, (_, r) => TICK_RECORD.map((v, i) => (i === 2 ? String(69000 + ((f * batch + r) % 200) * 10) : i === 12 ? String(1 + r) : v)))),
  );
  const hogaFrames = Array.from({ length: POOL_FRAMES }, (_, f) =>
    encodeDataFrame(TR_HOGA, [0, 1].map((r) => HOGA_RECORD.map((v, i) => (i >= 23 && i < 43 ? String(Number(v) + f + r) : v)))),
  );
  const noticePlain = Array.from({ length: POOL_FRAMES }, (_, f) => NOTICE_RECORD.map((v, i) => (i === 2 ? String(10_000 + f).padStart(10, '0') : v)));
  const noticeFrames = noticePlain.map((r) => encodeDataFrame(TR_NOTICE, [r], CIPHER));
  const tracker = new KisOrderTracker();
  return [
    {
      name: `H0STCNT0 plain, ${batch} records/frame → tick`,
      recordsPerFrame: batch,
      fieldsPerRecord: 46,
      frames: tickFrames,
      floorTexts: tickFrames,
      ours: (text) => {
        const message = parseServerMessage(text);
        if (message.kind !== 'data') return 0;
        const frame = decodeData(message);
        let sum = 0;
        for (let i = 0; i < frame.count; i++) sum += tickOf(frame, i, recvTs).price;
        return sum;
      },
    },
    {
      name: 'H0STASP0 plain, 2 × 62 fields/frame → hoga',
      recordsPerFrame: 2,
      fieldsPerRecord: 62,
      frames: hogaFrames,
      floorTexts: hogaFrames,
      ours: (text) => {
        const message = parseServerMessage(text);
        if (message.kind !== 'data') return 0;
        const frame = decodeData(message);
        let sum = 0;
        for (let i = 0; i < frame.count; i++) sum += hogaOf(frame, i, recvTs).totalAskQty;
        return sum;
      },
    },
    {
      name: 'H0STCNI0 AES-256-CBC, 1 record/frame → order',
      recordsPerFrame: 1,
      fieldsPerRecord: 26,
      frames: noticeFrames,
      floorTexts: noticePlain.map((r) => r.join('^')),
      ours: (text) => {
        const message = parseServerMessage(text);
        if (message.kind !== 'data') return 0;
        const frame = decodeData(message, CIPHER);
        return tracker.apply(noticeOf(frame, 0, recvTs), recvTs).qty;
      },
    },
  ];
}

/** Runs `fn` over the pool for about `ms`; returns frames per second. */
function timeFor(ms: number, texts: string[], fn: (text: string) => number, sink: { value: number }): number {
  let frames = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < texts.length; i++) sink.value += fn(texts[i]!);
    frames += texts.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (frames / elapsed) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export const kisBench: Bench = {
  description: 'KIS codec: records/s through decode + normalize beside a bare split("^")',
  async run(argv) {
    const options = parseFlags(argv, FLAGS);
    const quiet = options['quiet-wait'] > 0 ? await waitForQuietMachine(QUIET_BUSY_PERCENT, options['quiet-wait'] * 1000) : null;
    if (quiet && !quiet.quiet) console.log(`machine still ${Math.round(quiet.busyPercent)} % busy after ${Math.round(quiet.waitedMs / 1000)} s; measuring anyway`);
    const sink = { value: 0 };
    const floor = (text: string) => text.split('^').length;
    const rows: string[][] = [];
    const results = [];
    for (const w of workloads(options.batch)) {
      // Sanity: the pool decodes to what was encoded, so the timing measures correct work.
      const first = parseServerMessage(w.frames[0]!);
      if (first.kind !== 'data' || recordsOf(decodeData(first, CIPHER)).length !== w.recordsPerFrame) throw new Error(`${w.name}: pool does not decode`);
      timeFor(options.warmup * 500, w.frames, w.ours, sink);
      timeFor(options.warmup * 500, w.floorTexts, floor, sink);
      const roundMs = (options.seconds * 1000) / options.rounds / 2;
      const machine = startMachineWindow();
      const oursRounds: number[] = [];
      const floorRounds: number[] = [];
      for (let r = 0; r < options.rounds; r++) {
        oursRounds.push(timeFor(roundMs, w.frames, w.ours, sink) * w.recordsPerFrame);
        floorRounds.push(timeFor(roundMs, w.floorTexts, floor, sink) * w.recordsPerFrame);
      }
      const busyPercent = Math.round(machine().busyPercent);
      const ours = median(oursRounds);
      const split = median(floorRounds);
      results.push({ workload: w.name, recordsPerFrame: w.recordsPerFrame, fieldsPerRecord: w.fieldsPerRecord, recordsPerSecond: Math.round(ours), splitRecordsPerSecond: Math.round(split), ratio: ours / split, machineBusyPercent: busyPercent, oursRounds, floorRounds });
      rows.push([w.name, fmt(ours), fmt(split), `${(ours / split).toFixed(2)}×`, fmt(ours * w.fieldsPerRecord), `${busyPercent}${busyPercent > CONTENDED_BUSY_PERCENT ? ' (contended)' : ''}`]);
    }
    const line = machineLine(machineInfo());
    console.log(`\nKIS codec, one core (${line})`);
    const table = printTable(['workload', 'records/s decode+normalize', "records/s split('^') floor", 'ours / split', 'fields/s', 'machine busy %'], rows);
    console.log('\nThe encrypted row\'s floor splits the decrypted plaintext: ciphertext has no "^" to split.');
    const written = await writeResults('kis', { options, quietWait: quiet, results, table, machineLine: line, checksum: sink.value % 1_000_000 }, DEFAULT_RESULTS_DIR);
    console.log(`\nwrote ${written.file}\n  and ${written.latest}`);
    return 0;
  },
};
