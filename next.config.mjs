/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server (server/index.ts) owns the HTTP port; Next only renders pages and API routes.
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages stay outside the bundle: they are loaded by the companion process, never by a page.
  serverExternalPackages: ['pino', 'socket.io', 'ws'],
  // `npm test` type-checks the whole project (pages and server) with tsc first; repeating it inside every
  // build would double the build time of `npm start` for nothing.
  typescript: { ignoreBuildErrors: true },
  // forbidden() from next/navigation: a dashboard URL the user may not see answers HTTP 403, not a 200 page.
  experimental: { authInterrupts: true },
};

export default nextConfig;
