/**
 * The per-client rules of `/ws/execution` that the socket tests cannot steer: how long an account list is trusted,
 * that frames keep their order while the list is being read, and what a backed-up or unreadable client is told.
 * The socket is a recording stand-in with ws's `readyState`/`bufferedAmount`/`send`/`close`; the clock is a number.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { AccountSession } from '../brokers/account-session';
import { silentLogger } from '../logger';
import { ExecutionClient, type ExecutionFrame } from './execution-client';
import { CLOSE, MAX_BUFFERED_BYTES } from './sockets';

const OPEN = 1;
const CLOSING = 2;

function recordingSocket() {
  const socket = {
    readyState: OPEN,
    bufferedAmount: 0,
    sent: [] as string[],
    closedWith: null as { code: number; reason: string } | null,
    send(text: string) {
      socket.sent.push(text);
    },
    close(code: number, reason: string) {
      socket.readyState = CLOSING;
      socket.closedWith = { code, reason };
    },
  };
  return socket;
}

const session = (accountId: string) => ({ accountId }) as AccountSession;
const frame = (accountId: string, text: string): ExecutionFrame => ({ accountId, text });
/** Lets pending promise callbacks (the account-list read and the delivery after it) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** An account list the test changes, with every read counted; `hold` makes reads wait until `release`. */
function accountList(initial: string[]) {
  const state = { ids: initial, reads: 0, held: null as null | (() => void) };
  let gate: Promise<void> | null = null;
  return {
    state,
    hold() {
      gate = new Promise((resolve) => (state.held = resolve));
    },
    release() {
      state.held?.();
      gate = null;
    },
    accountsFor: async (): Promise<readonly AccountSession[]> => {
      state.reads += 1;
      const ids = state.ids;
      if (gate) await gate;
      return ids.map(session);
    },
  };
}

describe('ExecutionClient', () => {
  it('sends only the user\'s accounts and trusts the list for refreshMs, then reads it again', async () => {
    const socket = recordingSocket();
    const list = accountList(['kis:1']);
    let now = 1_000;
    const client = new ExecutionClient(socket as unknown as WebSocket, 'u1', { accountsFor: list.accountsFor, refreshMs: 2_000, logger: silentLogger, now: () => now });
    await settle();
    expect(list.state.reads).toBe(1);

    client.offer([frame('kis:1', 'a'), frame('kiwoom:2', 'b')]);
    expect(socket.sent).toEqual(['a']);

    // Shared now, but the list read at 1 000 is trusted until 3 000.
    list.state.ids = ['kis:1', 'kiwoom:2'];
    now = 2_999;
    client.offer([frame('kiwoom:2', 'c')]);
    expect(socket.sent).toEqual(['a']);
    expect(list.state.reads).toBe(1);

    now = 3_000;
    client.offer([frame('kiwoom:2', 'd')]);
    await settle();
    expect(list.state.reads).toBe(2);
    expect(socket.sent).toEqual(['a', 'd']);
  });

  it('keeps frames in order while the list is being read, deciding each with the fresh list', async () => {
    const socket = recordingSocket();
    const list = accountList(['kis:1']);
    let now = 0;
    const client = new ExecutionClient(socket as unknown as WebSocket, 'u1', { accountsFor: list.accountsFor, refreshMs: 1_000, logger: silentLogger, now: () => now });
    await settle();

    now = 5_000;
    list.state.ids = ['kis:1', 'bo:3'];
    list.hold();
    client.offer([frame('kis:1', '1')]);
    client.offer([frame('bo:3', '2'), frame('kiwoom:2', 'not-yours')]);
    // The old list allowed this one, but it must not overtake the two waiting for the new list.
    client.offer([frame('kis:1', '3')]);
    await settle();
    expect(socket.sent).toEqual([]);

    list.release();
    await settle();
    expect(socket.sent).toEqual(['1', '2', '3']);
    expect(list.state.reads).toBe(2);
  });

  it('closes a backed-up client with a reason instead of skipping its fills', async () => {
    const socket = recordingSocket();
    const list = accountList(['kis:1']);
    const client = new ExecutionClient(socket as unknown as WebSocket, 'u1', { accountsFor: list.accountsFor, refreshMs: 60_000, logger: silentLogger });
    await settle();
    client.offer([frame('kis:1', 'sent')]);
    socket.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    client.offer([frame('kis:1', 'would-be-skipped'), frame('kis:1', 'after-close')]);
    expect(socket.sent).toEqual(['sent']);
    expect(socket.closedWith).toEqual(CLOSE.backedUp);
    expect(Buffer.byteLength(CLOSE.backedUp.reason)).toBeLessThanOrEqual(123); // a close reason's limit (RFC 6455)
  });

  it('closes the socket when the account list cannot be read, rather than guessing', async () => {
    const socket = recordingSocket();
    const client = new ExecutionClient(socket as unknown as WebSocket, 'u1', {
      accountsFor: () => Promise.reject(new Error('store unreachable')),
      refreshMs: 1_000,
      logger: silentLogger,
    });
    client.offer([frame('kis:1', 'x')]);
    await settle();
    expect(socket.sent).toEqual([]);
    expect(socket.closedWith).toEqual(CLOSE.accessUnknown);
  });
});
