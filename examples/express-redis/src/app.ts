import { RedisStore } from '@ai-security-monitor/core/redis';
import {
  type AiSecurityMiddleware,
  aiSecurity,
  type ExpressSecurityOptions,
} from '@ai-security-monitor/express';
import express, { type Express } from 'express';

export interface InstanceOptions {
  /** Name of this instance, returned in responses so you can see which one answered. */
  name: string;
  redisUrl: string;
  summaryToken: string;
  /** Key prefix shared by every instance of the app. */
  prefix?: string;
  security?: ExpressSecurityOptions;
}

/**
 * One instance of the inference API. Every instance points at the same Redis with the same
 * prefix, so a client's limit, failures and incidents are the same whichever instance it reaches.
 */
export function createInstance(options: InstanceOptions): {
  app: Express;
  security: AiSecurityMiddleware;
  store: RedisStore;
} {
  const store = new RedisStore({ url: options.redisUrl, prefix: options.prefix ?? 'inference-api:' });
  const app = express();
  // Behind a load balancer: trust it (here loopback), so req.ip is the real client.
  app.set('trust proxy', 'loopback');
  app.use(express.json());
  const security = aiSecurity({ modelName: 'production_model', mode: 'enforce', store, ...options.security });
  app.use(security);
  app.post('/v1/chat/completions', (req, res) => {
    res.json({
      instance: options.name,
      answer: 'This is a canned answer.',
      degraded: req.aiSecurity?.degraded ?? false,
    });
  });
  app.get('/security/summary', security.summary({ token: options.summaryToken }));
  return { app, security, store };
}
