/**
 * `--name value` / `--name=value` flags for benchmarks. Every flag is a number with a default; an unknown
 * flag or a bad value stops the run with a message, because a typo silently falling back to the default would
 * publish numbers for a load nobody asked for.
 */

export interface FlagSpec {
  default: number;
  description: string;
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value, if any. */
  max?: number;
  integer?: boolean;
}

export type FlagValues<S extends Record<string, FlagSpec>> = { [K in keyof S]: number };

export class FlagError extends Error {
  override name = 'FlagError';
}

export function parseFlags<S extends Record<string, FlagSpec>>(argv: readonly string[], spec: S): FlagValues<S> {
  const values: Record<string, number> = {};
  for (const [name, flag] of Object.entries(spec)) values[name] = flag.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}"\n${usage(spec)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const flag = spec[name];
    if (!flag) throw new FlagError(`unknown flag --${name}\n${usage(spec)}`);
    const text = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (text === undefined) throw new FlagError(`--${name} needs a value`);
    const value = Number(text);
    const integer = flag.integer ?? true;
    if (!Number.isFinite(value) || value < flag.min || value > (flag.max ?? Infinity) || (integer && !Number.isInteger(value))) {
      const range = flag.max === undefined ? `≥ ${flag.min}` : `from ${flag.min} to ${flag.max}`;
      throw new FlagError(`--${name}="${text}": expected ${integer ? 'a whole number' : 'a number'} ${range}`);
    }
    values[name] = value;
  }
  return values as FlagValues<S>;
}

export function usage(spec: Record<string, FlagSpec>): string {
  const width = Math.max(...Object.keys(spec).map((name) => name.length));
  return Object.entries(spec)
    .map(([name, flag]) => `  --${name.padEnd(width)}  ${flag.description} (default ${flag.default})`)
    .join('\n');
}
