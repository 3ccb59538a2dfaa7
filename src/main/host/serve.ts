/** `npm run serve -- [--port N] [--db PATH] [--host ADDRESS]`: the browser host over the catalogue. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../errors';
import { CatalogueService } from '../service';
import { startHttpHost } from './httpHost';

let values;
try {
  ({ values } = parseArgs({ options: { port: { type: 'string', default: '5178' }, db: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } } }));
} catch (error) {
  console.error(`error: ${messageOf(error)}\nUsage: npm run serve -- [--port N] [--db PATH] [--host ADDRESS]`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: --port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
try {
  const service = CatalogueService.open(values.db);
  const host = await startHttpHost(service, {
    port,
    host: values.host,
    rendererDir: resolve(join(import.meta.dirname, '..', '..', '..', 'out', 'renderer')),
  });
  console.log(`Poster Catalogue is serving ${service.dbPath} at ${host.url}`);
  if (host.token) console.log(`Bound beyond this computer: clients need the token ${host.token} (Authorization: Bearer …, or ?token=…)`);
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
