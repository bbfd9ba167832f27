import type { Assessment } from '../types.js';

/** An RFC 9457 problem document. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/** What an adapter sends when a request is blocked. */
export interface BlockResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
}

/**
 * `RateLimit` and `RateLimit-Policy` headers (IETF draft 7 style) for an assessment that
 * carries rate state; empty when the rate limit did not run.
 */
export function rateLimitHeaders(assessment: Assessment): Record<string, string> {
  const rate = assessment.rateLimit;
  if (rate === undefined) return {};
  const windowSeconds = Math.ceil(rate.windowMs / 1000);
  return {
    'RateLimit-Policy': `${rate.limit};w=${windowSeconds}`,
    RateLimit: `limit=${rate.limit}, remaining=${rate.remaining}, reset=${Math.ceil(rate.resetMs / 1000)}`,
  };
}

/**
 * The response for a blocked request: 429 with `Retry-After` for rate limits, 403 for denied
 * sources and suspicious input, 503 when the store is down and the policy is fail-closed. The
 * body says what kind of block it was, never which rule matched (that would teach an attacker).
 */
export function blockResponse(assessment: Assessment): BlockResponse {
  const status = assessment.status ?? 403;
  const headers: Record<string, string> = {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Cache-Control': 'no-store',
  };
  let body: ProblemDetails;
  if (status === 429) {
    const seconds = Math.max(1, Math.ceil((assessment.retryAfterMs ?? 1000) / 1000));
    headers['Retry-After'] = String(seconds);
    Object.assign(headers, rateLimitHeaders(assessment));
    body = {
      type: 'about:blank',
      title: 'Too Many Requests',
      status,
      detail: `Rate limit exceeded. Retry after ${seconds} s.`,
    };
  } else if (status === 503) {
    headers['Retry-After'] = '5';
    body = {
      type: 'about:blank',
      title: 'Service Unavailable',
      status,
      detail: 'Security checks are unavailable.',
    };
  } else {
    const denied = assessment.threats.some((t) => t.type === 'denied_source');
    body = {
      type: 'about:blank',
      title: 'Forbidden',
      status,
      detail: denied
        ? 'Requests from this source are not accepted.'
        : 'The request was refused by a security policy.',
    };
  }
  return { status, headers, body };
}
