import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@partnerwatch/config';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApiApp(config);
  await app.listen(config.API_PORT, config.API_HOST);
  new Logger('Api').log(`partnerwatch API listening on http://${config.API_HOST}:${config.API_PORT}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
