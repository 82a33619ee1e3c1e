import Redis from 'ioredis';

/** Fails with one readable line when Redis does not answer PING. */
export async function verifyRedis(redisUrl: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${redisUrl}: ${(error as Error).message}`, { cause: error });
  } finally {
    client.disconnect();
  }
}
