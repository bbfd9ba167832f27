import { describe, expect, it } from 'vitest';
import {
  type Assessment,
  bearerMatches,
  blockResponse,
  extractInput,
  parseHours,
  rateLimitHeaders,
  validateSummaryAccess,
} from '../src/index.js';

describe('extractInput', () => {
  it('reads OpenAI-style messages with string and part contents first', () => {
    const body = {
      model: 'gpt-x',
      temperature: 0.2,
      user: 'u-1',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
      ],
    };
    const out = extractInput(body)!;
    expect(out.text.split('\n').slice(0, 4)).toEqual(['system', 'You are helpful.', 'user', 'text']);
    expect(out.text).toContain('Hello');
    expect(out.text.indexOf('Hello')).toBeLessThan(out.text.indexOf('gpt-x'));
    expect(out.truncated).toBe(false);
  });

  it('reads prompt and input fields, and other string leaves after them', () => {
    expect(extractInput({ extra: 'b', prompt: 'a' })!.text).toBe('a\nb');
    expect(extractInput({ input: ['one', 'two'] })!.text).toBe('one\ntwo');
    expect(extractInput('raw text body')!.text).toBe('raw text body');
    expect(extractInput(Buffer.from('buffer body'))!.text).toBe('buffer body');
    expect(extractInput({ n: 1, b: true })).toBeUndefined();
    expect(extractInput(undefined)).toBeUndefined();
    expect(extractInput(42)).toBeUndefined();
  });

  it('stops at the budget and reports the size it saw', () => {
    const out = extractInput({ prompt: 'x'.repeat(1000), more: 'y'.repeat(1000) }, 100)!;
    expect(out.text.length).toBeLessThanOrEqual(100);
    expect(out.truncated).toBe(true);
  });

  it('survives deep nesting, cycles and huge arrays without recursion', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => extractInput(deep)).not.toThrow();
    const cyclic: Record<string, unknown> = { prompt: 'p' };
    cyclic.self = cyclic;
    expect(extractInput(cyclic)!.text).toBe('p');
    const wide = { list: Array.from({ length: 1_000_000 }, (_, i) => i) };
    expect(extractInput(wide)).toBeUndefined();
  });
});

const limited: Assessment = {
  action: 'block',
  blocked: true,
  status: 429,
  score: 0,
  severity: 'medium',
  threats: [{ type: 'rate_limit', severity: 'medium', detail: 'd', key: 'k', evidence: {} }],
  matches: [],
  retryAfterMs: 12_300,
  rateLimit: { limit: 100, remaining: 0, count: 101, windowMs: 60_000, resetMs: 12_300 },
  key: 'k',
  mode: 'enforce',
};

describe('responses', () => {
  it('answers a rate limit with 429, Retry-After and RateLimit headers as problem+json', () => {
    const r = blockResponse(limited);
    expect(r.status).toBe(429);
    expect(r.headers).toMatchObject({
      'Retry-After': '13',
      'RateLimit-Policy': '100;w=60',
      RateLimit: 'limit=100, remaining=0, reset=13',
      'Content-Type': 'application/problem+json; charset=utf-8',
    });
    expect(r.body).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Rate limit exceeded. Retry after 13 s.',
    });
  });

  it('answers suspicious input with 403 and says nothing about the rules', () => {
    const r = blockResponse({
      ...limited,
      status: 403,
      threats: [
        {
          type: 'suspicious_input',
          severity: 'high',
          detail: 'd',
          key: 'k',
          evidence: { rules: ['xss.script-tag'] },
        },
      ],
    });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toContain('xss');
    expect(r.headers['Retry-After']).toBeUndefined();
  });

  it('has no rate headers without rate state', () => {
    const { rateLimit: _, ...rest } = limited;
    expect(rateLimitHeaders(rest)).toEqual({});
  });
});

describe('summary access', () => {
  it('compares bearer tokens exactly', () => {
    const token = 'a-very-long-secret-token';
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Basic ${token}`, token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });

  it('refuses to be created without protection unless public is said', () => {
    expect(() => validateSummaryAccess({})).toThrow(/needs protection/);
    expect(() => validateSummaryAccess({ token: 'short' })).toThrow(/16 characters/);
    expect(() => validateSummaryAccess({ public: true })).not.toThrow();
    expect(() => validateSummaryAccess({ authorize: () => true })).not.toThrow();
  });

  it('parses ?hours=', () => {
    expect(parseHours(undefined, 24)).toBe(24);
    expect(parseHours('6', 24)).toBe(6);
    expect(parseHours('0.5', 24)).toBe(0.5);
    expect(parseHours('0', 24)).toBeNull();
    expect(parseHours('abc', 24)).toBeNull();
    expect(parseHours(['1', '2'], 24)).toBeNull();
    expect(parseHours('99999', 24)).toBeNull();
  });
});
