/**
 * Every broker secret the e2e server holds: the simulators' secrets its environment sessions use, the demo
 * credentials users link in e2e/linked-accounts.spec.ts, the admin's password, and the server's own sealing key
 * (from DATA_DIR/secret.key, in the encodings a leak would use).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SIM_API_KEY as BO_API_KEY } from '../server/brokers/bo/simulator';
import { SIM_APP_SECRET as KIS_SECRET, SIM_ISSUED_CREDENTIALS as KIS_DEMO } from '../server/brokers/kis/simulator';
import { SIM_ISSUED_CREDENTIALS as KIWOOM_DEMO, SIM_SECRET_KEY as KIWOOM_SECRET } from '../server/brokers/kiwoom/simulator';
import { SIM_CREDENTIALS as UPBIT, SIM_ISSUED_CREDENTIALS as UPBIT_DEMO } from '../server/brokers/upbit/simulator';
import type { NamedSecret } from './secret-scan';
import { ADMIN } from './users';

export function configuredSecrets(dataDir: string): NamedSecret[] {
  const secrets: NamedSecret[] = [
    { name: 'KIS simulator app secret (SIM_APP_SECRET)', value: KIS_SECRET },
    { name: 'Kiwoom simulator secret key (SIM_SECRET_KEY)', value: KIWOOM_SECRET },
    { name: 'Upbit simulator secret key (SIM_CREDENTIALS.secretKey)', value: UPBIT.secretKey },
    { name: 'BO simulator API key (SIM_API_KEY)', value: BO_API_KEY },
    { name: 'KIS demo credentials app secret', value: KIS_DEMO.appSecret },
    { name: 'Kiwoom demo credentials secret key', value: KIWOOM_DEMO.secretKey },
    { name: 'Upbit demo credentials secret key', value: UPBIT_DEMO.secretKey },
    { name: 'the e2e admin password', value: ADMIN.password },
  ];
  const keyFile = path.join(dataDir, 'secret.key');
  if (existsSync(keyFile)) {
    const key = readFileSync(keyFile);
    secrets.push(
      { name: 'the server sealing key (hex)', value: key.toString('hex') },
      { name: 'the server sealing key (base64)', value: key.toString('base64') },
    );
  }
  return secrets;
}
