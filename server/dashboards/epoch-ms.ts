/**
 * A timestamptz column as epoch milliseconds. node-postgres and PGlite both hand back a Date, but a value that
 * went through JSON (or a driver configured to keep text) arrives as ISO text; both are accepted.
 */
export function epochMs(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}
