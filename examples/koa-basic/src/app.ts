import { type AiSecurityMiddleware, aiSecurity, type KoaSecurityOptions } from '@ai-security-monitor/koa';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';

export interface ExampleOptions {
  /** Options for the security middleware. */
  security?: KoaSecurityOptions;
  /** Bearer token for the summary endpoint. */
  summaryToken: string;
}

/**
 * The same inference-style API as examples/express-basic, on Koa: a chat-completions endpoint
 * returning a canned answer, a model list, and a token endpoint that answers 401 to a wrong key.
 */
export function createApp({ security: options = {}, summaryToken }: ExampleOptions): {
  app: Koa;
  security: AiSecurityMiddleware;
} {
  const app = new Koa();
  // Behind a load balancer, trust it; the demo sends from 127.0.0.1 with X-Forwarded-For.
  app.proxy = true;
  app.use(bodyParser());

  const security = aiSecurity({ modelName: 'production_model', ...options });
  app.use(security);

  const router = new Router();
  router.post('/v1/chat/completions', (ctx) => {
    const seen = ctx.state.aiSecurity as { action?: string; score?: number } | undefined;
    ctx.body = {
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
      security: { action: seen?.action, score: seen?.score },
    };
  });
  router.get('/v1/models', (ctx) => {
    ctx.body = { object: 'list', data: [{ id: 'production_model', object: 'model' }] };
  });
  router.post('/v1/auth/token', (ctx) => {
    const body = (ctx.request as unknown as { body?: { apiKey?: string } }).body;
    if (body?.apiKey === 'demo-key-ok') ctx.body = { token: 'short-lived-token' };
    else {
      ctx.status = 401;
      ctx.body = { error: 'invalid api key' };
    }
  });
  router.get('/security/summary', security.summary({ token: summaryToken }));
  app.use(router.routes());
  return { app, security };
}
