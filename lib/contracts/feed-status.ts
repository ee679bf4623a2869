import { z } from 'zod';
import { BROKER_IDS } from './brokers';
import { MARKETS } from './symbol';

/**
 * A broker session's health, pushed to every client on connect and on every change.
 * `serving` lists the markets this broker is currently the chosen feed for (KRX_FEEDS order, with fail-over).
 */
export const feedStatusSchema = z.object({
  broker: z.enum(BROKER_IDS),
  state: z.enum(['connecting', 'connected', 'reconnecting', 'down']),
  markets: z.array(z.enum(MARKETS)),
  serving: z.array(z.enum(MARKETS)),
  detail: z.string().nullable(),
  since: z.number().nonnegative(),
});
export type FeedStatus = z.infer<typeof feedStatusSchema>;
export type FeedState = FeedStatus['state'];
