import { createHmac, timingSafeEqual } from 'node:crypto';
import { alertSlackText } from './format.js';
import { type Alert, type Notifier, PermanentDeliveryError } from './types.js';

/** Settings of {@link WebhookNotifier} (one resolved `alerts.webhooks` entry). */
export interface WebhookNotifierOptions {
  url: string;
  headers?: Record<string, string>;
  /** Shared secret: adds `X-AI-Security-Timestamp` and `X-AI-Security-Signature`. */
  secret?: string;
  /** `slack` (default): `{ text }`; `json`: the full alert. */
  format?: 'slack' | 'json';
  timeoutMs?: number;
}

/** Headers carrying the signature. */
export const SIGNATURE_HEADER = 'x-ai-security-signature';
export const TIMESTAMP_HEADER = 'x-ai-security-timestamp';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * For receivers: check a webhook's signature and age. `timestamp` and `signature` are the
 * `X-AI-Security-Timestamp` and `X-AI-Security-Signature` headers, `body` the raw request body.
 * Rejects replays older than `toleranceSeconds` (default 300).
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  body: string,
  signature: string | undefined,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Delivers alerts as a JSON POST: a Slack-compatible `{ text }` by default, or the whole alert.
 * 5xx, 429, timeouts and network errors are retried by the alerter; other 4xx are not.
 */
export class WebhookNotifier implements Notifier {
  readonly name: string;

  constructor(private readonly options: WebhookNotifierOptions) {
    this.name = `webhook ${new URL(options.url).host}`;
  }

  async send(alert: Alert): Promise<void> {
    const payload = this.options.format === 'json' ? { alert } : { text: alertSlackText(alert) };
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'ai-security-monitor',
      ...this.options.headers,
    };
    if (this.options.secret !== undefined) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signWebhook(this.options.secret, timestamp, body);
    }
    const res = await fetch(this.options.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    const message = `webhook answered ${res.status}`;
    if (res.status >= 500 || res.status === 429 || res.status === 408) throw new Error(message);
    throw new PermanentDeliveryError(message);
  }
}
