/**
 * Two instances on two ports (PORT_A, PORT_B; defaults 3001 and 3002) sharing one Redis
 * (REDIS_URL, default redis://127.0.0.1:6379). Put any load balancer in front of them.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createInstance } from './app.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const summaryToken = process.env.SUMMARY_TOKEN ?? randomBytes(24).toString('hex');
const ports = [Number(process.env.PORT_A ?? 3001), Number(process.env.PORT_B ?? 3002)];

const instances = ports.map((port, i) => {
  const instance = createInstance({ name: `instance-${i + 1}`, redisUrl, summaryToken });
  const server: Server = instance.app.listen(port, '127.0.0.1', () => {
    console.log(`instance-${i + 1} on http://127.0.0.1:${port} (Redis ${redisUrl})`);
  });
  return { ...instance, server };
});
console.log(
  `Summary (either instance): curl -H "Authorization: Bearer ${summaryToken}" http://127.0.0.1:${ports[0]}/security/summary`,
);

async function shutdown(): Promise<void> {
  for (const { server, security, store } of instances) {
    await new Promise((resolve) => server.close(resolve));
    await security.close();
    await store.close();
  }
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
