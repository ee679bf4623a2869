/**
 * Test harness: a throwaway PostgreSQL server on 127.0.0.1 and a free port, from the machine's own binaries
 * (Debian's `postgresql` package; `.ci/run` installs it). Used by the store's tests so the PostgreSQL backend is
 * tested against the real thing, not a fake.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A fresh cluster starts in about a second; a loaded CI machine gets ten times that. */
const START_TIMEOUT_MS = 30_000;
/** A fast shutdown takes well under a second; past this the server is killed outright. */
const STOP_TIMEOUT_MS = 10_000;

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** Finds initdb and postgres on PATH or in Debian's versioned folder; null when PostgreSQL is not installed. */
export function findPostgresBinaries(): PostgresBinaries | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort().reverse()) dirs.push(path.join(debian, version, 'bin'));
  }
  for (const dir of dirs) {
    const initdb = path.join(dir, 'initdb');
    const postgres = path.join(dir, 'postgres');
    if (existsSync(initdb) && existsSync(postgres)) return { initdb, postgres };
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user the Debian package creates. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startTestPostgres(binaries: PostgresBinaries): Promise<TestPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sise-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const [initCommand, initArgs] = asServerUser(binaries.initdb, ['-D', dir, '-U', 'sise', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  execFileSync(initCommand, initArgs, { stdio: 'pipe' });

  const port = await freePort();
  // fsync off: a test database that survives a power cut is worth nothing, and syncing costs seconds per run.
  const [command, args] = asServerUser(binaries.postgres, ['-D', dir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
  const server: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `postgres://sise@127.0.0.1:${port}/postgres`;

  const started = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}:\n${log}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() - started > START_TIMEOUT_MS) {
        server.kill('SIGKILL');
        throw new Error(`postgres did not accept connections in ${START_TIMEOUT_MS} ms:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    url,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        // Signal the postmaster itself: `runuser` in between does not pass signals on. SIGINT is PostgreSQL's
        // fast shutdown (roll back and exit at once).
        const postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(Number.isInteger(postmaster) && postmaster > 0 ? postmaster : server.pid!, 'SIGINT');
        const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
