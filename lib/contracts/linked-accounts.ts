/**
 * Broker credentials a user links to their own Sise user (the /account page and `/api/linked-accounts`). The
 * request carries secrets once, over the user's own connection; nothing the server sends back ever does.
 */
import { z } from 'zod';

export const LINKABLE_BROKERS = ['kiwoom', 'kis', 'upbit'] as const;
export type LinkableBroker = (typeof LINKABLE_BROKERS)[number];

/** Long enough for any broker's key, short enough that a pasted document is refused, not stored. */
const MAX_FIELD_CHARS = 512;
const MAX_LABEL_CHARS = 60;

const field = (what: string) =>
  z
    .string({ error: `${what}을(를) 입력하세요` })
    .trim()
    .min(1, `${what}을(를) 입력하세요`)
    .max(MAX_FIELD_CHARS, `${what}이(가) 너무 깁니다`)
    .refine((value) => !/\s/.test(value), `${what}에 공백이 있습니다`);

const label = z.string().trim().max(MAX_LABEL_CHARS, `이름은 ${MAX_LABEL_CHARS}자까지입니다`).optional();

export const kiwoomCredentialsSchema = z.object({
  broker: z.literal('kiwoom'),
  label,
  appKey: field('App Key'),
  secretKey: field('Secret Key'),
});

export const kisCredentialsSchema = z.object({
  broker: z.literal('kis'),
  label,
  appKey: field('App Key'),
  appSecret: field('App Secret'),
  account: z.string().trim().regex(/^\d{8}-\d{2}$/, '계좌번호는 50012345-01 형식(8자리-2자리)입니다'),
  htsId: field('HTS ID'),
});

export const upbitCredentialsSchema = z.object({
  broker: z.literal('upbit'),
  label,
  accessKey: field('Access Key'),
  secretKey: field('Secret Key'),
});

/** What `POST /api/linked-accounts` accepts. */
export const linkRequestSchema = z.discriminatedUnion('broker', [kiwoomCredentialsSchema, kisCredentialsSchema, upbitCredentialsSchema], {
  error: '증권사를 고르세요 (kiwoom, kis, upbit)',
});
export type LinkRequest = z.infer<typeof linkRequestSchema>;

export type LinkedAccountStatus = 'connected' | 'connecting' | 'unavailable';

/** A link as its owner sees it: never a secret; of the key only its first characters. */
export interface LinkedAccountView {
  id: string;
  broker: LinkableBroker;
  label: string;
  /** The first characters of the app key / access key, so two links of one broker can be told apart. */
  keyHint: string;
  accountIds: string[];
  status: LinkedAccountStatus;
  /** Why it is not connected, in words the owner can act on; null when connected. */
  detail: string | null;
  createdAt: string;
}

/** The server side of `/api/linked-accounts`; errors carry an ErrorCode. */
export interface LinkedAccountsApi {
  list(userId: string): Promise<LinkedAccountView[]>;
  /** Validates the input, opens a session with the broker, and stores the credentials only if that worked. */
  link(userId: string, input: unknown): Promise<LinkedAccountView>;
  /** Only the owner may unlink; anyone else gets NOT_FOUND (the link's existence is not revealed). */
  unlink(userId: string, id: string): Promise<void>;
}
