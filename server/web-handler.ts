/**
 * Mounts the Next.js App Router (production build) as a plain request handler, so pages, API routes and
 * Socket.IO share one HTTP server and one port.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import next from 'next';

export interface WebHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

export async function createWebHandler(options: { dir: string; hostname: string; port: number }): Promise<WebHandler> {
  const app = next({ dev: false, dir: options.dir, hostname: options.hostname, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  return {
    handle: (req, res) => handle(req, res),
    close: async () => {
      await app.close();
    },
  };
}
