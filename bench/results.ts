/**
 * Benchmark results on disk: one timestamped file per run, kept for history, and `<name>-latest.json`,
 * overwritten, which is what the README quotes. Every file says which machine produced it, because numbers
 * from a 2-core CI box and a laptop are not comparable.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `BENCH_RESULTS_DIR` sends trial runs elsewhere, so bench/results holds only runs worth keeping. */
export const DEFAULT_RESULTS_DIR = process.env.BENCH_RESULTS_DIR || path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemoryMB: number;
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
  };
}

/** e.g. `2 × Intel(R) Xeon(R) Processor, 23.5 GB RAM, Node v20.20.2, linux x64` */
export function machineLine(machine: MachineInfo): string {
  const gb = (machine.totalMemoryMB / 1024).toFixed(1);
  return `${machine.cpuCount} × ${machine.cpuModel}, ${gb} GB RAM, Node ${machine.node}, ${machine.platform} ${machine.arch}`;
}

export interface WrittenResults {
  file: string;
  latest: string;
}

/**
 * Writes `<dir>/<name>-<timestamp>.json` and `<dir>/<name>-latest.json`, both with `machine` added.
 * The timestamp is ISO 8601 with `:` replaced by `-`, because colons are not allowed in Windows file names.
 */
export async function writeResults(
  name: string,
  data: Record<string, unknown>,
  dir: string = DEFAULT_RESULTS_DIR,
): Promise<WrittenResults> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(':', '-');
  const body = `${JSON.stringify({ name, writtenAt: new Date().toISOString(), machine: machineInfo(), ...data }, null, 2)}\n`;
  const file = path.join(dir, `${name}-${stamp}.json`);
  const latest = path.join(dir, `${name}-latest.json`);
  await writeFile(file, body);
  await writeFile(latest, body);
  return { file, latest };
}
