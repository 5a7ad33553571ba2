export * from './queue-names';
export * from './job-options';
export * from './redis-connection';
export * from './queue.module';
export * from './source-schedules';
export * from './rate-limiter';
