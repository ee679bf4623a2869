/**
 * Ids of users, links, teams and dashboards are uuid columns, and PostgreSQL refuses other text in them with an
 * error. Ids that come from URLs and request bodies are checked here first, so a malformed one simply matches
 * nothing instead of failing the query.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}
