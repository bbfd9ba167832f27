/**
 * One benchmark server in its own process (forked by compare.ts). argv[2] is the variant.
 * Env: LIMIT (requests per window; huge for throughput runs), WINDOW_MS, TRUST_PROXY=1 (believe
 * X-Forwarded-For from loopback), REDIS_URL, PREFIX. Talks to its parent over IPC: sends
 * `{ port }` when listening; answers 'stats' with CPU, RSS and heap (after GC when exposed).
 */
import { createServer } from 'node:http';
import { RedisStore } from '@ai-security-monitor/core/redis';
import { aiSecurity as expressSecurity, silentLogger } from '@ai-security-monitor/express';
import { aiSecurity as koaSecurity } from '@ai-security-monitor/koa';
import { bodyParser } from '@koa/bodyparser';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { Redis } from 'ioredis';
import Koa from 'koa';
import ratelimit from 'koa-ratelimit';
import { RedisStore as RateLimitRedisStore } from 'rate-limit-redis';
import { RateLimiterMemory } from 'rate-limiter-flexible';

const variant = process.argv[2] ?? 'express-bare';
const limit = Number(process.env.LIMIT ?? 1_000_000_000);
const windowMs = Number(process.env.WINDOW_MS ?? 60_000);
const trustProxy = process.env.TRUST_PROXY === '1';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.PREFIX ?? `bench-${process.pid}:`;
const mode: 'monitor' | 'enforce' = process.env.MODE === 'enforce' ? 'enforce' : 'monitor';
const answer = { choices: [{ message: { role: 'assistant', content: 'ok' } }] };

let redis: Redis | undefined;
const sharedRedis = () => {
  redis ??= new Redis(redisUrl);
  return redis;
};

function monitorOptions(withRedis: boolean) {
  return {
    modelName: 'bench',
    mode,
    log: false as const,
    logger: silentLogger,
    env: {},
    windowMs,
    thresholds: { maxRequestsPerMinute: limit },
    ...(process.env.PATTERNS === '0' ? { patterns: false as const } : {}),
    ...(withRedis ? { store: new RedisStore({ url: redisUrl, prefix }) } : {}),
  };
}

function expressApp() {
  const app = express();
  if (trustProxy) app.set('trust proxy', 'loopback');
  app.use(express.json());
  switch (variant) {
    case 'express-bare':
      break;
    case 'express-rate-limit':
      app.use(rateLimit({ windowMs, limit, standardHeaders: 'draft-7', legacyHeaders: false }));
      break;
    case 'express-rate-limit-redis':
      app.use(
        rateLimit({
          windowMs,
          limit,
          standardHeaders: 'draft-7',
          legacyHeaders: false,
          store: new RateLimitRedisStore({
            prefix,
            sendCommand: (command: string, ...args: string[]) =>
              sharedRedis().call(command, ...args) as never,
          }),
        }),
      );
      break;
    case 'express-rate-limiter-flexible': {
      const limiter = new RateLimiterMemory({ points: limit, duration: Math.ceil(windowMs / 1000) });
      app.use((req, res, next) => {
        limiter
          .consume(req.ip ?? 'unknown')
          .then(() => next())
          .catch(() => res.status(429).end());
      });
      break;
    }
    case 'express-asm':
      app.use(expressSecurity(monitorOptions(false)));
      break;
    case 'express-asm-redis':
      app.use(expressSecurity(monitorOptions(true)));
      break;
    default:
      throw new Error(`unknown variant ${variant}`);
  }
  app.post('/v1/chat/completions', (_req, res) => {
    res.json(answer);
  });
  return createServer(app);
}

function koaApp() {
  const app = new Koa();
  app.proxy = trustProxy;
  app.use(bodyParser());
  switch (variant) {
    case 'koa-bare':
      break;
    case 'koa-ratelimit':
      app.use(
        ratelimit({ driver: 'memory', db: new Map(), duration: windowMs, max: limit, id: (ctx) => ctx.ip }),
      );
      break;
    case 'koa-asm':
      app.use(koaSecurity(monitorOptions(false)));
      break;
    case 'koa-asm-redis':
      app.use(koaSecurity(monitorOptions(true)));
      break;
    default:
      throw new Error(`unknown variant ${variant}`);
  }
  app.use((ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/v1/chat/completions') ctx.body = answer;
  });
  return createServer(app.callback());
}

const server = variant.startsWith('koa') ? koaApp() : expressApp();
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (m) => {
  if (m === 'stats') {
    gc?.();
    gc?.();
    const mem = process.memoryUsage();
    process.send?.({ cpu: process.cpuUsage(), rss: mem.rss, heap: mem.heapUsed });
  }
  if (m === 'stop') {
    server.close(() => {
      redis?.disconnect();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 2000).unref();
  }
});
