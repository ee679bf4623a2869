/**
 * How busy this process was between two moments: event-loop utilization tells whether it was the one at its
 * limit; CPU percent tells how much of the machine's cores it took.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CpuWindow } from './fanout-protocol';

/** For a report asked for before any window started. */
export const NO_CPU_WINDOW: CpuWindow = { elu: 0, cpuPercent: 0, systemPercent: 0 };

export function startCpuWindow(): () => CpuWindow {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    const wallMs = Math.max(performance.now() - started, 1);
    return {
      elu: performance.eventLoopUtilization(elu).utilization,
      cpuPercent: ((used.user + used.system) / 1000 / wallMs) * 100,
      systemPercent: (used.system / 1000 / wallMs) * 100,
    };
  };
}

export interface MachineCpu {
  /** Every core's time running processes (user, nice, system, irq), in percent of one core: 2 full cores read 200. */
  busyPercent: number;
  /** Kernel network processing not charged to any process (softirq); on loopback this is the TCP work of both ends. */
  softirqPercent: number;
  /** Time the hypervisor gave this VM's cores to someone else. */
  stealPercent: number;
}

/** The whole machine's CPU between two moments, from /proc/stat on Linux (os.cpus() elsewhere, without softirq and steal). */
export function startMachineWindow(): () => MachineCpu {
  const before = cpuTimes();
  return () => {
    const after = cpuTimes();
    const total = after.total - before.total;
    const share = (pick: (t: CpuTimes) => number) => (total > 0 ? ((pick(after) - pick(before)) / total) * 100 * os.cpus().length : 0);
    return { busyPercent: share((t) => t.busy), softirqPercent: share((t) => t.softirq), stealPercent: share((t) => t.steal) };
  };
}

interface CpuTimes {
  busy: number;
  softirq: number;
  steal: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  try {
    // cpu  user nice system idle iowait irq softirq steal …
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    return { busy: user + nice + system + irq, softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    let busy = 0;
    let total = 0;
    for (const { times } of os.cpus()) {
      busy += times.user + times.nice + times.sys + times.irq;
      total += times.user + times.nice + times.sys + times.irq + times.idle;
    }
    return { busy, softirq: 0, steal: 0, total };
  }
}

export interface QuietWait {
  waitedMs: number;
  /** One-second looks taken; 1 means the machine was quiet at once. */
  looks: number;
  /** Busy share of the last one-second look, in percent of one core. */
  busyPercent: number;
  quiet: boolean;
}

/**
 * Waits until other processes leave the machine nearly idle for a one-second look, or `maxWaitMs` passes.
 * On a shared box (a CI runner, a dev VM where tests and builds come and go) this keeps other work from
 * being measured as the benchmark's own slowness.
 */
export async function waitForQuietMachine(maxBusyPercent: number, maxWaitMs: number): Promise<QuietWait> {
  const started = performance.now();
  for (let looks = 1; ; looks++) {
    const look = startMachineWindow();
    await new Promise((resolve) => setTimeout(resolve, QUIET_LOOK_MS));
    const cpu = look();
    const busyPercent = cpu.busyPercent + cpu.softirqPercent + cpu.stealPercent;
    const waitedMs = performance.now() - started;
    if (busyPercent <= maxBusyPercent) return { waitedMs, looks, busyPercent, quiet: true };
    if (waitedMs >= maxWaitMs) return { waitedMs, looks, busyPercent, quiet: false };
  }
}

/** Long enough to average over a build's bursts, short enough to start soon after it ends. */
const QUIET_LOOK_MS = 1_000;
