import type { Redis } from 'ioredis';

/**
 * A fixed-window limit shared by every worker through Redis: at most `limit` takes per minute for
 * one key (a lookup source's quota). Returns 0 when this take is allowed, else how many
 * milliseconds to wait for the next window.
 */
export async function takeFromMinuteWindow(
  redis: Redis,
  key: string,
  limit: number,
  now = Date.now(),
): Promise<number> {
  const window = Math.floor(now / 60_000);
  const windowKey = `${key}:${window}`;
  const [[, count]] = (await redis.multi().incr(windowKey).expire(windowKey, 120).exec()) as [[Error | null, number]];
  if (count <= limit) return 0;
  return (window + 1) * 60_000 - now;
}
