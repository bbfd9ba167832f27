import { describe, expect, it } from 'vitest';
import { ConfigError, createMonitor, resolveOptions, silentLogger } from '../src/index.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('options', () => {
  it('has documented defaults', () => {
    const o = resolveOptions({ env: {} });
    expect(o.modelName).toBe('model');
    expect(o.mode).toBe('monitor');
    expect(o.thresholds).toEqual({
      maxRequestsPerMinute: 100,
      suspiciousPatternThreshold: 0.8,
      failedAttemptsThreshold: 5,
    });
    expect(o.windowMs).toBe(60_000);
    expect(o.failureStatuses(401)).toBe(true);
    expect(o.failureStatuses(403)).toBe(true);
    expect(o.failureStatuses(404)).toBe(false);
    expect(o.log).toEqual({ dir: './logs', format: 'text', level: 'info', maxExcerptLength: 200 });
    expect(o.rateLimitHeaders).toBe(false);
    expect(o.alerts.email).toBe(false);
    expect(o.alerts.minSeverity).toBe('high');
  });

  it("accepts the seed's snake_case names", () => {
    const o = resolveOptions({
      model_name: 'production_model',
      alert_thresholds: {
        max_requests_per_minute: 50,
        suspicious_pattern_threshold: 0.7,
        failed_attempts_threshold: 3,
      },
      env: {},
    } as never);
    expect(o.modelName).toBe('production_model');
    expect(o.thresholds).toEqual({
      maxRequestsPerMinute: 50,
      suspiciousPatternThreshold: 0.7,
      failedAttemptsThreshold: 3,
    });
  });

  it('refuses the same option spelled two ways', () => {
    const e = errorOf(() => resolveOptions({ modelName: 'a', model_name: 'b' } as never));
    expect(e.option).toBe('modelName');
    expect(e.message).toMatch(/given twice/);
  });

  it.each([
    [{ mode: 'block' }, 'mode', /'monitor', 'enforce'/],
    [
      { thresholds: { maxRequestsPerMinute: -1 } },
      'thresholds.maxRequestsPerMinute',
      /positive whole number, got -1/,
    ],
    [{ thresholds: { maxRequestsPerMinute: 1.5 } }, 'thresholds.maxRequestsPerMinute', /got 1.5/],
    [{ thresholds: { suspiciousPatternThreshold: 2 } }, 'thresholds.suspiciousPatternThreshold', /\(0, 1\]/],
    [
      { thresholds: { failedAttempts: 3 } },
      'thresholds.failedAttempts',
      /Did you mean `failedAttemptsThreshold`/,
    ],
    [{ maxRequestPerMinute: 10 }, 'maxRequestPerMinute', /unknown option/],
    [{ modelName: '../etc' }, 'modelName', /file name/],
    [{ windowMs: '60s' }, 'windowMs', /got "60s"/],
    [{ failureStatuses: [401, 'teapot'] }, 'failureStatuses[1]', /'4xx'/],
    [{ allow: ['10.0.0.0/33'] }, 'allow[0]', /prefix length/],
    [{ deny: ['not-an-ip'] }, 'deny[0]', /IP or CIDR/],
    [{ log: { format: 'xml' } }, 'log.format', /'text', 'json'/],
    [{ routes: { 'v1/chat': {} } }, "routes['v1/chat']", /METHOD \/path/],
    [
      { routes: { '/v1/chat': { thresholds: { maxRequestsPerMinute: 0 } } } },
      "routes['/v1/chat'].thresholds.maxRequestsPerMinute",
      /positive/,
    ],
    [{ alerts: { minSeverity: 'urgent' } }, 'alerts.minSeverity', /'critical'/],
    [{ alerts: { webhooks: ['ftp://x'] } }, 'alerts.webhooks[0].url', /http/],
    [
      { alerts: { email: { recipients: [], smtp: { server: 'h', sender: 'a@b.c' } } } },
      'alerts.email.recipients',
      /non-empty/,
    ],
    [
      { alerts: { email: { recipients: ['x@y.z'], smtp: { server: 'h', sender: 'a@b.c', username: 'u' } } } },
      'alerts.email.smtp',
      /both/,
    ],
    [{ logger: { info() {} } }, 'logger', /debug/],
    [{ store: {} }, 'store', /hit\(\)/],
    [{ cost: 3 }, 'cost', /function/],
    [{ scorer: { disable: ['nope'] } }, 'scorer.disable', /no rule or family/],
  ])('rejects %j naming `%s`', (options, option, message) => {
    const e = errorOf(() =>
      createMonitor({ env: {}, log: false, logger: silentLogger, ...(options as object) }),
    );
    expect(e.option).toBe(option);
    expect(e.code).toBe('ERR_ASM_INVALID_OPTION');
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`\`${option}\``);
  });

  it('reads the e-mail settings of the original monitor from the environment', () => {
    const o = resolveOptions({
      env: {
        SMTP_SERVER: 'smtp.example.com',
        SMTP_PORT: '2525',
        ALERT_SENDER: 'ai-monitor@example.com',
        ALERT_RECIPIENTS: 'sec@example.com, oncall@example.com',
        SMTP_USERNAME: 'user',
        SMTP_PASSWORD: 'pass',
      },
    });
    expect(o.alerts.email).toEqual({
      recipients: ['sec@example.com', 'oncall@example.com'],
      smtp: {
        server: 'smtp.example.com',
        port: 2525,
        sender: 'ai-monitor@example.com',
        useTls: false,
        username: 'user',
        password: 'pass',
      },
    });
  });

  it('prefers explicit alert options over the environment, and `email: false` turns env off', () => {
    const env = {
      SMTP_SERVER: 'smtp.example.com',
      ALERT_SENDER: 'a@example.com',
      ALERT_RECIPIENTS: 'b@example.com',
    };
    expect(resolveOptions({ env, alerts: { email: false } }).alerts.email).toBe(false);
    const explicit = resolveOptions({
      env,
      alerts: {
        email: {
          recipients: ['c@example.com'],
          smtp: { server: 'mail.local', sender: 'd@example.com', useTls: true },
        },
      },
    });
    expect(explicit.alerts.email !== false && explicit.alerts.email.smtp).toMatchObject({
      server: 'mail.local',
      port: 465,
      useTls: true,
    });
  });

  it('names the environment when an env-derived setting is wrong', () => {
    const e = errorOf(() =>
      resolveOptions({ env: { SMTP_SERVER: 'smtp.example.com', ALERT_SENDER: 'a@example.com' } }),
    );
    expect(e.option).toMatch(/ALERT_RECIPIENTS/);
    const port = errorOf(() => resolveOptions({ env: { SMTP_SERVER: 'h', SMTP_PORT: 'abc' } }));
    expect(port.option).toBe('SMTP_PORT');
  });

  it('parses webhooks given as URLs or settings', () => {
    const o = resolveOptions({
      env: {},
      alerts: {
        webhooks: [
          'https://hooks.example.com/a',
          { url: 'http://127.0.0.1:9/x', secret: 's3cret', format: 'json' },
        ],
      },
    });
    expect(o.alerts.webhooks).toEqual([
      { url: 'https://hooks.example.com/a', headers: {}, format: 'slack', timeoutMs: 5000 },
      { url: 'http://127.0.0.1:9/x', headers: {}, format: 'json', timeoutMs: 5000, secret: 's3cret' },
    ]);
  });

  it('accepts status classes for failures', () => {
    const o = resolveOptions({ env: {}, failureStatuses: ['4xx', 500] });
    expect(o.failureStatuses(404)).toBe(true);
    expect(o.failureStatuses(429)).toBe(true);
    expect(o.failureStatuses(500)).toBe(true);
    expect(o.failureStatuses(502)).toBe(false);
    expect(o.failureStatuses(200)).toBe(false);
  });

  it('sends rate-limit headers by default in enforce mode only', () => {
    expect(resolveOptions({ env: {}, mode: 'enforce' }).rateLimitHeaders).toBe(true);
    expect(resolveOptions({ env: {}, mode: 'enforce', rateLimitHeaders: false }).rateLimitHeaders).toBe(
      false,
    );
  });
});
