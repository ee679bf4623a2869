/**
 * `npm run bench -- bo`: how many BO venue messages per second one core encodes, and decodes through the
 * streaming framer, with the message mix an order-entry session actually sees (orders and their replies in
 * the 250-byte `T` layout, risk rows, heartbeats, the occasional logon).
 *
 * Decoding is measured on one pre-encoded byte stream cut into TCP-read-sized chunks: 4096 bytes (the Python
 * library's recv size), 1448 (one Ethernet TCP segment), and 61 (a prime, so nearly every message straddles
 * two reads and the framer's reassembly path is what is measured). Each row runs for `--ms` per round and
 * reports the median of `--rounds` rounds, after one unmeasured warm-up round so V8 has compiled the hot paths.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, encode, type BoMessage } from '../server/brokers/bo/codec';
import { BoFramer, RECV } from '../server/brokers/bo/framer';
import { parseFlags, type FlagSpec } from './flags';
import { machineInfo, machineLine, writeResults } from './results';
import type { Bench } from './run';
import { printTable } from './table';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'server', 'brokers', 'bo', 'fixtures');

const BO_FLAGS = {
  ms: { default: 1000, min: 50, description: 'milliseconds per measured round' },
  rounds: { default: 5, min: 1, max: 50, description: 'measured rounds per row (the median is reported)' },
} satisfies Record<string, FlagSpec>;

/**
 * A session's traffic, weighted: per logon, many orders; per order an ack and one or two fills; risk rows and
 * heartbeats in between. The reference's own vectors, so every layout in the mix is a CONFIRMED one.
 */
const MIX: ReadonlyArray<readonly [fixture: string, weight: number]> = [
  ['v14-order-new-250', 6],
  ['v15-order-ack-250', 6],
  ['v16-order-new-238', 1],
  ['v11-risk-user-symbol', 2],
  ['v10-risk-update-request', 1],
  ['v12-open-order-request', 1],
  ['v09-instrument-74', 1],
  ['inferred-heartbeat', 2],
  ['v02-logon-readme-dump2', 1],
];

/** Messages in the pre-encoded decode stream: ~100 k messages, ~16 MB, large enough that caches do not flatter it. */
const STREAM_MESSAGES = 100_000;

function fixture(name: string): Buffer {
  return Buffer.from(readFileSync(path.join(FIXTURES, `${name}.hex`), 'utf8').trim(), 'hex');
}

interface Row {
  what: string;
  messagesPerSec: number;
  mbPerSec: number;
  nsPerMessage: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `round` repeatedly for `ms`, returning messages and bytes per second; `round` returns [messages, bytes]. */
function measure(ms: number, rounds: number, round: () => readonly [number, number]): { messagesPerSec: number; bytesPerSec: number } {
  const run = () => {
    const deadline = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
    const started = process.hrtime.bigint();
    let messages = 0;
    let bytes = 0;
    let now = started;
    while (now < deadline) {
      const [m, b] = round();
      messages += m;
      bytes += b;
      now = process.hrtime.bigint();
    }
    const seconds = Number(now - started) / 1e9;
    return { messagesPerSec: messages / seconds, bytesPerSec: bytes / seconds };
  };
  run(); // warm-up
  const results = Array.from({ length: rounds }, run);
  return { messagesPerSec: median(results.map((r) => r.messagesPerSec)), bytesPerSec: median(results.map((r) => r.bytesPerSec)) };
}

function row(what: string, result: { messagesPerSec: number; bytesPerSec: number }): Row {
  return { what, messagesPerSec: result.messagesPerSec, mbPerSec: result.bytesPerSec / 1e6, nsPerMessage: 1e9 / result.messagesPerSec };
}

async function runBoBench(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, BO_FLAGS);
  // One-core numbers shrink when other processes share the cores; the 1-minute load average says how busy it was.
  const loadBefore = os.loadavg()[0]!;
  const weighted: BoMessage[] = MIX.flatMap(([name, weight]) => Array.from({ length: weight }, () => decode(fixture(name))));
  const weightedBytes = weighted.reduce((sum, m) => sum + encode(m).length, 0);
  const transaction = decode(fixture('v14-order-new-250'));
  const logon = decode(fixture('v02-logon-readme-dump2'));

  // A batch per call keeps the clock reads out of the measured cost.
  const ENCODE_BATCH = 100;
  const results: Row[] = [];
  console.log(`encode: ${flags.rounds} × ${flags.ms} ms per row …`);
  results.push(row('encode T (250 B)', measure(flags.ms, flags.rounds, () => {
    for (let i = 0; i < ENCODE_BATCH; i++) encode(transaction);
    return [ENCODE_BATCH, ENCODE_BATCH * 250];
  })));
  results.push(row('encode H logon (143 B)', measure(flags.ms, flags.rounds, () => {
    for (let i = 0; i < ENCODE_BATCH; i++) encode(logon);
    return [ENCODE_BATCH, ENCODE_BATCH * 143];
  })));
  results.push(row(`encode session mix (${weighted.length} msgs, avg ${Math.round(weightedBytes / weighted.length)} B)`, measure(flags.ms, flags.rounds, () => {
    for (const message of weighted) encode(message);
    return [weighted.length, weightedBytes];
  })));

  const encodedMix = weighted.map((m) => encode(m));
  const stream = Buffer.concat(Array.from({ length: Math.ceil(STREAM_MESSAGES / encodedMix.length) }, () => encodedMix).flat());
  const streamMessages = Math.ceil(STREAM_MESSAGES / encodedMix.length) * encodedMix.length;
  console.log(`decode + framing: ${streamMessages.toLocaleString('en-US')} messages, ${(stream.length / 1e6).toFixed(1)} MB per pass …`);
  for (const chunkSize of [4096, 1448, 61]) {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < stream.length; offset += chunkSize) chunks.push(stream.subarray(offset, offset + chunkSize));
    results.push(row(`decode + framing, ${chunkSize} B reads`, measure(flags.ms, flags.rounds, () => {
      const framer = new BoFramer();
      let count = 0;
      for (const chunk of chunks) {
        for (const event of framer.push(chunk)) if (event.code === RECV.NO_ERROR) count++;
      }
      if (count !== streamMessages) throw new Error(`framer returned ${count} of ${streamMessages} messages`);
      return [count, stream.length];
    })));
  }

  const table = printTable(
    ['path', 'messages/s', 'MB/s', 'ns/message'],
    results.map((r) => [r.what, Math.round(r.messagesPerSec).toLocaleString('en-US'), r.mbPerSec.toFixed(1), r.nsPerMessage.toFixed(0)]),
  );
  const machine = machineLine(machineInfo());
  const loadAverage = { before: loadBefore, after: os.loadavg()[0]! };
  console.log(`\nmedian of ${flags.rounds} rounds × ${flags.ms} ms, one core, ${machine}; load average ${loadAverage.before.toFixed(1)} → ${loadAverage.after.toFixed(1)}`);
  const written = await writeResults('bo', { options: flags, results, table, machineLine: machine, loadAverage });
  console.log(`results: ${written.file}`);
  return 0;
}

export const boBench: Bench = {
  description: 'BO venue codec: messages/s through encode, and through decode + streaming framing at three TCP read sizes',
  run: runBoBench,
};
