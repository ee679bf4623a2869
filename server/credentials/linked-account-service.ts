/**
 * Users' own broker credentials: link (validate, open a session with the broker, store sealed), list, unlink,
 * and at start reopen every stored link. Each link has its own upstream session, whose accounts join the
 * AccountDirectory under the user who linked them and whose order and balance events flow into the relay.
 *
 *   const links = new LinkedAccountService({ sql, box, directory, sink: relay.sink, upstreams, logger, allowRealOrders });
 *   await links.restore();                       // at start: reopen stored links (a broker that is down is retried)
 *   await links.link(user.id, { broker: 'kiwoom', appKey, secretKey });
 *   await links.close();                         // at shutdown
 *
 * The plain secrets exist only in this process's memory, between the request (or the store's sealed text) and
 * the adapter; they are never logged and never leave through the API (views carry a key hint only).
 */
import type { BrokerId, FeedState } from '../../lib/contracts';
import {
  linkRequestSchema,
  type LinkableBroker,
  type LinkedAccountStatus,
  type LinkedAccountsApi,
  type LinkedAccountView,
  type LinkRequest,
} from '../../lib/contracts/linked-accounts';
import type { AccountDirectory } from '../accounts/account-directory';
import type { BrokerUpstream } from '../brokers/registry';
import type { Logger } from '../logger';
import { FeedError, type FeedSink } from '../relay/feed';
import type { SqlClient } from '../store/sql-client';
import { brokerName } from './broker-refusal';
import { openKisSession } from './kis-session';
import { openKiwoomSession } from './kiwoom-session';
import { LinkedCredentialStore, type StoredLink } from './linked-credential-store';
import { privateEventsOnly, unavailableAccount, type LinkedSession, type SessionContext } from './linked-session';
import type { SecretBox } from './secret-box';
import { openUpbitSession } from './upbit-session';
import { zodMessage } from '../zod-message';

/** Characters of the app key shown back to its owner: enough to tell two keys apart, far too few to use. */
export const KEY_HINT_CHARS = 4;
/** First retry of a stored link whose broker could not be reached at start: a restart race usually clears fast. */
export const REOPEN_BASE_DELAY_MS = 2_000;
/** Cap: a broker down for long is asked once a minute, not hammered. */
export const REOPEN_MAX_DELAY_MS = 60_000;

export interface LinkedAccountServiceOptions {
  sql: SqlClient;
  box: SecretBox;
  directory: AccountDirectory;
  /** The relay's sink; only order and balance events reach it. */
  sink: FeedSink;
  /** Where each broker is (registry); a broker missing here cannot be linked in this configuration. */
  upstreams: Partial<Record<BrokerId, BrokerUpstream>>;
  logger: Logger;
  allowRealOrders: boolean;
  /**
   * Called with the accounts of a link its owner removed for good (not at shutdown), so what was attached to
   * them — shares — goes too, and a later link of the same account starts unshared.
   */
  onUnlinked?: (accountIds: readonly string[]) => Promise<void>;
  reopenBaseDelayMs?: number;
  reopenMaxDelayMs?: number;
}

/** The secret-bearing part of a link request: what gets sealed. */
type Credentials = LinkRequest extends infer R ? (R extends unknown ? Omit<R, 'label'> : never) : never;

type Opener = (credentials: Credentials, context: SessionContext) => Promise<LinkedSession>;

const OPENERS: Record<LinkableBroker, Opener> = {
  kiwoom: (c, context) => openKiwoomSession(c as Extract<Credentials, { broker: 'kiwoom' }>, context),
  kis: (c, context) => openKisSession(c as Extract<Credentials, { broker: 'kis' }>, context),
  upbit: (c, context) => openUpbitSession(c as Extract<Credentials, { broker: 'upbit' }>, context),
};

/** A link this process holds: its row (without reading the secrets again) and its session, when open. */
interface LiveLink {
  stored: StoredLink;
  session: LinkedSession | null;
  status: LinkedAccountStatus;
  detail: string | null;
  attempt: number;
  retry: ReturnType<typeof setTimeout> | null;
  closed: boolean;
}

function publicKeyOf(credentials: Credentials): string {
  return credentials.broker === 'upbit' ? credentials.accessKey : credentials.appKey;
}

export class LinkedAccountService implements LinkedAccountsApi {
  private readonly store: LinkedCredentialStore;
  private readonly live = new Map<string, LiveLink>();
  private readonly logger: Logger;
  private closing = false;

  constructor(private readonly options: LinkedAccountServiceOptions) {
    this.store = new LinkedCredentialStore(options.sql);
    this.logger = options.logger.child({ component: 'linked-accounts' });
  }

  async list(userId: string): Promise<LinkedAccountView[]> {
    return [...this.live.values()].filter((link) => link.stored.ownerUserId === userId).map((link) => this.view(link));
  }

  async link(userId: string, input: unknown): Promise<LinkedAccountView> {
    const parsed = linkRequestSchema.safeParse(input);
    if (!parsed.success) throw new FeedError('BAD_REQUEST', zodMessage(parsed.error));
    const { label: wantedLabel, ...credentials } = parsed.data;
    const broker = credentials.broker;
    const fingerprint = this.options.box.fingerprint(`${broker}:${publicKeyOf(credentials)}`);
    if (await this.store.hasFingerprint(broker, fingerprint)) {
      throw new FeedError('CONFLICT', `이 ${brokerName(broker)} 키는 이미 연결되어 있습니다: 증권사는 키 하나에 세션 하나만 허용합니다`);
    }

    const session = await OPENERS[broker](credentials, this.context(broker));
    const accountIds = session.accounts.map((account) => account.accountId);
    let stored: StoredLink;
    try {
      // An account Sise already holds (the environment's, or another link's) would get a second session.
      const taken = accountIds.find((id) => this.options.directory.get(id) !== undefined);
      if (taken) throw new FeedError('CONFLICT', `${taken} 계좌는 이미 Sise에 연결되어 있습니다`);
      stored = await this.store.insert({
        ownerUserId: userId,
        broker,
        label: wantedLabel || `${brokerName(broker)} ${accountIds.map((id) => id.slice(id.indexOf(':') + 1)).join(', ')}`,
        keyHint: publicKeyOf(credentials).slice(0, KEY_HINT_CHARS),
        keyFingerprint: fingerprint,
        sealedCredentials: this.options.box.seal(JSON.stringify(credentials)),
        accountIds,
      });
    } catch (error) {
      await session.stop().catch(() => {});
      throw error;
    }
    const link = this.track(stored);
    await this.attach(link, session);
    this.logger.info({ linkId: stored.id, owner: userId, broker, accountIds }, 'broker credentials linked');
    return this.view(link);
  }

  async unlink(userId: string, id: string): Promise<void> {
    const stored = this.live.get(id)?.stored ?? (await this.store.get(id));
    if (!stored || stored.ownerUserId !== userId) throw new FeedError('NOT_FOUND', '연결된 계좌가 없습니다');
    await this.store.delete(id);
    const link = this.live.get(id);
    this.live.delete(id);
    if (link) await this.release(link);
    await this.options.onUnlinked?.(stored.accountIds);
    this.logger.info({ linkId: id, owner: userId, broker: stored.broker, accountIds: stored.accountIds }, 'broker credentials unlinked');
  }

  /**
   * Reopens every stored link. Their accounts are listed at once (as unavailable, saying why, until their
   * session is open), and sessions open in the background, so a broker that is down does not hold start-up.
   */
  async restore(): Promise<void> {
    for (const stored of await this.store.listAll()) {
      const link = this.track(stored);
      link.status = 'connecting';
      link.detail = '다시 연결하는 중';
      for (const accountId of stored.accountIds) {
        this.options.directory.add({
          session: unavailableAccount(accountId, () => link.detail ?? '연결하는 중'),
          broker: stored.broker,
          ownerUserId: stored.ownerUserId,
          label: stored.label,
        });
      }
      void this.reopen(link);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const links = [...this.live.values()];
    this.live.clear();
    await Promise.allSettled(links.map((link) => this.release(link)));
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private context(broker: LinkableBroker): SessionContext {
    const upstream = this.options.upstreams[broker];
    if (!upstream) {
      throw new FeedError('UPSTREAM_UNAVAILABLE', `이 서버는 ${brokerName(broker)}에 연결하도록 설정되어 있지 않습니다 (SIM=off이고 ${broker} 설정이 없습니다)`);
    }
    return { upstream, allowRealOrders: this.options.allowRealOrders, logger: this.options.logger.child({ broker, linked: true }) };
  }

  private track(stored: StoredLink): LiveLink {
    const link: LiveLink = { stored, session: null, status: 'connecting', detail: null, attempt: 0, retry: null, closed: false };
    this.live.set(stored.id, link);
    return link;
  }

  /** Starts the session's private streams and puts its accounts in the directory under their owner. */
  private async attach(link: LiveLink, session: LinkedSession): Promise<void> {
    link.session = session;
    link.attempt = 0;
    const sink = privateEventsOnly(this.options.sink, (state, detail) => this.onState(link, state, detail));
    for (const account of session.accounts) {
      this.options.directory.add({ session: account, broker: link.stored.broker, ownerUserId: link.stored.ownerUserId, label: link.stored.label });
    }
    await session.start(sink);
  }

  private onState(link: LiveLink, state: FeedState, detail: string | null): void {
    link.status = state === 'connected' ? 'connected' : state === 'down' ? 'unavailable' : 'connecting';
    link.detail = state === 'connected' ? null : detail;
    if (state !== 'connected') this.logger.info({ linkId: link.stored.id, state, detail }, 'linked session state');
  }

  private async reopen(link: LiveLink): Promise<void> {
    link.retry = null;
    if (link.closed || this.closing) return;
    let credentials: Credentials;
    try {
      credentials = JSON.parse(this.options.box.open(link.stored.sealedCredentials)) as Credentials;
    } catch (error) {
      link.status = 'unavailable';
      link.detail = '저장된 키를 열 수 없습니다 (서버의 비밀 키가 바뀌었습니다): 연결을 해제하고 다시 연결하세요';
      this.logger.error({ linkId: link.stored.id, reason: (error as Error).message }, 'stored credentials cannot be opened');
      return;
    }
    try {
      const session = await OPENERS[link.stored.broker](credentials, this.context(link.stored.broker));
      if (link.closed || this.closing) {
        await session.stop();
        return;
      }
      await this.attach(link, session);
    } catch (error) {
      link.status = 'unavailable';
      link.detail = error instanceof Error ? error.message : String(error);
      this.logger.warn({ linkId: link.stored.id, reason: link.detail }, 'linked session could not be reopened');
      // Wrong keys stay wrong until the owner relinks; an unreachable broker is asked again with backoff.
      if (error instanceof FeedError && error.code === 'BAD_REQUEST') return;
      const delay = Math.min(
        this.options.reopenMaxDelayMs ?? REOPEN_MAX_DELAY_MS,
        (this.options.reopenBaseDelayMs ?? REOPEN_BASE_DELAY_MS) * 2 ** link.attempt++,
      );
      // Jitter spreads many links' retries so a broker coming back is not hit by all at once.
      link.retry = setTimeout(() => void this.reopen(link), delay * (0.5 + Math.random() / 2));
    }
  }

  /** Stops the session and takes its accounts out of the directory. */
  private async release(link: LiveLink): Promise<void> {
    link.closed = true;
    if (link.retry) clearTimeout(link.retry);
    link.retry = null;
    // The stored ids, and any further account the broker listed when the session reopened.
    const accountIds = new Set([...link.stored.accountIds, ...(link.session?.accounts.map((a) => a.accountId) ?? [])]);
    for (const accountId of accountIds) {
      // Only our own entry: never remove an account someone else holds under the same id.
      if (this.options.directory.get(accountId)?.ownerUserId === link.stored.ownerUserId) this.options.directory.remove(accountId);
    }
    const session = link.session;
    link.session = null;
    await session?.stop();
  }

  private view(link: LiveLink): LinkedAccountView {
    const { stored } = link;
    return {
      id: stored.id,
      broker: stored.broker,
      label: stored.label,
      keyHint: stored.keyHint,
      accountIds: [...stored.accountIds],
      status: link.status,
      detail: link.status === 'connected' ? null : link.detail,
      createdAt: stored.createdAt,
    };
  }
}
