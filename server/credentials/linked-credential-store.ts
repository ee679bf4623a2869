/**
 * The linked_credentials table (migration 3). Rows hold the credentials only as sealed text; this class never
 * sees the plain secrets, it stores and returns what the service sealed.
 */
import type { LinkableBroker } from '../../lib/contracts/linked-accounts';
import { FeedError } from '../relay/feed';
import type { SqlClient } from '../store/sql-client';
import { isUuid } from '../store/uuid';

export interface StoredLink {
  id: string;
  ownerUserId: string;
  broker: LinkableBroker;
  label: string;
  keyHint: string;
  accountIds: string[];
  createdAt: string;
  /** `v1.<key id>.<iv>.<ciphertext>.<tag>` (secret-box.ts). */
  sealedCredentials: string;
}

export interface NewLink {
  ownerUserId: string;
  broker: LinkableBroker;
  label: string;
  keyHint: string;
  keyFingerprint: string;
  sealedCredentials: string;
  accountIds: string[];
}

interface Row {
  id: string;
  owner_user_id: string;
  broker: LinkableBroker;
  label: string;
  key_hint: string;
  account_ids: string[];
  created_at: Date | string;
  sealed_credentials: string;
}

const COLUMNS = 'id, owner_user_id, broker, label, key_hint, account_ids, created_at, sealed_credentials';

function toLink(row: Row): StoredLink {
  return {
    id: row.id,
    ownerUserId: row.owner_user_id,
    broker: row.broker,
    label: row.label,
    keyHint: row.key_hint,
    accountIds: row.account_ids,
    createdAt: new Date(row.created_at).toISOString(),
    sealedCredentials: row.sealed_credentials,
  };
}

/** PostgreSQL's unique_violation; PGlite reports the same code. */
const UNIQUE_VIOLATION = '23505';

export class LinkedCredentialStore {
  constructor(private readonly sql: SqlClient) {}

  async insert(link: NewLink): Promise<StoredLink> {
    try {
      const rows = await this.sql.query<Row>(
        `INSERT INTO linked_credentials (owner_user_id, broker, label, key_hint, key_fingerprint, sealed_credentials, account_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [link.ownerUserId, link.broker, link.label, link.keyHint, link.keyFingerprint, link.sealedCredentials, link.accountIds],
      );
      return toLink(rows[0]!);
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        throw new FeedError('CONFLICT', '이 키는 이미 연결되어 있습니다: 증권사는 키 하나에 세션 하나만 허용합니다');
      }
      throw error;
    }
  }

  async hasFingerprint(broker: LinkableBroker, keyFingerprint: string): Promise<boolean> {
    const rows = await this.sql.query('SELECT 1 FROM linked_credentials WHERE broker = $1 AND key_fingerprint = $2', [broker, keyFingerprint]);
    return rows.length > 0;
  }

  async get(id: string): Promise<StoredLink | null> {
    // An id that is not a UUID cannot exist; asking would only make PostgreSQL raise a type error.
    if (!isUuid(id)) return null;
    const rows = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM linked_credentials WHERE id = $1`, [id]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  async listAll(): Promise<StoredLink[]> {
    return (await this.sql.query<Row>(`SELECT ${COLUMNS} FROM linked_credentials ORDER BY created_at, id`)).map(toLink);
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.sql.query('DELETE FROM linked_credentials WHERE id = $1 RETURNING id', [id])).length > 0;
  }
}
