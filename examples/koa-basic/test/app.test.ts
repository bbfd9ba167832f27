import { silentLogger } from '@ai-security-monitor/koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BENIGN_PROMPTS, MALICIOUS_PROMPTS } from '../../../scripts/demo-traffic.js';
import { createApp } from '../src/app.js';

const token = 'example-summary-token-123456';
const chat = (content: string) => ({ messages: [{ role: 'user', content }] });

describe('examples/koa-basic', () => {
  it('answers benign prompts, flags every demo attack, and summarises them', async () => {
    const { app, security } = createApp({
      summaryToken: token,
      security: { log: false, logger: silentLogger, env: {} },
    });
    const handler = app.callback();
    for (const prompt of BENIGN_PROMPTS) {
      const res = await request(handler).post('/v1/chat/completions').send(chat(prompt)).expect(200);
      expect(res.body.security.action, prompt).toBe('allow');
    }
    for (const prompt of MALICIOUS_PROMPTS) {
      const res = await request(handler)
        .post('/v1/chat/completions')
        .set('X-Forwarded-For', '203.0.113.66')
        .send(chat(prompt))
        .expect(200);
      expect(res.body.security.action, prompt).toBe('flag');
    }
    const summary = await request(handler)
      .get('/security/summary')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(summary.body.byType.suspicious_input).toBe(MALICIOUS_PROMPTS.length);
    await security.close();
  });

  it('blocks in enforce mode', async () => {
    const { app, security } = createApp({
      summaryToken: token,
      security: { mode: 'enforce', log: false, logger: silentLogger, env: {} },
    });
    await request(app.callback()).post('/v1/chat/completions').send(chat(MALICIOUS_PROMPTS[0]!)).expect(403);
    await security.close();
  });
});
