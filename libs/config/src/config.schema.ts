import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Every environment variable partnerwatch reads, with its default. Nothing else reads process.env. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string({ error: 'is required (a postgresql:// URL)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** Prefix of every BullMQ key; tests use their own. Wrap in {braces} for Redis Cluster. */
  QUEUE_PREFIX: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9:_{}-]+$/, 'may hold letters, digits, : _ - { }')
    .default('pw'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(3000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Seconds; the floor for any source's poll interval. */
  MIN_POLL_INTERVAL_SECONDS: positiveInt.default(10),
  FETCH_TIMEOUT_MS: positiveInt.default(60_000),
  /** Largest export a source may download, in bytes (default 1 GiB). */
  FETCH_MAX_BYTES: positiveInt.default(1024 * 1024 * 1024),
  FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(10).default(3),
  FETCH_USER_AGENT: z.string().default('partnerwatch/0.1 (+supply-chain partner risk monitor)'),
  /** Directory for downloads being parsed; they are deleted once staged. */
  WORK_DIR: z.string().default(''),
  WORKER_CONCURRENCY: positiveInt.default(4),
  NOTIFY_CONCURRENCY: positiveInt.default(16),
  /** Delivery attempts before a delivery is dead-lettered. */
  NOTIFY_MAX_ATTEMPTS: positiveInt.default(12),
  /** First retry delay; each further retry doubles it. */
  NOTIFY_BACKOFF_MS: positiveInt.default(2_000),
  NOTIFY_TIMEOUT_MS: positiveInt.default(10_000),
  /** Quarantine defaults; each source may override them in its `guard`. */
  QUARANTINE_MAX_REMOVED_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  /** Entries one snapshot may remove before it is held for approval; 0 means no limit by count. */
  QUARANTINE_MAX_REMOVED_COUNT: z.coerce.number().int().min(0).default(0),
  QUARANTINE_MAX_ERROR_SHARE: z.coerce.number().min(0).max(1).default(0.01),
  /** Built-in catalog sources to enable, by key, comma-separated (e.g. "ofac-sdn,un-consolidated"). */
  SOURCES_ENABLED: z.string().default(''),
  /** A JSON file of extra source definitions (custom sources) to create or update at worker start. */
  SOURCES_FILE: z.string().default(''),
  /** How often the outbox relay re-enqueues undelivered deliveries (after a crash or Redis loss). */
  OUTBOX_RELAY_INTERVAL_SECONDS: positiveInt.default(30),
});

export type AppConfig = z.infer<typeof configSchema>;
