/**
 * One TCP connection speaking the venue's binary messages: a socket, a framer, and typed send. Shared by the
 * adapter's AES/OES sessions and the simulator's servers, so both sides frame bytes the same way.
 */
import net from 'node:net';
import { encode, type BoMessage } from './codec';
import { BoFramer, RECV, type FrameEvent } from './framer';

export interface BoConnectionHandlers {
  message(message: BoMessage, recvTs: number): void;
  /** A bad frame (INVALID_MSG_TYPE or PARSE). `fatal` means the byte stream lost its framing. */
  bad(event: Extract<FrameEvent, { code: 2 | 3 }>): void;
  close(hadError: boolean, error: Error | null): void;
}

export class BoConnection {
  private readonly framer = new BoFramer();
  private closed = false;
  private lastError: Error | null = null;
  /** Date.now() of the last byte received and the last message sent, for heartbeats and idle detection. */
  lastReceiveTs = Date.now();
  lastSendTs = Date.now();

  constructor(
    readonly socket: net.Socket,
    private readonly handlers: BoConnectionHandlers,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => {
      this.lastError = error;
    });
    socket.on('close', (hadError) => {
      this.closed = true;
      this.handlers.close(hadError, this.lastError);
    });
  }

  /** Connects to host:port; rejects with the socket error (ECONNREFUSED, timeout) in words. */
  static connect(host: string, port: number, handlers: BoConnectionHandlers, timeoutMs: number): Promise<BoConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new BoConnection(socket, handlers));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to ${host}:${port}: ${error.message}`));
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  send(message: BoMessage): void {
    this.sendRaw(encode(message));
  }

  sendRaw(bytes: Buffer): void {
    if (!this.isOpen) return;
    this.lastSendTs = Date.now();
    this.socket.write(bytes);
  }

  /** Sends what is queued, then closes. */
  end(): void {
    if (this.isOpen) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const recvTs = Date.now();
    this.lastReceiveTs = recvTs;
    for (const event of this.framer.push(chunk)) {
      if (this.closed) return;
      if (event.code === RECV.NO_ERROR) this.handlers.message(event.message, recvTs);
      else this.handlers.bad(event);
    }
  }
}
