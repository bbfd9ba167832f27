/** A benchmark server in its own process: `bare`, `monitor` (memory store) or `redis` (RedisStore). Reports CPU when asked. */
import { RedisStore } from '@ai-security-monitor/core/redis';
import { aiSecurity, silentLogger } from '@ai-security-monitor/express';
import express from 'express';

const variant = process.argv[2] ?? 'bare';
const app = express();
app.use(express.json());
if (variant === 'monitor' || variant === 'redis') {
  app.use(
    aiSecurity({
      modelName: 'bench',
      log: false,
      logger: silentLogger,
      env: {},
      thresholds: { maxRequestsPerMinute: 1_000_000_000 },
      ...(variant === 'redis'
        ? {
            store: new RedisStore({
              url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
              prefix: `bench-${process.pid}:`,
            }),
          }
        : {}),
    }),
  );
}
app.post('/v1/chat/completions', (_req, res) => {
  res.json({ choices: [{ message: { role: 'assistant', content: 'ok' } }] });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.on('message', (m) => {
  if (m === 'cpu') process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (m === 'stop') server.close(() => process.exit(0));
});
