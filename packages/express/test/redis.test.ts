import { silentLogger } from '@ai-security-monitor/core';
import { RedisStore } from '@ai-security-monitor/core/redis';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, REDIS_URL, reachable } from '../../core/test/redis.js';
import { aiSecurity } from '../src/index.js';

const prefix = `asm-test-express-${process.pid}-${Date.now()}:`;
afterAll(async () => {
  if (reachable) await dropPrefix(prefix);
});

describe.skipIf(!reachable)('two Express instances sharing one Redis', () => {
  it('hit the limit together at exactly the configured count', async () => {
    const apps = [0, 1].map(() => {
      const app = express();
      app.set('trust proxy', 'loopback');
      const security = aiSecurity({
        log: false,
        logger: silentLogger,
        env: {},
        mode: 'enforce',
        thresholds: { maxRequestsPerMinute: 6 },
        store: new RedisStore({ url: REDIS_URL, prefix, logger: silentLogger }),
      });
      app.use(security);
      app.get('/v1/models', (_req, res) => {
        res.json({ data: [] });
      });
      return { app, security };
    });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { app } = apps[i % 2]!;
      const res = await request(app).get('/v1/models').set('X-Forwarded-For', '203.0.113.200');
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    for (const { security } of apps) {
      await security.close();
      await security.monitor.store.close();
    }
  });
});
