import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@partnerwatch/config';

describe('configuration', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1/pw' });
    expect(config).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      API_PORT: 3000,
      QUEUE_PREFIX: 'pw',
      MIN_POLL_INTERVAL_SECONDS: 10,
    });
    expect(config.WORK_DIR).toContain('partnerwatch');
  });

  it('names every bad or missing variable', () => {
    try {
      loadConfig({ API_PORT: 'eighty', REDIS_URL: 'localhost:6379' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('DATABASE_URL is missing');
      expect(message).toContain('API_PORT="eighty"');
      expect(message).toContain('REDIS_URL="localhost:6379" must be a redis:// or rediss:// URL');
    }
  });
});
