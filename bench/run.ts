/**
 * `npm run bench -- <name> [--flags]`: runs one benchmark. Each is loaded only when asked for, so one
 * benchmark's heavy imports (broker simulators, a browser) never slow another down.
 */
import { FlagError } from './flags';

export interface Bench {
  description: string;
  /** Runs with the flags after the name; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

const BENCHES: Record<string, () => Promise<Bench>> = {
  fanout: async () => (await import('./fanout')).fanoutBench,
  upbit: async () => (await import('./upbit')).upbitBench,
  kiwoom: async () => (await import('./kiwoom')).kiwoomBench,
  kis: async () => (await import('./kis')).kisBench,
  browser: async () => (await import('./browser')).browserBench,
  bo: async () => (await import('./bo')).boBench,
};

function list(): string {
  return `usage: npm run bench -- <name> [--flags]\nbenchmarks: ${Object.keys(BENCHES).join(', ')}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : BENCHES[name];
  if (!load) {
    console.error(name === undefined ? list() : `unknown benchmark "${name}"\n${list()}`);
    return 1;
  }
  const bench = await load();
  try {
    return await bench.run(rest);
  } catch (error) {
    if (error instanceof FlagError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
