import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@partnerwatch/config';
import { SourceDefinitionError } from './schedulers/source-catalog.service';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: config.LOG_LEVEL === 'debug' ? ['debug', 'log', 'warn', 'error'] : ['log', 'warn', 'error'],
  });
  // SIGTERM/SIGINT close the BullMQ workers after their running jobs finish.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}

main().catch((error: unknown) => {
  // A bad source definition is a configuration mistake: say what it is, without a stack trace.
  const definition = error instanceof SourceDefinitionError;
  const detail = definition ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`worker failed to start: ${detail}\n`);
  process.exit(definition ? 78 : 1);
});
