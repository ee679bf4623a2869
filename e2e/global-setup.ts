/**
 * Starts the real server (`server/index.ts`, the same entry as `npm start`) on a free port with the simulated
 * brokers, hands its URL to the specs through SISE_E2E_URL, and on teardown checks that SIGTERM shuts it
 * down cleanly (exit 0 within 5 s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from '@playwright/test';
import { ADMIN } from './users';
import { scanFailure, scanTraffic } from './secret-scan';
import { configuredSecrets } from './secret-scan-secrets';
import { TRAFFIC_DIR_ENV } from './traffic-recorder';
import { tmpdir } from 'node:os';
import path from 'node:path';

const START_TIMEOUT_MS = 60_000;
const SHUTDOWN_LIMIT_MS = 5_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '..');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sise-e2e-'));
  // Every test's HTTP bodies and WebSocket frames land here (e2e/traffic-recorder.ts); teardown scans them.
  const trafficDir = mkdtempSync(path.join(tmpdir(), 'sise-e2e-traffic-'));
  process.env[TRAFFIC_DIR_ENV] = trafficDir;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SIM: 'on',
      SIM_ALWAYS_OPEN: 'on',
      LOG_LEVEL: 'warn',
      // The headless way to the first admin (README → Configuration); the sign-in specs use it too.
      SISE_ADMIN_EMAIL: ADMIN.email,
      SISE_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stderr.write(chunk);
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Sise is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before it listened:\n${output}`)));
  });
  process.env.SISE_E2E_URL = url;

  // One admin session for every spec's default page, saved as Playwright storage state (the cookie).
  const statePath = path.join(mkdtempSync(path.join(tmpdir(), 'sise-e2e-state-')), 'admin.json');
  const api = await request.newContext({ baseURL: url });
  const signedIn = await api.post('/api/auth/login', { data: ADMIN });
  if (!signedIn.ok()) throw new Error(`admin sign-in failed: ${signedIn.status()} ${await signedIn.text()}`);
  await api.storageState({ path: statePath });
  await api.dispose();
  process.env.SISE_E2E_ADMIN_STATE = statePath;

  return async () => {
    // Scanned before the shutdown checks, reported after them: a leak must not leave the server running.
    const scan = scanTraffic(trafficDir, configuredSecrets(dataDir));
    const leak = scanFailure(scan, trafficDir);
    if (!leak) {
      console.log(`secret scan: ${scan.httpBodies} HTTP bodies and ${scan.wsFrames} WebSocket frames in ${scan.files} tests, no broker secret found`);
      // Kept only when the scan failed: then the message names the file to look at.
      rmSync(trafficDir, { recursive: true, force: true });
    }
    if (child.exitCode !== null) throw new Error(`server died during the run (exit ${child.exitCode}):\n${output}`);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), SHUTDOWN_LIMIT_MS + 1_000));
    const result = await Promise.race([exited, timeout]);
    if (result === 'timeout') {
      child.kill('SIGKILL');
      throw new Error('server did not exit within 5 s of SIGTERM');
    }
    if (result !== 0) throw new Error(`server exited with ${result} after SIGTERM`);
    if (Date.now() - started > SHUTDOWN_LIMIT_MS) throw new Error('server took more than 5 s to shut down');
    if (leak) throw leak;
  };
}
