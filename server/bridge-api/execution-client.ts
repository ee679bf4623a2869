/**
 * One `/ws/execution` client: it receives the chejan frames of the accounts its token's user may see, in the
 * order the relay passed them on, and nothing else.
 *
 * The user's account list (owned and shared) is read on connect and then trusted for `refreshMs`; a frame that
 * arrives after that waits, with every frame behind it, until the list is read again. So a newly shared account
 * starts flowing without a reconnect, an unshared one stops within `refreshMs`, and no frame overtakes another.
 * A list that cannot be read closes the socket with a reason (1011) rather than guessing either way.
 */
import type { WebSocket } from 'ws';
import type { AccountSession } from '../brokers/account-session';
import type { Logger } from '../logger';
import { CLOSE, closeWith, sendOrClose } from './sockets';

/**
 * How long a client's account list is trusted. A share granted or withdrawn on the account page reaches a
 * running tool within this time, and a burst of fills costs one access query per client per window rather than
 * one per frame. Two seconds is below the time it takes a person to switch from the page to the tool.
 */
export const ACCOUNT_REFRESH_MS = 2_000;

export interface ExecutionFrame {
  accountId: string;
  /** Encoded once for all clients. */
  text: string;
}

export interface ExecutionClientDeps {
  accountsFor(userId: string): Promise<readonly AccountSession[]>;
  /** 0 reads the list again for every batch of frames (tests that share an account mid-stream use it). */
  refreshMs: number;
  logger: Logger;
  now?: () => number;
}

export class ExecutionClient {
  private visible: ReadonlySet<string> = new Set();
  private readAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: ExecutionFrame[] = [];
  private draining = false;
  private readonly now: () => number;

  constructor(
    readonly ws: WebSocket,
    readonly userId: string,
    private readonly deps: ExecutionClientDeps,
  ) {
    this.now = deps.now ?? Date.now;
    // Read the list now, so the first fill is not held back by the query.
    this.drain();
  }

  offer(frames: readonly ExecutionFrame[]): void {
    if (frames.length === 0) return;
    if (!this.draining && this.listIsFresh()) {
      for (const frame of frames) this.deliver(frame);
      return;
    }
    this.waiting.push(...frames);
    this.drain();
  }

  private listIsFresh(): boolean {
    return this.now() - this.readAt < this.deps.refreshMs;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    void this.run().finally(() => {
      this.draining = false;
    });
  }

  private async run(): Promise<void> {
    do {
      if (!this.listIsFresh()) {
        const startedAt = this.now();
        try {
          const accounts = await this.deps.accountsFor(this.userId);
          this.visible = new Set(accounts.map((account) => account.accountId));
          this.readAt = startedAt;
        } catch (error) {
          this.deps.logger.error({ err: String(error), userId: this.userId }, 'bridge execution socket: account list unreadable');
          this.waiting.length = 0;
          return closeWith(this.ws, CLOSE.accessUnknown);
        }
      }
      for (const frame of this.waiting.splice(0)) this.deliver(frame);
    } while (this.waiting.length > 0);
  }

  private deliver(frame: ExecutionFrame): void {
    if (this.visible.has(frame.accountId)) sendOrClose(this.ws, frame.text);
  }
}
