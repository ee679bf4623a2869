/**
 * Benchmark child processes (servers, client fleets) spoken to over Node's IPC channel.
 * A benchmark must never leave processes behind: every child is killed when the parent exits for any reason,
 * and a child exits by itself when its parent's channel closes (the parent was SIGKILLed, or crashed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** After a polite `exit` message, how long a child gets to close its sockets before SIGKILL. */
const EXIT_GRACE_MS = 3_000;

interface Typed {
  type: string;
}

const live = new Set<ChildProcess>();
let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export class ChildExitedError extends Error {
  override name = 'ChildExitedError';
}

/** A TypeScript child started with `node --import tsx`, receiving `In` messages and sending `Out` messages. */
export class BenchChild<In extends Typed, Out extends Typed> {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly inbox: Out[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly listeners = new Map<string, Array<(message: Out) => void>>();
  private exitCode: number | null | undefined = undefined;

  constructor(
    readonly label: string,
    script: string,
    args: readonly string[] = [],
  ) {
    installHooks();
    // BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile per child (open in Chrome DevTools), to see where a
    // saturated server or client spends its time; NODE_OPTIONS refuses --cpu-prof, hence this variable.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    this.process = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(REPO_ROOT, script), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(this.process);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        live.delete(this.process);
        this.exitCode = code ?? (signal ? -1 : null);
        for (const wake of this.waiters) wake();
        resolve(code);
      });
    });
    this.process.on('message', (raw) => {
      const message = raw as Out;
      const handlers = this.listeners.get(message.type);
      if (handlers) {
        for (const handler of handlers) handler(message);
        return;
      }
      this.inbox.push(message);
      for (const wake of this.waiters) wake();
    });
  }

  send(message: In): void {
    if (this.process.connected) this.process.send(message);
  }

  /** Routes every message of `type` to `handler` instead of the inbox (for streams such as samples). */
  on<T extends Out['type']>(type: T, handler: (message: Extract<Out, { type: T }>) => void): void {
    const list = this.listeners.get(type) ?? [];
    list.push(handler as (message: Out) => void);
    this.listeners.set(type, list);
  }

  /**
   * The next message of `type`. Rejects when the child reports `{ type: 'error' }`, exits, or stays silent for
   * `timeoutMs`, naming `what` it was waiting for.
   */
  next<T extends Out['type']>(type: T, timeoutMs: number, what: string): Promise<Extract<Out, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
        if (index !== -1) {
          const message = this.inbox.splice(index, 1)[0]!;
          done();
          if (message.type === 'error') {
            reject(new Error(`${this.label}: ${(message as unknown as { message: string }).message}`));
          } else resolve(message as Extract<Out, { type: T }>);
          return;
        }
        if (this.exitCode !== undefined) {
          done();
          reject(new ChildExitedError(`${this.label} exited (code ${this.exitCode}) while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Asks the child to exit, then kills it if it has not within the grace period. */
  async stop(exitMessage: In): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.send(exitMessage);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.exitCode === undefined) this.process.kill('SIGKILL');
  }
}

/** The child's side: typed send, and exit when the parent goes away. */
export function parentChannel<In extends Typed, Out extends Typed>(onMessage: (message: In) => void): (message: Out) => void {
  if (!process.send) throw new Error('this script is a benchmark child: start it through `npm run bench`');
  process.on('message', (raw) => onMessage(raw as In));
  // The parent died or dropped us: nobody will read our results, and nobody else will stop us.
  process.on('disconnect', () => process.exit(0));
  return (message: Out) => {
    if (process.connected) process.send!(message);
  };
}
