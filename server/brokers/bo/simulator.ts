/**
 * A loopback fake of the venue: an AES (logon, hands out the OES address and a key) and an OES (orders),
 * speaking the binary protocol of bo-binary.md over real TCP, in two modes:
 *
 *  - `example`: what the library's example servers do (§4.4), byte for byte. The AES answers every read event
 *    with one fixed logon-OK (V3; only the OES port differs, since ours is picked by the OS); the OES keeps one
 *    state for the whole process: its first read event gets the logon-OK V4, every later one the fixed
 *    ORDER_ACK V15. Nothing is validated, no sequence numbers, no heartbeats.
 *  - `venue`: the documented behaviour. Logons are checked (LogonType, account, user, TwoFA = HOTP of the API
 *    key, the AES key at the OES) and refused with LoginStatus 2 and a §5 reason, then closed. Orders are
 *    validated, matched against the shared MarketEngine's `BO:` instruments (owner = `bo:<account>`), and
 *    answered with ORDER_ACK, REJECT (+ reason), QUOTE_FILL[_PARTIAL] for immediate fills, EXECUTION[_PARTIAL]
 *    for fills of resting orders, CANCELLED and REPLACED. `Y` → one `Q` per instrument, `w` → one `N` per
 *    instrument, `f` → one `h`, `E` → one ORDER_STATUS `T` per working order. INFERRED rules (§4.3, §9), each
 *    documented where applied: client MsgSeqNum must rise by 1 per message on a connection (else 52);
 *    heartbeats both ways after `heartbeatMs` idle, a test request answered with a heartbeat, the session
 *    closed after twice that of silence. Replies for an account with no OES session (dropped) are queued and
 *    sent right after its next logon, so the venue never loses a fill.
 */
import net from 'node:net';
import type { MarketEngine } from '../../market/market-engine';
import type { PaperOrder, PaperOrderUpdate } from '../../market/engine-types';
import { boListings } from '../../market/bo-universe';
import type { SymbolId } from '../../../lib/contracts';
import { BoConnection } from './bo-connection';
import {
  encode,
  nsFromMs,
  type BoMessage,
  type CollateralRequestMessage,
  type InstrumentMessage,
  type InstrumentRequestMessage,
  type LogonMessage,
  type OpenOrderRequestMessage,
  type RiskUpdateRequestMessage,
  type RiskUserSymbolMessage,
  type TransactionMessage,
} from './codec';
import { LOGIN_STATUS, LOGON_TYPE, ORDER_TYPE, REJECT, REQUEST_TYPE, RESPONSE_TYPE, SIDE, SYMBOL_TYPE, TIF, TX } from './enums';
import { hotp } from './hotp';
import { SimLedger } from './sim-ledger';

/** The simulator's credentials, used by the factory when no BO_* variables are set. */
export const SIM_API_KEY = 'sise-bo-sim';
export const SIM_USER = 'SISE';
/** The account design.md names (`bo:100700`), also the README's second dump. */
export const SIM_ACCOUNT = 100_700;
/** The library's TradingSessionID constant (README dumps). */
export const TRADING_SESSION_ID = 506;
/** §9 proposes 30 s of idle before a heartbeat. */
export const SIM_HEARTBEAT_MS = 30_000;
/** OpenOrderRequestLimit reported in `N` and enforced: the reference's example value (§11 V11). */
export const SIM_OPEN_ORDER_LIMIT = 1000;
/** MinSize and MaxSize of every instrument: the reference's `Q` example (§11 V9). */
const MIN_SIZE = 0.00001;
const MAX_SIZE = 1000;
/** `h` CollateralData MessageType in the vendor's JSON list (§5, INFERRED for binary). */
const COLLATERAL_DATA_MESSAGE_TYPE = 31;
/** Heartbeat checks per interval: a late heartbeat or a silent client is noticed within a quarter of it. */
const HEARTBEAT_CHECKS_PER_INTERVAL = 4;
/** Slack when checking that a price or size is a whole number of increments: float noise, not a real offset. */
const INCREMENT_EPSILON = 1e-6;
/** Replies waiting for a dropped account to log on again; far above any test or demo, a guard against leaks. */
const MAX_QUEUED_REPLIES = 10_000;

/** The example servers' fixed values (§4.4, V3/V4/V15). */
const EXAMPLE = {
  account: 100_700,
  twoFA: '1F6A',
  userName: 'BOU7',
  lastSeqNum: 1_500_201,
  key: 432_451,
  ackKey: 42_341,
} as const;

export type BoSimMode = 'example' | 'venue';

export interface BoSimulatorOptions {
  mode: BoSimMode;
  /** Required in venue mode: the market the OES matches against. */
  engine?: MarketEngine | null;
  apiKey?: string;
  userName?: string;
  account?: number;
  /** Venue mode: idle time before a heartbeat; 0 turns heartbeats and the silence check off. */
  heartbeatMs?: number;
  openOrderLimit?: number;
}

export interface BoSimulatorAddresses {
  /** `127.0.0.1:<port>`, what BO_AES_ADDR would hold. */
  aesAddr: string;
  oesAddr: string;
}

interface InstrumentInfo {
  symbolEnum: number;
  name: string;
  symbol: SymbolId;
  priceIncrement: number;
}

interface OrderRecord {
  clientId: bigint;
  engineId: string | null;
  symbolEnum: number;
  symbolName: string;
  side: number;
  orderType: number;
  tif: number;
  price: number;
  qty: number;
  /** Set on the order a CANCEL_REPLACE created: its ack is REPLACED, naming the order it replaced. */
  replaces: bigint;
  /** Set on the order a CANCEL_REPLACE took away: its engine cancel is not reported as CANCELLED. */
  replaced: boolean;
}

interface OesSession {
  conn: BoConnection;
  loggedOn: boolean;
  key: number;
  account: AccountState | null;
  nextSeq: number;
  /** INFERRED §4.3: the next client MsgSeqNum this connection must carry; null until the first one is seen. */
  expectedClientSeq: number | null;
}

interface AccountState {
  account: number;
  owner: string;
  ledger: SimLedger;
  orders: Map<bigint, OrderRecord>;
  byEngineId: Map<string, OrderRecord>;
  session: OesSession | null;
  queue: TransactionMessage[];
}

type Reply = Omit<TransactionMessage, 'msgSeqNum' | 'key'>;

export class BoSimulator {
  readonly mode: BoSimMode;
  private readonly engine: MarketEngine | null;
  private readonly apiKey: string;
  private readonly userName: string;
  private readonly accountNumber: number;
  private readonly heartbeatMs: number;
  private readonly openOrderLimit: number;
  private aesServer: net.Server | null = null;
  private oesServer: net.Server | null = null;
  private oesAddr = '';
  private readonly sockets = new Set<net.Socket>();
  private readonly sessions = new Set<OesSession>();
  private readonly aesKeys = new Set<number>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly instruments = new Map<number, InstrumentInfo>();
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private placing: { record: OrderRecord; account: AccountState } | null = null;
  private execCounter = 0n;
  /** Example mode: the OES's process-global state (§4.4, §10.12). */
  private exampleOesState: 'send_logon_reply' | 'send_order_reply' = 'send_logon_reply';
  private readonly onEngineOrder = (update: PaperOrderUpdate) => this.engineOrder(update);

  /** Fault switches for tests: refuse every logon with this reason; ignore everything received. */
  faults = { refuseLogonReason: 0, silent: false };
  /** Counters a test can read: logons accepted at the OES. */
  oesLogons = 0;

  constructor(options: BoSimulatorOptions) {
    this.mode = options.mode;
    this.engine = options.engine ?? null;
    if (this.mode === 'venue' && !this.engine) throw new Error('the BO simulator in venue mode needs a market engine');
    this.apiKey = options.apiKey ?? SIM_API_KEY;
    this.userName = options.userName ?? SIM_USER;
    this.accountNumber = options.account ?? SIM_ACCOUNT;
    this.heartbeatMs = options.heartbeatMs ?? (this.mode === 'venue' ? SIM_HEARTBEAT_MS : 0);
    this.openOrderLimit = options.openOrderLimit ?? SIM_OPEN_ORDER_LIMIT;
  }

  get accountId(): string {
    return `bo:${this.accountNumber}`;
  }

  async start(): Promise<BoSimulatorAddresses> {
    if (this.engine) {
      const listed = new Map(boListings().map((listing) => [listing.instrument.symbol, listing.symbolEnum]));
      for (const instrument of this.engine.instruments()) {
        const symbolEnum = listed.get(instrument.symbol);
        const state = this.engine.state(instrument.symbol);
        if (symbolEnum === undefined || !state) continue;
        this.instruments.set(symbolEnum, {
          symbolEnum,
          name: instrument.code,
          symbol: instrument.symbol,
          priceIncrement: state.tickSizeAt(instrument.prevClose),
        });
      }
      this.engine.on('order', this.onEngineOrder);
    }
    this.oesServer = await this.listen((socket) => (this.mode === 'example' ? this.exampleOes(socket) : this.venueOes(socket)));
    this.oesAddr = addressOf(this.oesServer);
    this.aesServer = await this.listen((socket) => (this.mode === 'example' ? this.exampleAes(socket) : this.venueAes(socket)));
    if (this.heartbeatMs > 0) {
      this.heartbeatTimer = setInterval(() => this.checkHeartbeats(), Math.max(1, Math.floor(this.heartbeatMs / HEARTBEAT_CHECKS_PER_INTERVAL)));
      this.heartbeatTimer.unref();
    }
    return { aesAddr: addressOf(this.aesServer), oesAddr: this.oesAddr };
  }

  async stop(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    this.engine?.off('order', this.onEngineOrder);
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([this.aesServer, this.oesServer].map((server) => (server ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined)));
    this.aesServer = null;
    this.oesServer = null;
  }

  /** Fault: cut every OES connection from the venue's side, as a network failure would. */
  dropOes(): void {
    for (const session of this.sessions) session.conn.destroy();
  }

  /** Fault: a frame whose type char no layout has (`Z`, 8 bytes) on every OES connection. */
  sendMalformed(): void {
    for (const session of this.sessions) session.conn.sendRaw(Buffer.from('5A00080000000000', 'hex'));
  }

  /** Working orders the venue holds for the simulator's account (for tests). */
  openOrderIds(): bigint[] {
    const account = this.accounts.get(this.accountId);
    if (!account || !this.engine) return [];
    return this.engine
      .openOrders(account.owner)
      .map((order) => account.byEngineId.get(order.orderId)?.clientId)
      .filter((id): id is bigint => id !== undefined);
  }

  private listen(onSocket: (socket: net.Socket) => void): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        onSocket(socket);
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
  }

  // ---- example mode (§4.4) -------------------------------------------------------------------------------

  /**
   * Every read event, whatever it holds, gets the same 143-byte logon-OK:
   *   48 00 8F 00 01 00 5C 89 01 00 31 46 36 41 00 00 42 4F 55 37 00 00 FA 01 00 00 31 32 37 2E … (V3)
   */
  private exampleAes(socket: net.Socket): void {
    socket.on('data', () => {
      socket.write(encode(this.exampleLogonReply(this.oesAddr)));
    });
  }

  /**
   * First read event of the process: logon-OK V4. Every later one, on any connection: the fixed ORDER_ACK
   *   54 00 FA 00 0E 00 00 00 5C 89 01 00 17 9A CA 02 00 00 00 00 … 65 A5 00 00 … (V15)
   */
  private exampleOes(socket: net.Socket): void {
    socket.on('data', () => {
      if (this.exampleOesState === 'send_logon_reply') {
        this.exampleOesState = 'send_order_reply';
        socket.write(encode(this.exampleLogonReply('1')));
      } else {
        socket.write(encode(EXAMPLE_ACK));
      }
    });
  }

  private exampleLogonReply(primaryOrderEntryIp: string): LogonMessage {
    return {
      type: 'H',
      logonType: LOGON_TYPE.LOGIN,
      account: EXAMPLE.account,
      twoFA: EXAMPLE.twoFA,
      userName: EXAMPLE.userName,
      tradingSessionId: TRADING_SESSION_ID,
      primaryOrderEntryIp,
      secondaryOrderEntryIp: '1',
      primaryMarketDataIp: '1',
      secondaryMarketDataIp: '1',
      sendingTime: 0n,
      lastSeqNum: EXAMPLE.lastSeqNum,
      key: EXAMPLE.key,
      loginStatus: LOGIN_STATUS.SUCCESS,
      rejectReason: 0,
      riskMaster: '',
    };
  }

  // ---- venue mode: AES -----------------------------------------------------------------------------------

  private venueAes(socket: net.Socket): void {
    const conn: BoConnection = new BoConnection(socket, {
      /**
       * Client logon at the AES, 143 bytes:
       *   48 00 8F 00 01 00 5C 89 01 00 <TwoFA 6> <UserName 6> FA 01 00 00 31 00… ×4 <SendingTime 8> <LastSeqNum 4> 00 00 00 00 …
       */
      message: (message) => {
        if (this.faults.silent) return;
        if (message.type !== 'H') {
          // Anything but a logon at the access server: the vendor's answer to a malformed session is a close.
          conn.destroy();
          return;
        }
        const reason = this.faults.refuseLogonReason || this.checkCredentials(message);
        if (reason !== 0) {
          conn.send(this.logonReply(message, LOGIN_STATUS.FAILURE, reason, 0, ''));
          conn.end();
          return;
        }
        const key = randomKey();
        this.aesKeys.add(key);
        conn.send(this.logonReply(message, LOGIN_STATUS.SUCCESS, 0, key, this.oesAddr));
      },
      bad: () => conn.destroy(),
      close: () => undefined,
    });
  }

  private checkCredentials(message: LogonMessage): number {
    if (message.logonType !== LOGON_TYPE.LOGIN) return REJECT.INVALID_LOGON_TYPE;
    if (message.account !== this.accountNumber) return REJECT.ACCOUNT_NOT_FOUND;
    if (message.userName !== this.userName) return REJECT.USER_NOT_FOUND;
    if (message.twoFA !== hotp(this.apiKey)) return REJECT.INVALID_KEY;
    return 0;
  }

  private logonReply(request: LogonMessage, status: number, reason: number, key: number, oesAddr: string): LogonMessage {
    return {
      ...request,
      twoFA: '',
      primaryOrderEntryIp: oesAddr,
      // No secondary OES: the field stays empty rather than the clients' dummy "1", so nobody tries to parse it.
      secondaryOrderEntryIp: '',
      primaryMarketDataIp: '',
      secondaryMarketDataIp: '',
      sendingTime: nsFromMs(Date.now()),
      key,
      loginStatus: status,
      rejectReason: reason,
    };
  }

  // ---- venue mode: OES -----------------------------------------------------------------------------------

  private venueOes(socket: net.Socket): void {
    const session: OesSession = {
      conn: null as unknown as BoConnection,
      loggedOn: false,
      key: 0,
      account: null,
      nextSeq: 1,
      expectedClientSeq: null,
    };
    session.conn = new BoConnection(socket, {
      message: (message) => {
        if (!this.faults.silent) this.oesMessage(session, message);
      },
      bad: (event) => {
        // A frame we cannot read: say so (INFERRED '3' reject, MSG_TYPE_INVALID), and drop a stream that lost framing.
        if (session.loggedOn) this.sessionReject(session, String.fromCharCode(event.raw[0] ?? 0x3f), REJECT.MSG_TYPE_INVALID, 0);
        if (event.fatal) session.conn.destroy();
      },
      close: () => {
        this.sessions.delete(session);
        if (session.account?.session === session) session.account.session = null;
      },
    });
    this.sessions.add(session);
  }

  private oesMessage(session: OesSession, message: BoMessage): void {
    if (!session.loggedOn) {
      if (message.type !== 'H') {
        session.conn.destroy();
        return;
      }
      this.oesLogon(session, message);
      return;
    }
    if (!this.checkSequence(session, message)) return;
    switch (message.type) {
      case 'H':
        // Logout (LogonType 2): the venue does not answer, it closes (§4.1 step 6).
        session.conn.end();
        return;
      case '0':
        return;
      case '1':
        /** Test request, 28 bytes: 31 00 1C 00 00 00 00 00 5C 89 01 00 FA 01 00 00 <SendingTime 8> <MsgSeqNum 4> */
        session.conn.send({ type: '0', messageType: 0, padding: 0, account: session.account!.account, tradingSessionId: TRADING_SESSION_ID, sendingTime: nsFromMs(Date.now()), msgSeqNum: session.nextSeq++ });
        return;
      case 'Y':
        this.instrumentRequest(session, message);
        return;
      case 'w':
        this.riskRequest(session, message);
        return;
      case 'f':
        this.collateralRequest(session, message);
        return;
      case 'E':
        this.openOrderRequest(session, message);
        return;
      case 'T':
        this.transaction(session, message);
        return;
      default:
        // Server-to-client messages (Q, N, h, '3') have no meaning here.
        this.sessionReject(session, message.type, REJECT.MSG_TYPE_INVALID, 0);
    }
  }

  /**
   * OES logon, 143 bytes, Key = the AES key (V5):
   *   48 00 8F 00 01 00 … 29 E4 16 00 43 99 06 00 00 00 00 00 00
   */
  private oesLogon(session: OesSession, message: LogonMessage): void {
    let reason = this.faults.refuseLogonReason || this.checkCredentials(message);
    if (reason === 0 && !this.aesKeys.has(message.key)) reason = REJECT.KEY_INVALID;
    const account = this.accountState(message.account);
    if (reason === 0 && account.session && account.session.conn.isOpen) reason = REJECT.USER_ALREADY_LOGGED_IN;
    if (reason !== 0) {
      session.conn.send(this.logonReply(message, LOGIN_STATUS.FAILURE, reason, 0, ''));
      session.conn.end();
      return;
    }
    this.aesKeys.delete(message.key);
    session.loggedOn = true;
    session.key = randomKey();
    session.account = account;
    account.session = session;
    this.oesLogons++;
    session.conn.send({ ...this.logonReply(message, LOGIN_STATUS.SUCCESS, 0, session.key, ''), primaryOrderEntryIp: '' });
    // Replies the account missed while it had no session, in the order they happened.
    const missed = account.queue.splice(0);
    for (const reply of missed) this.deliver(account, reply);
  }

  /** INFERRED §4.3: +1 per message per connection; a gap or repeat is refused with MSG_SEQ_NUM_INVALID. */
  private checkSequence(session: OesSession, message: BoMessage): boolean {
    const seq = 'msgSeqNum' in message ? Number(message.msgSeqNum) : null;
    if (seq === null) return true;
    if (session.expectedClientSeq !== null && seq !== session.expectedClientSeq) {
      if (message.type === 'T') this.rejectTransaction(session, message, REJECT.MSG_SEQ_NUM_INVALID);
      else this.sessionReject(session, message.type, REJECT.MSG_SEQ_NUM_INVALID, seq);
      return false;
    }
    session.expectedClientSeq = seq + 1;
    return true;
  }

  /** INFERRED §9 session reject, 32 bytes: 33 00 20 00 0C 00 <RefMsgType> 00 <Reason 2> 00 00 <Account> … */
  private sessionReject(session: OesSession, refMsgType: string, reason: number, refSeq: number): void {
    session.conn.send({
      type: '3', messageType: TX.REJECT, refMsgType, padding: 0, rejectReason: reason, padding2: 0,
      account: session.account?.account ?? 0, tradingSessionId: TRADING_SESSION_ID, sendingTime: nsFromMs(Date.now()), refMsgSeqNum: refSeq,
    });
  }

  /**
   * Instrument request, 64 (or 62) bytes: 59 00 40 00 00 00 00 00 00 00 5C 89 01 00 01 00 <Key> … RequestType 1 = ALL
   * → one `Q` per instrument (74 bytes, 51 00 4A 00 …), ResponseType SNAPSHOT_START … FINISH, or SNAPSHOT for one.
   */
  private instrumentRequest(session: OesSession, message: InstrumentRequestMessage): void {
    if (message.key !== session.key) return this.sessionReject(session, 'Y', REJECT.KEY_INVALID, message.msgSeqNum);
    const list =
      message.requestType === REQUEST_TYPE.SYMBOL_ENUM
        ? [this.instruments.get(message.symbolEnum)].filter((i): i is InstrumentInfo => i !== undefined)
        : [...this.instruments.values()];
    if (list.length === 0) return this.sessionReject(session, 'Y', REJECT.SYMBOL_ENUM_INVALID, message.msgSeqNum);
    list.forEach((instrument, index) => {
      const responseType =
        list.length === 1
          ? RESPONSE_TYPE.SNAPSHOT
          : index === 0
            ? RESPONSE_TYPE.SNAPSHOT_START
            : index === list.length - 1
              ? RESPONSE_TYPE.SNAPSHOT_FINISH
              : RESPONSE_TYPE.SNAPSHOT_CONTINUATION;
      const reply: InstrumentMessage = {
        type: 'Q', messageType: 0, padding: 0, responseType, symbolEnum: instrument.symbolEnum, symbolName: instrument.name,
        symbolType: SYMBOL_TYPE.SPOT, priceIncrement: instrument.priceIncrement, minSize: MIN_SIZE, maxSize: MAX_SIZE,
        sendingTime: nsFromMs(Date.now()), msgSeqNum: session.nextSeq++,
      };
      session.conn.send(reply);
    });
  }

  /** Risk update request, 34 bytes (V10): 77 00 22 00 00 00 02 00 <Account> FA 01 00 00 <SymbolEnum> <Key> … → `N` each. */
  private riskRequest(session: OesSession, message: RiskUpdateRequestMessage): void {
    if (message.key !== session.key) return this.sessionReject(session, 'w', REJECT.KEY_INVALID, message.msgSeqNum);
    const account = session.account!;
    const enums = message.symbolEnum === 0 ? [...this.instruments.keys()] : [message.symbolEnum];
    if (!enums.every((e) => this.instruments.has(e))) return this.sessionReject(session, 'w', REJECT.SYMBOL_ENUM_INVALID, message.msgSeqNum);
    for (const symbolEnum of enums) session.conn.send({ ...this.riskBody(account, symbolEnum, session), type: 'N' });
  }

  /** Collateral request, 34 bytes (V13): 66 00 22 00 00 00 00 00 <Account> … → one `h` (INFERRED layout, §8.7). */
  private collateralRequest(session: OesSession, message: CollateralRequestMessage): void {
    if (message.key !== session.key) return this.sessionReject(session, 'f', REJECT.KEY_INVALID, message.msgSeqNum);
    const body = this.riskBody(session.account!, message.symbolEnum, session);
    session.conn.send({ ...body, type: 'h', messageType: COLLATERAL_DATA_MESSAGE_TYPE });
  }

  private riskBody(account: AccountState, symbolEnum: number, session: OesSession): Omit<RiskUserSymbolMessage, 'type'> {
    const risk = account.ledger.symbolRisk(symbolEnum);
    const equity = account.ledger.equity;
    return {
      messageType: 0, padding: 0, userName: this.userName, account: account.account, symbolEnum, leverage: 0,
      longPosition: risk.executedLongPosition, shortPosition: risk.executedShortPosition,
      longCash: risk.executedLongCash, shortCash: risk.executedShortCash, symbolDisabled: 0,
      accountEquity: 0, instrumentEquity: 0, ...risk,
      btcEquity: equity.BTC, usdtEquity: equity.USDT, ethEquity: equity.ETH, usdEquity: equity.USD, flyEquity: equity.FLY,
      openOrderRequestLimit: this.openOrderLimit, tradingSessionId: TRADING_SESSION_ID, msgSeqNum: session.nextSeq++,
    };
  }

  /**
   * Open order request, 40 bytes (V12): 45 00 28 00 00 00 <Account i32> <SymbolEnum i16> <SymbolName 12> …
   * → one `T` ORDER_STATUS (5, INFERRED) per working order; SymbolEnum 0 means every instrument.
   */
  private openOrderRequest(session: OesSession, message: OpenOrderRequestMessage): void {
    const account = session.account!;
    for (const order of this.engine!.openOrders(account.owner)) {
      const record = account.byEngineId.get(order.orderId);
      if (!record || (message.symbolEnum !== 0 && record.symbolEnum !== message.symbolEnum)) continue;
      this.deliver(account, this.reply(account, record, TX.ORDER_STATUS, {
        execShares: order.filledQty,
        execPrice: order.avgFillPrice ?? 0,
        remainingQuantity: order.remainingQty,
      }));
    }
  }

  /**
   * Order message, 250 (or 238) bytes (V14):
   *   54 00 FA 00 01 00 00 00 5C 89 01 00 <OrderID 8> 01 00 01 00 01 00 <Price f64> <Side> <Qty f64> 02 00 …
   * MessageType 1 new, 2 cancel/replace, 6 cancel.
   */
  private transaction(session: OesSession, message: TransactionMessage): void {
    const account = session.account!;
    if (message.key !== session.key) return this.rejectTransaction(session, message, REJECT.KEY_INVALID);
    if (message.account !== account.account) return this.rejectTransaction(session, message, REJECT.ACCOUNT_INVALID);
    if (message.messageType === TX.ORDER_NEW) return this.newOrder(session, message, 0n);
    if (message.messageType === TX.ORDER_CANCEL) return this.cancel(session, message);
    if (message.messageType === TX.CANCEL_REPLACE) return this.replace(session, message);
    return this.rejectTransaction(session, message, REJECT.MSG_TYPE_INVALID);
  }

  private newOrder(session: OesSession, message: TransactionMessage, replaces: bigint): void {
    const account = session.account!;
    const reason = this.validate(account, message);
    if (reason !== 0) return this.rejectTransaction(session, message, reason);
    const instrument = this.instruments.get(message.symbolEnum)!;
    const record: OrderRecord = {
      clientId: message.orderId, engineId: null, symbolEnum: message.symbolEnum, symbolName: instrument.name,
      side: message.side, orderType: message.orderType, tif: message.tif || TIF.GTC,
      price: message.orderType === ORDER_TYPE.LMT ? message.price : 0, qty: message.orderQty, replaces, replaced: false,
    };
    account.orders.set(record.clientId, record);
    this.placing = { record, account };
    try {
      // Synchronous: the engine emits accepted, immediate fills (or the reject) before this returns.
      this.engine!.placeOrder({
        owner: account.owner,
        symbol: instrument.symbol,
        side: message.side === SIDE.BUY ? 'buy' : 'sell',
        type: message.orderType === ORDER_TYPE.LMT ? 'limit' : 'market',
        qty: message.orderQty,
        ...(message.orderType === ORDER_TYPE.LMT ? { price: message.price } : {}),
      });
    } finally {
      this.placing = null;
    }
  }

  /** Venue rules in the vendor's order: required fields, then plausible values, then risk. */
  private validate(account: AccountState, message: TransactionMessage): number {
    if (message.orderId === 0n) return REJECT.ORDERID_INVALID;
    if (account.orders.has(message.orderId)) return REJECT.DUPLICATE_ORDER_ID;
    const instrument = this.instruments.get(message.symbolEnum);
    if (!instrument) return REJECT.SYMBOL_ENUM_INVALID;
    if (message.side !== SIDE.BUY && message.side !== SIDE.SELL && message.side !== SIDE.SELLSHORT) return REJECT.ORDER_SIDE_INVALID;
    if (message.orderType !== ORDER_TYPE.LMT && message.orderType !== ORDER_TYPE.MKT) return REJECT.ORD_TYPE_INVALID;
    const qty = message.orderQty;
    if (!Number.isFinite(qty) || qty < MIN_SIZE || qty > MAX_SIZE || !onIncrement(qty, MIN_SIZE)) return REJECT.SIZE_INVALID;
    const state = this.engine!.state(instrument.symbol)!;
    let price = message.price;
    if (message.orderType === ORDER_TYPE.LMT) {
      if (!Number.isFinite(price) || price <= 0 || !onIncrement(price, state.tickSizeAt(price))) return REJECT.PRICE_INVALID;
    } else {
      price = (message.side === SIDE.BUY ? state.book.asks[0]?.price : state.book.bids[0]?.price) ?? instrument.priceIncrement;
    }
    if (this.engine!.openOrders(account.owner).length >= this.openOrderLimit) return REJECT.EXCEEDS_OPEN_ORDER_REQUESTS;
    if (!account.ledger.canAfford(message.symbolEnum, message.side === SIDE.BUY, qty, price)) return REJECT.NOT_ENOUGH_EQUITY_TO_COMPLETE;
    return 0;
  }

  /** Cancel: OrigOrderID names the working order (the vendor's required field); answered CANCELLED or REJECT. */
  private cancel(session: OesSession, message: TransactionMessage): void {
    const account = session.account!;
    const target = account.orders.get(message.origOrderId || message.orderId);
    if (!target?.engineId) return this.rejectTransaction(session, message, REJECT.ORIG_ORDER_NOT_FOUND);
    try {
      this.engine!.cancelOrder(account.owner, target.engineId);
    } catch {
      // Unknown, someone else's, or already done: the venue's "orig order not found".
      this.rejectTransaction(session, message, REJECT.ORIG_ORDER_NOT_FOUND);
    }
  }

  /** Cancel/replace: the working OrigOrderID goes, OrderID comes with the new price and quantity; answered REPLACED. */
  private replace(session: OesSession, message: TransactionMessage): void {
    const account = session.account!;
    const target = account.orders.get(message.origOrderId);
    const working = target?.engineId ? this.engine!.order(target.engineId) : undefined;
    if (!target || !working || (working.status !== 'accepted' && working.status !== 'partially_filled')) {
      return this.rejectTransaction(session, message, REJECT.ORIG_ORDER_NOT_FOUND);
    }
    const reason = this.validate(account, message);
    if (reason !== 0) return this.rejectTransaction(session, message, reason);
    target.replaced = true;
    this.engine!.cancelOrder(account.owner, target.engineId!);
    this.newOrder(session, message, target.clientId);
  }

  private rejectTransaction(session: OesSession, message: TransactionMessage, reason: number): void {
    const account = session.account!;
    this.deliver(account, {
      ...message,
      type: 'T',
      messageType: TX.REJECT,
      rejectReason: reason,
      sendingTime: nsFromMs(Date.now()),
      tradingSessionId: TRADING_SESSION_ID,
    });
  }

  // ---- engine → wire -------------------------------------------------------------------------------------

  private engineOrder(update: PaperOrderUpdate): void {
    const account = this.accounts.get(update.order.owner);
    if (!account) return;
    let record = account.byEngineId.get(update.order.orderId);
    if (!record && this.placing?.account === account) {
      record = this.placing.record;
      record.engineId = update.order.orderId;
      account.byEngineId.set(update.order.orderId, record);
    }
    if (!record) return;
    const immediate = this.placing?.record === record;
    const order = update.order;
    switch (order.status) {
      case 'accepted':
        this.deliver(account, this.reply(account, record, record.replaces !== 0n ? TX.REPLACED : TX.ORDER_ACK, remaining(order)));
        return;
      case 'partially_filled':
      case 'filled': {
        if (!update.fill) return;
        const done = order.status === 'filled';
        account.ledger.applyFill(record.symbolEnum, record.side === SIDE.BUY, update.fill.qty, update.fill.price);
        const type = immediate ? (done ? TX.QUOTE_FILL : TX.QUOTE_FILL_PARTIAL) : done ? TX.EXECUTION : TX.EXECUTION_PARTIAL;
        this.execCounter += 1n;
        this.deliver(account, this.reply(account, record, type, {
          execId: this.execCounter,
          execShares: update.fill.qty,
          execPrice: update.fill.price,
          remainingQuantity: order.remainingQty,
          sendingTime: nsFromMs(update.ts),
        }));
        return;
      }
      case 'cancelled':
        if (record.replaced) return;
        this.deliver(account, this.reply(account, record, TX.CANCELLED, { ...remaining(order), cancelShares: order.remainingQty }));
        return;
      case 'rejected':
        this.deliver(account, this.reply(account, record, TX.REJECT, { rejectReason: engineRejectReason(order.reason) }));
        return;
    }
  }

  private reply(account: AccountState, record: OrderRecord, messageType: number, extra: Partial<TransactionMessage>): TransactionMessage {
    return {
      type: 'T', messageType, padding: 0, account: account.account, orderId: record.clientId, symbolEnum: record.symbolEnum,
      orderType: record.orderType, symbolType: SYMBOL_TYPE.SPOT, price: record.price, side: record.side, orderQty: record.qty,
      tif: record.tif, stopLimitPrice: 0, symbol: record.symbolName, origOrderId: record.replaces, cancelShares: 0, execId: 0n,
      execShares: 0, remainingQuantity: 0, execFee: 0, expirationDate: '', traderId: '', rejectReason: 0,
      sendingTime: nsFromMs(Date.now()), tradingSessionId: TRADING_SESSION_ID, key: 0, displaySize: 0, refreshSize: 0,
      layers: 0, sizeIncrement: 0, priceIncrement: 0, priceOffset: 0, origPrice: 0, execPrice: 0, msgSeqNum: 0n,
      takeProfitPrice: 0, triggerType: 0, secondLegPrice: 0, routeEnum: 0, modifyType: 0, attributes: '', ...extra,
    };
  }

  /** Sends now, or keeps it for the account's next session. */
  private deliver(account: AccountState, reply: Reply | TransactionMessage): void {
    const session = account.session;
    if (!session || !session.conn.isOpen) {
      if (account.queue.length >= MAX_QUEUED_REPLIES) account.queue.shift();
      account.queue.push({ ...reply, key: 0, msgSeqNum: 0n } as TransactionMessage);
      return;
    }
    session.conn.send({ ...reply, key: session.key, msgSeqNum: BigInt(session.nextSeq++) } as TransactionMessage);
  }

  private accountState(number: number): AccountState {
    const owner = `bo:${number}`;
    let account = this.accounts.get(owner);
    if (!account) {
      account = { account: number, owner, ledger: new SimLedger(), orders: new Map(), byEngineId: new Map(), session: null, queue: [] };
      this.accounts.set(owner, account);
    }
    return account;
  }

  /** INFERRED §9: a heartbeat after heartbeatMs of not sending; the session closed after 2× of not hearing. */
  private checkHeartbeats(): void {
    const now = Date.now();
    for (const session of this.sessions) {
      if (!session.loggedOn || this.faults.silent) continue;
      if (now - session.conn.lastReceiveTs >= 2 * this.heartbeatMs) {
        session.conn.destroy();
        continue;
      }
      if (now - session.conn.lastSendTs >= this.heartbeatMs) {
        session.conn.send({ type: '0', messageType: 0, padding: 0, account: session.account!.account, tradingSessionId: TRADING_SESSION_ID, sendingTime: nsFromMs(now), msgSeqNum: session.nextSeq++ });
      }
    }
  }
}

/** The fixed ORDER_ACK of the example OES (V15). */
const EXAMPLE_ACK: TransactionMessage = {
  type: 'T', messageType: TX.ORDER_ACK, padding: 0, account: EXAMPLE.account, orderId: 46_832_151n, symbolEnum: 1,
  orderType: ORDER_TYPE.LMT, symbolType: SYMBOL_TYPE.SPOT, price: 50_100.5, side: 3, orderQty: 2, tif: TIF.GTC,
  stopLimitPrice: 0, symbol: 'BTCUSD', origOrderId: 0n, cancelShares: 0, execId: 0n, execShares: 0, remainingQuantity: 0,
  execFee: 0, expirationDate: '', traderId: '', rejectReason: 0, sendingTime: 1000n, tradingSessionId: TRADING_SESSION_ID,
  key: EXAMPLE.ackKey, displaySize: 0, refreshSize: 0, layers: 0, sizeIncrement: 0, priceIncrement: 0, priceOffset: 0,
  origPrice: 0, execPrice: 0, msgSeqNum: 79_488_880n, takeProfitPrice: 0, triggerType: 0, secondLegPrice: 1111,
  routeEnum: 1, modifyType: 1, attributes: '',
};

function remaining(order: PaperOrder): Partial<TransactionMessage> {
  return { remainingQuantity: order.remainingQty, execShares: order.filledQty };
}

/** The engine's words mapped to the closest §5 code; anything else is the matching engine's refusal (48). */
function engineRejectReason(reason: string | null): number {
  const text = (reason ?? '').toLowerCase();
  if (text.includes('tick') || text.includes('price')) return REJECT.PRICE_INVALID;
  if (text.includes('quantity') || text.includes('qty')) return REJECT.SIZE_INVALID;
  return REJECT.MATCHING_ENGINE_REJECTED;
}

/** Whether a value is a whole number of increments, up to float noise. */
function onIncrement(value: number, increment: number): boolean {
  const units = value / increment;
  return Math.abs(units - Math.round(units)) < INCREMENT_EPSILON;
}

/**
 * A session key: non-zero (0 is what clients send before they have one) and within int32, because `T` carries
 * Key as a signed `i` while `H` has it unsigned (§8.8).
 */
function randomKey(): number {
  return 1 + Math.floor(Math.random() * 0x7ffffffe);
}

function addressOf(server: net.Server): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the BO simulator is not listening on TCP');
  return `127.0.0.1:${address.port}`;
}

