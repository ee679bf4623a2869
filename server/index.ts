/**
 * Composition root for `npm start`: config → server → signals. Everything else lives in sise-server.ts.
 */
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import type { FirstRun } from './auth/auth-service';
import { startSiseServer } from './sise-server';

/** The process must be gone within 5 s of SIGINT/SIGTERM; leave a margin for the runtime's own exit. */
const SHUTDOWN_DEADLINE_MS = 4_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Sise cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = await startSiseServer({ config, logger, web: process.env.SISE_NO_WEB !== '1' });
  logger.info({ url: server.url, sim: config.sim, alwaysOpen: config.simAlwaysOpen }, 'Sise is listening');
  console.log(`\n  Sise is running at ${server.url}\n${signInHint(server.url, server.firstRun)}\n`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/** What a person who just typed `npm start` needs next: where to sign in, or how to create the first account. */
function signInHint(url: string, firstRun: FirstRun | null): string {
  if (firstRun === null) return '';
  switch (firstRun.state) {
    case 'setup':
      return `  First start: create the admin account at\n    ${url}/setup?code=${firstRun.code}\n  (or set SISE_ADMIN_EMAIL and SISE_ADMIN_PASSWORD before starting)\n`;
    case 'admin-created':
      return `  Sign in at ${url}/login as ${firstRun.email} with SISE_ADMIN_PASSWORD\n`;
    case 'ready':
      return `  Sign in at ${url}/login\n`;
  }
}

main().catch((error: unknown) => {
  console.error('Sise failed to start:', error);
  process.exit(1);
});
