/**
 * The real entry point as a user runs it: a bad variable stops start-up with a message naming it; SIGTERM
 * shuts a running server down with exit code 0 within 5 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function startEntry(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    // No web pages: these tests are about the process, and must not need a `next build`.
    env: {
      ...process.env,
      SISE_NO_WEB: '1',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sise-entry-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('server entry point', () => {
  it('refuses to start with a bad variable and says which one and what it accepts', async () => {
    const run = startEntry({ PORT: 'eighty', SIM: 'sometimes' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('PORT="eighty": expected a whole number from 0 to 65535');
    expect(run.output()).toContain('SIM="sometimes": expected "on" or "off"');
  });

  it('stops with the database driver\'s reason when DATABASE_URL cannot be reached', async () => {
    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
    const run = startEntry({ PORT: '0', DATABASE_URL: 'postgres://sise@127.0.0.1:9/sise' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/ECONNREFUSED/);
  });

  it('exits 0 within 5 s of SIGTERM while clients are connected', async () => {
    // The headless first run: an admin and its API token from the environment, as a deployment would set them.
    const token = 'entry-test-token-0123456789abcdef';
    const run = startEntry({ PORT: '0', SISE_ADMIN_EMAIL: 'ops@sise.test', SISE_ADMIN_PASSWORD: 'ops-password-1', SISE_API_TOKEN: token });
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /Sise is running at (\S+)/.exec(run.output())?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url, run.output()).toBeDefined();
    const { connectClient } = await import('./relay/test-socket');
    expect(run.output()).toContain(`Sign in at ${url}/login as ops@sise.test`);
    const socket = await connectClient(url!, { token });
    await socket.timeout(5_000).emitWithAck('subscribe', { symbols: ['KRX:005930'] });

    const sentAt = Date.now();
    run.child.kill('SIGTERM');
    const code = await run.exited;
    expect(code, run.output()).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    socket.disconnect();
  });
});
