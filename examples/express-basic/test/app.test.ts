import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ai-security-monitor/express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BENIGN_PROMPTS, MALICIOUS_PROMPTS } from '../../../scripts/demo-traffic.js';
import { createApp } from '../src/app.js';

const token = 'example-summary-token-123456';
const chat = (content: string) => ({ messages: [{ role: 'user', content }] });

describe('examples/express-basic', () => {
  it('answers benign prompts, flags every demo attack, and summarises them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asm-example-'));
    const { app, security } = createApp({
      summaryToken: token,
      security: { log: { dir }, logger: silentLogger, env: {} },
    });
    for (const prompt of BENIGN_PROMPTS) {
      const res = await request(app).post('/v1/chat/completions').send(chat(prompt)).expect(200);
      expect(res.body.security.action).toBe('allow');
    }
    for (const prompt of MALICIOUS_PROMPTS) {
      const res = await request(app)
        .post('/v1/chat/completions')
        .set('X-Forwarded-For', '203.0.113.66')
        .send(chat(prompt))
        .expect(200);
      expect(res.body.security.action, prompt).toBe('flag');
    }
    const summary = await request(app)
      .get('/security/summary')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(summary.body.byType.suspicious_input).toBe(MALICIOUS_PROMPTS.length);
    expect(summary.body.topKeys[0]).toEqual({ key: '203.0.113.66', count: MALICIOUS_PROMPTS.length });
    await security.close();
    // Every log file of the run (one per UTC day: a run may cross midnight).
    const log = readdirSync(dir)
      .filter((f) => f.startsWith('security_'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
    expect(log.trim().split('\n')).toHaveLength(MALICIOUS_PROMPTS.length);
  });

  it('blocks in enforce mode', async () => {
    const { app, security } = createApp({
      summaryToken: token,
      security: { mode: 'enforce', log: false, logger: silentLogger, env: {} },
    });
    await request(app).post('/v1/chat/completions').send(chat(MALICIOUS_PROMPTS[0]!)).expect(403);
    await security.close();
  });
});
