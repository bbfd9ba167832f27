import { Redis } from 'ioredis';

/** Where the Redis tests connect: `REDIS_URL`, default redis://127.0.0.1:6379. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis answers. Locally an unreachable Redis skips its tests with a visible message;
 * under CI=true it is a failure, never a silent skip.
 */
export async function redisReachable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export const reachable = await redisReachable();
if (!reachable) {
  const message = `Redis is not reachable at ${REDIS_URL}.`;
  if (process.env.CI === 'true')
    throw new Error(`${message} Under CI=true the Redis tests must run: start Redis or set REDIS_URL.`);
  process.stderr.write(
    `\n[skip] ${message} The Redis tests are skipped (start Redis or set REDIS_URL to run them).\n\n`,
  );
}

/** Delete every key under a prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
