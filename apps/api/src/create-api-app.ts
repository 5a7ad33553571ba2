import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@partnerwatch/config';
import { ApiModule } from './api.module';
import { installBigIntJson } from './common/json';
import { createValidationPipe } from './common/validation';

/** Builds the API application; used by main.ts, the demo and the integration tests alike. */
export async function createApiApp(config: AppConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  installBigIntJson();
  const app = await NestFactory.create(ApiModule.forRoot(config), {
    logger: options.logger === false ? false : ['log', 'warn', 'error'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  return app;
}
