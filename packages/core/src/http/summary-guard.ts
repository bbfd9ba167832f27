import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../errors.js';

/** Protection of the summary endpoint: a bearer token, a custom check, or explicitly public. */
export interface SummaryAccessOptions<Req> {
  /** Bearer token expected in `Authorization: Bearer <token>`. At least 16 characters. */
  token?: string;
  /** Custom check, e.g. your session middleware's user role. Runs when no token matched. */
  authorize?: (req: Req) => boolean | Promise<boolean>;
  /** Serve without any check. Must be said explicitly. Defaults to `false`. */
  public?: boolean;
  /** Default window when `?hours=` is absent. Defaults to `24`. */
  hours?: number;
}

/** Validate summary-handler options at creation; throws a {@link ConfigError} naming the option. */
export function validateSummaryAccess<Req>(options: SummaryAccessOptions<Req> | undefined): void {
  const o = options ?? {};
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length < 16)) {
    throw new ConfigError(
      'summary.token',
      'expected a string of at least 16 characters (use a random secret).',
    );
  }
  if (o.authorize !== undefined && typeof o.authorize !== 'function') {
    throw new ConfigError('summary.authorize', 'expected a function (req) => boolean | Promise<boolean>.');
  }
  if (o.public !== undefined && typeof o.public !== 'boolean') {
    throw new ConfigError('summary.public', 'expected true or false.');
  }
  if (o.token === undefined && o.authorize === undefined && o.public !== true) {
    throw new ConfigError(
      'summary',
      'the summary shows attacker addresses and inputs, so it needs protection: give `token` (bearer) or `authorize(req)`, or say `public: true` to serve it unprotected.',
    );
  }
  if (o.hours !== undefined && !(typeof o.hours === 'number' && o.hours > 0 && o.hours <= 8784)) {
    throw new ConfigError(
      'summary.hours',
      `expected a number of hours in (0, 8784], got ${String(o.hours)}.`,
    );
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Timing-safe check of `Authorization: Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) return false;
  // Compare digests: equal length whatever the input, so the time says nothing about the token.
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Parse `?hours=`; `undefined` means "use the default", `null` means invalid. */
export function parseHours(value: unknown, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,4}(?:\.\d{1,3})?$/.test(value)) return null;
  const hours = Number(value);
  return hours > 0 && hours <= 8784 ? hours : null;
}

/**
 * Decide access to the summary: public, a matching bearer token, or `authorize(req)` returning
 * true. A throwing `authorize` denies.
 */
export async function summaryAccessAllowed<Req>(
  options: SummaryAccessOptions<Req>,
  req: Req,
  authorization: string | undefined,
): Promise<boolean> {
  if (options.public === true) return true;
  if (options.token !== undefined && bearerMatches(authorization, options.token)) return true;
  if (options.authorize !== undefined) {
    try {
      return (await options.authorize(req)) === true;
    } catch {
      return false;
    }
  }
  return false;
}
