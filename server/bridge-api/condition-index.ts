/**
 * The bridge names a condition by `Index` (OpenAPI+'s number) and `Name`; Sise by key `<broker>:<id>`. When every
 * condition id is a distinct whole number (one Kiwoom login, the usual case) the Index is that id, so a tool keeps
 * the numbers it already uses; otherwise the Index is the condition's position in the list.
 */
import type { ConditionSummary } from '../../lib/contracts';

export interface IndexedCondition {
  Index: number;
  Name: string;
  /** Sise's key, an extra field the bridge does not send; tools that do not know it ignore it. */
  Key: string;
}

export function indexConditions(list: readonly ConditionSummary[]): IndexedCondition[] {
  const ids = list.map((c) => (/^\d{1,9}$/.test(c.id) ? Number(c.id) : null));
  const numeric = ids.every((id) => id !== null) && new Set(ids).size === ids.length;
  return list.map((c, i) => ({ Index: numeric ? ids[i]! : i, Name: c.name, Key: c.key }));
}

/** By index and name as the bridge's `?name=&index=`: index wins; a name alone also finds it. */
export function findCondition(list: readonly IndexedCondition[], name: string | null, index: string | null): IndexedCondition | null {
  const hasIndex = index !== null && index.trim() !== '' && Number.isInteger(Number(index));
  if (hasIndex) {
    const found = list.find((c) => c.Index === Number(index));
    if (!found || (name && found.Name !== name)) return null;
    return found;
  }
  if (name) return list.find((c) => c.Name === name) ?? null;
  return null;
}
