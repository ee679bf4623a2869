/** Every upstream Sise can speak to, plus `sim`, the in-process feed of the market engine. */
export const BROKER_IDS = ['kis', 'kiwoom', 'kiwoom-bridge', 'upbit', 'bo', 'sim'] as const;
export type BrokerId = (typeof BROKER_IDS)[number];

export function isBrokerId(text: string): text is BrokerId {
  return (BROKER_IDS as readonly string[]).includes(text);
}
