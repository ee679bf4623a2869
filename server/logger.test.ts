import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

const SECRETS = {
  appSecret: 'kis-app-secret-0123456789',
  secretKey: 'kiwoom-secret-key-abcdef',
  secretkey: 'kiwoom-wire-secret-key',
  appsecret: 'kis-header-secret',
  password: 'correct horse battery staple',
  token: 'session-token-zyx',
  authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
  approval_key: '2b1d7a36-approval-key',
  sealedCredentials: 'v1.abcd1234.iv.body.tag',
};

/** Logs through the real logger (the same paths and censor as production) and returns every written line. */
function logged(write: (logger: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  write(logger);
  return lines.join('');
}

describe('logger redaction', () => {
  it('never writes a secret, at the top level or nested in objects a caller might log', () => {
    const output = logged((logger) => {
      logger.info({ ...SECRETS }, 'top level');
      logger.info({ credentials: { ...SECRETS } }, 'one level down');
      logger.info({ request: { headers: { authorization: SECRETS.authorization, cookie: 'sise_session=abc' } } }, 'headers');
      logger.child({ broker: 'kis' }).warn({ options: { rest: { appSecret: SECRETS.appSecret, appKey: 'PSkey' } } }, 'three levels down');
    });
    expect(output.split('\n').filter(Boolean)).toHaveLength(4);
    for (const secret of [...Object.values(SECRETS), 'sise_session=abc', 'PSkey']) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
  });

  it('keeps what is not secret, so logs stay useful', () => {
    const output = logged((logger) => logger.info({ broker: 'kiwoom', accountIds: ['kiwoom:5098765432'], linkId: 'abc' }, 'broker credentials linked'));
    expect(output).toContain('kiwoom:5098765432');
    expect(output).toContain('broker credentials linked');
  });
});
