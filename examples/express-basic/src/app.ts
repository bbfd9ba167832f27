import {
  type AiSecurityMiddleware,
  aiSecurity,
  type ExpressSecurityOptions,
} from '@ai-security-monitor/express';
import express, { type Express } from 'express';

export interface ExampleOptions {
  /** Options for the security middleware. */
  security?: ExpressSecurityOptions;
  /** Bearer token for the summary endpoint. */
  summaryToken: string;
}

/**
 * An inference-style API: a chat-completions endpoint returning a canned answer, a model list,
 * and a token endpoint that answers 401 to a wrong key (so failed attempts are visible).
 */
export function createApp({ security: options = {}, summaryToken }: ExampleOptions): {
  app: Express;
  security: AiSecurityMiddleware;
} {
  const app = express();
  // Behind a load balancer, trust only it; the demo sends from 127.0.0.1 with X-Forwarded-For.
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '1mb' }));

  const security = aiSecurity({ modelName: 'production_model', ...options });
  app.use(security);

  app.post('/v1/chat/completions', (req, res) => {
    res.json({
      id: 'chatcmpl-demo',
      object: 'chat.completion',
      model: 'production_model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'This is a canned answer.' },
          finish_reason: 'stop',
        },
      ],
      // Apps can read what the monitor saw, e.g. to log or to route flagged requests to review.
      security: { action: req.aiSecurity?.action, score: req.aiSecurity?.score },
    });
  });

  app.get('/v1/models', (_req, res) => {
    res.json({ object: 'list', data: [{ id: 'production_model', object: 'model' }] });
  });

  app.post('/v1/auth/token', (req, res) => {
    if (req.body?.apiKey === 'demo-key-ok') res.json({ token: 'short-lived-token' });
    else res.status(401).json({ error: 'invalid api key' });
  });

  app.get('/security/summary', security.summary({ token: summaryToken }));

  return { app, security };
}
