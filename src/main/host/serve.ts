/**
 * `npm run serve -- [--port N] [--db PATH] [--host ADDRESS] [--tls-cert FILE --tls-key FILE] [--allow-host NAME]…`:
 * the browser host over the catalogue. Prints one line, `Open <url with the secret>`, to open.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../errors';
import { CatalogueService } from '../service';
import { startHttpHost } from './httpHost';
import { isLoopback } from './security';

const USAGE = 'Usage: npm run serve -- [--port N] [--db PATH] [--host ADDRESS] [--tls-cert FILE --tls-key FILE] [--allow-host NAME]';

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '5178' },
      db: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'allow-host': { type: 'string', multiple: true, default: [] },
    },
  }));
} catch (error) {
  console.error(`error: ${messageOf(error)}\n${USAGE}`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: --port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
  console.error(`error: --tls-cert and --tls-key go together\n${USAGE}`);
  process.exit(2);
}
try {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  const tls = certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined;
  const service = CatalogueService.open(values.db);
  const host = await startHttpHost(service, {
    port,
    host: values.host,
    tls,
    allowedHosts: values['allow-host'],
    rendererDir: resolve(join(import.meta.dirname, '..', '..', '..', 'out', 'renderer')),
  });
  console.log(`Poster Catalogue is serving ${service.dbPath}`);
  console.log(`Open ${host.openUrl}`);
  for (const other of host.otherUrls) console.log(`From another computer: ${other}`);
  console.log('The link holds a secret made for this run: whoever has it can read and change the catalogue.');
  if (!isLoopback(values.host) && !tls) {
    console.log(
      `Warning: bound to ${values.host} over plain HTTP: the secret, the scans and every change cross the network unencrypted. ` +
        'Use it only on a network you trust, or give --tls-cert and --tls-key.',
    );
  }
  const stop = async () => {
    await host.close();
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (error) {
  console.error(`error: ${messageOf(error)}`);
  process.exit(1);
}
