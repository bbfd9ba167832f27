import type { Notifier } from './alerts/types.js';
import type { ScorerOptions } from './detectors/pattern-scorer.js';
import type { PatternOptions } from './detectors/request-patterns.js';
import { ConfigError } from './errors.js';
import type { Logger } from './logger.js';
import type { MetricsHooks } from './metrics/hooks.js';
import type { Store } from './stores/store.js';
import {
  type Mode,
  type RequestInfo,
  SEVERITIES,
  type Severity,
  THREAT_TYPES,
  type ThreatType,
} from './types.js';

/** The seed's three thresholds. */
export interface Thresholds {
  /** Requests per client per window before `rate_limit`. Defaults to `100`. */
  maxRequestsPerMinute: number;
  /** Input score (0..1) at or above which an input is `suspicious_input`. Defaults to `0.8`. */
  suspiciousPatternThreshold: number;
  /** Failed responses per client per failure window before `repeated_failures`. Defaults to `5`. */
  failedAttemptsThreshold: number;
}

/** Which detectors run. Every one is on by default. */
export interface DetectorSwitches {
  /** Sliding-window rate limit. Defaults to `true`. */
  rateLimit?: boolean;
  /** Pattern scoring of the input. Defaults to `true`. */
  input?: boolean;
  /** Counting failed responses. Defaults to `true`. */
  failures?: boolean;
}

/** Options a route may override. Anything left out is taken from the global options. */
export interface RouteOverrides {
  /** Name of the route's own counters, so that two routes with the same limits count apart. Defaults to the limit and window. */
  name?: string;
  thresholds?: Partial<Thresholds>;
  /** Rate window length for this route in ms. Defaults to the global `windowMs`. */
  windowMs?: number;
  mode?: Mode;
  detectors?: DetectorSwitches;
  /** Scorer tuning for this route (extra rules, disabled rules or families, weights), on top of the global `scorer`. */
  scorer?: ScorerOptions;
}

/** SMTP settings of the e-mail channel. */
export interface SmtpOptions {
  /** SMTP host. Env: `SMTP_SERVER`. */
  server: string;
  /** Defaults to `587` (`465` when `useTls` is `true`). Env: `SMTP_PORT`. */
  port?: number;
  /** `From:` address. Env: `ALERT_SENDER`. */
  sender: string;
  /** `true`: TLS from the first byte (port 465). `false`: STARTTLS when offered. Defaults to `port === 465`. */
  useTls?: boolean;
  /** Env: `SMTP_USERNAME`. */
  username?: string;
  /** Env: `SMTP_PASSWORD`. */
  password?: string;
  /** TLS settings for the connection, e.g. `{ ca }` for a private CA. Certificates are verified by default. */
  tls?: { rejectUnauthorized?: boolean; ca?: string | string[] };
}

export interface EmailAlertOptions {
  /** Who gets alerts. Env: `ALERT_RECIPIENTS` (comma separated). */
  recipients: string[];
  smtp: SmtpOptions;
}

export interface WebhookOptions {
  url: string;
  /** Extra request headers (e.g. an auth token for the receiver). */
  headers?: Record<string, string>;
  /** Shared secret for the `X-AI-Security-Signature` HMAC-SHA256 header. */
  secret?: string;
  /** `slack` (default): a `text` payload; `json`: the full structured alert. */
  format?: 'slack' | 'json';
  /** Request timeout in ms. Defaults to `5000`. */
  timeoutMs?: number;
}

export interface AlertOptions {
  /** E-mail channel. When left out, it is built from the `SMTP_*`/`ALERT_*` env vars if `SMTP_SERVER` is set. `false` turns it off. */
  email?: EmailAlertOptions | false;
  /** Webhook receivers: URLs or full settings. */
  webhooks?: Array<string | WebhookOptions>;
  /** Lowest severity that alerts. Defaults to `'high'`. */
  minSeverity?: Severity;
  /** Quiet time per (threat type, key) after an alert, in ms. Defaults to `300000` (5 minutes). */
  cooldownMs?: number;
  /** Alerts arriving within this window are grouped into one message, in ms. Defaults to `10000`. */
  digestMs?: number;
  /** Link to the summary endpoint, put in every alert. */
  summaryUrl?: string;
  /** More channels: any object with `send(alert): Promise<void>`. */
  notifiers?: Notifier[];
  /** Most incident messages per channel per hour; the rest is told in one final message. Defaults to `20`. */
  maxPerHour?: number;
  /** Delivery attempts per message before it is logged as undelivered. Defaults to `5`. */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each attempt with jitter (up to 60 s). Defaults to `1000`. */
  retryBaseMs?: number;
  /** Messages waiting per channel before new ones are logged as undelivered. Defaults to `1000`. */
  queueSize?: number;
  /** How long `monitor.close()` waits for alerts to be delivered, in ms. Defaults to `10000`. */
  flushTimeoutMs?: number;
  /** A channel failing for this long raises a self-alert on the other channels, in ms. Defaults to `300000`. */
  channelFailureAlertMs?: number;
  /** Periodic report of the incident summary, even when nothing crossed a threshold. */
  report?: { every: 'hourly' | 'daily' | number; hours?: number };
}

export interface LogOptions {
  /** Directory of `security_{modelName}_{YYYY-MM-DD}.log`. Defaults to `'./logs'`. */
  dir?: string;
  /** `text` (default): `timestamp - LEVEL - message`; `json`: one JSON object per line. */
  format?: 'text' | 'json';
  /** Lowest level written. Defaults to `'info'`. */
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Longest input excerpt written, in characters. Defaults to `200`. */
  maxExcerptLength?: number;
}

/** Options of `createMonitor` and of the adapters. Every field is optional. */
export interface MonitorOptions {
  /** Name of the protected model; goes in log file names and alerts. Defaults to `'model'`. Seed: `model_name`. */
  modelName?: string;
  /** `monitor` (default) never blocks; `enforce` blocks. */
  mode?: Mode;
  /** Seed: `alert_thresholds`. */
  thresholds?: Partial<Thresholds>;
  /** Length of the sliding rate window in ms. Defaults to `60000`. */
  windowMs?: number;
  /** Length of the failure-counting window in ms. Defaults to `300000` (5 minutes). */
  failureWindowMs?: number;
  /** Response statuses that count as failures: numbers or classes like `'4xx'`. Defaults to `[401, 403]`. */
  failureStatuses?: Array<number | string>;
  /** How much one request costs against the rate limit. Defaults to `1` for every request. */
  cost?: (info: RequestInfo) => number;
  /** Per-route overrides keyed by `'/path'`, `'METHOD /path'` or a `'/prefix/*'` pattern; `false` turns monitoring off for the route. */
  routes?: Record<string, RouteOverrides | false>;
  /** IPs and CIDRs (v4 and v6) that are never checked. */
  allow?: string[];
  /** IPs and CIDRs that are always `denied_source` (blocked in enforce mode). */
  deny?: string[];
  /** Longest input scored, in bytes; longer input is scored up to this budget and raises `oversized_input`. Defaults to `65536`. */
  maxInputBytes?: number;
  /** Send `RateLimit`/`RateLimit-Policy` headers on every response. Defaults to `true` in enforce mode, `false` in monitor mode. */
  rateLimitHeaders?: boolean;
  /** Where counters and incidents live. Defaults to a new `MemoryStore`. */
  store?: Store;
  /** Incident log file settings; `false` writes no file. */
  log?: LogOptions | false;
  /** Operational logger. Defaults to winston writing warnings to stderr. */
  logger?: Logger;
  /** Alert channels and policy. */
  alerts?: AlertOptions;
  /** Input scorer tuning. */
  scorer?: ScorerOptions;
  /** Environment read for the seed's SMTP variables. Defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Sequence detectors (probing, campaign, spike, enumeration, new IP for a principal, refusals); `false` turns them all off. */
  patterns?: PatternOptions | false;
  /** Per-client risk score: every threat adds to it by severity, and it halves every `halfLifeMs`. */
  risk?: { halfLifeMs?: number; blockAbove?: number };
  /** Temporary bans in enforce mode, escalating for repeat offenders; `false` turns them off. */
  bans?: BanOptions | false;
  /** Principals (API keys, users) whose every request is logged at warning level. */
  watchPrincipals?: string[];
  /** IPv6 clients are keyed by this network prefix, so address rotation inside it is one client. Defaults to `64`. */
  ipv6Prefix?: number;
  /** Metrics collector, e.g. `new PrometheusMetrics()` from `@ai-security-monitor/core/metrics`. */
  metrics?: MetricsHooks;
}

/** When and how long to ban. */
export interface BanOptions {
  /** Threat types that ban (enforce mode only). Defaults to `['repeated_failures', 'rate_limit']`. */
  on?: ThreatType[];
  /** First ban. Defaults to `60000`. */
  baseMs?: number;
  /** Longest ban. Defaults to `86400000`. */
  maxMs?: number;
  /** Offences are remembered this long for escalation. Defaults to `86400000`. */
  memoryMs?: number;
}

/** Options after defaults, aliases and validation. */
export interface ResolvedOptions {
  modelName: string;
  mode: Mode;
  thresholds: Thresholds;
  windowMs: number;
  failureWindowMs: number;
  failureStatuses: (status: number) => boolean;
  failureStatusList: Array<number | string>;
  cost: ((info: RequestInfo) => number) | undefined;
  routes: Record<string, RouteOverrides | false>;
  allow: string[];
  deny: string[];
  maxInputBytes: number;
  rateLimitHeaders: boolean;
  log: Required<LogOptions> | false;
  alerts: ResolvedAlertOptions;
  scorer: ScorerOptions;
  patterns: PatternOptions | false;
  risk: { halfLifeMs: number; blockAbove: number | undefined };
  bans: Required<BanOptions> | false;
  watchPrincipals: string[];
  ipv6Prefix: number;
  metrics: MetricsHooks | undefined;
}

export interface ResolvedAlertOptions {
  email:
    | (EmailAlertOptions & {
        smtp: Required<Omit<SmtpOptions, 'username' | 'password' | 'tls'>> & SmtpOptions;
      })
    | false;
  webhooks: Array<Required<Omit<WebhookOptions, 'secret'>> & Pick<WebhookOptions, 'secret'>>;
  minSeverity: Severity;
  cooldownMs: number;
  digestMs: number;
  summaryUrl: string | undefined;
  notifiers: Notifier[];
  maxPerHour: number;
  maxAttempts: number;
  retryBaseMs: number;
  queueSize: number;
  flushTimeoutMs: number;
  channelFailureAlertMs: number;
  report: { everyMs: number; hours: number } | undefined;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  maxRequestsPerMinute: 100,
  suspiciousPatternThreshold: 0.8,
  failedAttemptsThreshold: 5,
});

const TOP_LEVEL_KEYS = [
  'modelName',
  'mode',
  'thresholds',
  'windowMs',
  'failureWindowMs',
  'failureStatuses',
  'cost',
  'routes',
  'allow',
  'deny',
  'maxInputBytes',
  'rateLimitHeaders',
  'store',
  'log',
  'logger',
  'alerts',
  'scorer',
  'env',
  'patterns',
  'risk',
  'bans',
  'watchPrincipals',
  'ipv6Prefix',
  'metrics',
] as const;

/** Seed (snake_case) names that do not map to their plain camelCase form. */
const SPECIAL_ALIASES: Record<string, string> = {
  alert_thresholds: 'thresholds',
  email_config: 'email',
  smtp_server: 'server',
  smtp_port: 'port',
  alert_sender: 'sender',
  alert_recipients: 'recipients',
  smtp_username: 'username',
  smtp_password: 'password',
};

function camelCase(key: string): string {
  return SPECIAL_ALIASES[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Accept the seed's snake_case spellings (`model_name`, `alert_thresholds`,
 * `max_requests_per_minute`, …) at every level. Functions, arrays and class instances are kept as they are.
 */
export function normalizeAliases(value: unknown, path = ''): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [rawKey, rawValue] of Object.entries(value)) {
    if (rawValue === undefined) continue;
    const key = rawKey.includes('_') ? camelCase(rawKey) : rawKey;
    const childPath = path ? `${path}.${key}` : key;
    // `routes` keys are paths, not option names: keep them, normalise the values.
    const normalized =
      path === 'routes' || key === 'headers' || key === 'env'
        ? rawValue
        : normalizeAliases(rawValue, childPath);
    if (key in out) {
      throw new ConfigError(
        childPath,
        `given twice, as \`${origin[key]}\` and as \`${rawKey}\`. Keep one spelling.`,
      );
    }
    out[key] = normalized;
    origin[key] = rawKey;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = key.toLowerCase();
  const contained = known.find((c) => lower.length >= 4 && c.toLowerCase().includes(lower));
  if (contained !== undefined) return ` Did you mean \`${contained}\`?`;
  for (const candidate of known) {
    const d = levenshtein(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3))
    ? ` Did you mean \`${best}\`?`
    : ` Known options: ${known.join(', ')}.`;
}

/** Throws for keys of `obj` that are not in `known`, suggesting the closest one. */
export function rejectUnknownKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      const full = path ? `${path}.${key}` : key;
      throw new ConfigError(full, `unknown option.${suggest(key, known)}`);
    }
  }
}

function expectObject(path: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new ConfigError(path, `expected an object, got ${describe(value)}.`);
  }
  return value;
}

function positiveInt(path: string, value: unknown, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(path, `expected a positive whole number, got ${describe(value)}. ${fix}`);
  }
  return value;
}

function nonNegativeInt(path: string, value: unknown, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(path, `expected a whole number >= 0, got ${describe(value)}. ${fix}`);
  }
  return value;
}

function fraction(path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    throw new ConfigError(
      path,
      `expected a number in (0, 1], got ${describe(value)}. Scores run from 0 to 1; 0.8 is the default.`,
    );
  }
  return value;
}

function nonEmptyString(path: string, value: unknown, fix: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(path, `expected a non-empty string, got ${describe(value)}. ${fix}`);
  }
  return value;
}

function oneOf<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(
      path,
      `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}.`,
    );
  }
  return value as T;
}

function bool(path: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(path, `expected true or false, got ${describe(value)}.`);
  }
  return value;
}

function parseThresholds(path: string, raw: unknown, base: Thresholds): Thresholds {
  const obj = expectObject(path, raw);
  rejectUnknownKeys(
    obj,
    ['maxRequestsPerMinute', 'suspiciousPatternThreshold', 'failedAttemptsThreshold'],
    path,
  );
  const out = { ...base };
  if (obj.maxRequestsPerMinute !== undefined) {
    out.maxRequestsPerMinute = positiveInt(
      `${path}.maxRequestsPerMinute`,
      obj.maxRequestsPerMinute,
      'Use e.g. 100; turn the limit off with `detectors: { rateLimit: false }`.',
    );
  }
  if (obj.suspiciousPatternThreshold !== undefined) {
    out.suspiciousPatternThreshold = fraction(
      `${path}.suspiciousPatternThreshold`,
      obj.suspiciousPatternThreshold,
    );
  }
  if (obj.failedAttemptsThreshold !== undefined) {
    out.failedAttemptsThreshold = positiveInt(
      `${path}.failedAttemptsThreshold`,
      obj.failedAttemptsThreshold,
      'Use e.g. 5.',
    );
  }
  return out;
}

function parseDetectors(path: string, raw: unknown): DetectorSwitches {
  const obj = expectObject(path, raw);
  rejectUnknownKeys(obj, ['rateLimit', 'input', 'failures'], path);
  const out: DetectorSwitches = {};
  for (const name of ['rateLimit', 'input', 'failures'] as const) {
    if (obj[name] !== undefined) out[name] = bool(`${path}.${name}`, obj[name]);
  }
  return out;
}

/** Validate one route's overrides (from `routes` or an adapter's per-route middleware). */
export function parseRoute(path: string, raw: unknown, base: Thresholds): RouteOverrides | false {
  if (raw === false) return false;
  const obj = expectObject(path, normalizeAliases(raw));
  rejectUnknownKeys(obj, ['name', 'thresholds', 'windowMs', 'mode', 'detectors', 'scorer'], path);
  const out: RouteOverrides = {};
  if (obj.name !== undefined) out.name = nonEmptyString(`${path}.name`, obj.name, "Use e.g. 'embeddings'.");
  if (obj.thresholds !== undefined)
    out.thresholds = parseThresholds(`${path}.thresholds`, obj.thresholds, base);
  if (obj.windowMs !== undefined) {
    out.windowMs = positiveInt(
      `${path}.windowMs`,
      obj.windowMs,
      'A window is given in milliseconds, e.g. 60000.',
    );
  }
  if (obj.mode !== undefined) out.mode = oneOf(`${path}.mode`, obj.mode, ['monitor', 'enforce'] as const);
  if (obj.detectors !== undefined) out.detectors = parseDetectors(`${path}.detectors`, obj.detectors);
  if (obj.scorer !== undefined) out.scorer = expectObject(`${path}.scorer`, obj.scorer) as ScorerOptions;
  return out;
}

const STATUS_CLASS = /^[1-5]xx$/;

function parseFailureStatuses(
  path: string,
  raw: unknown,
): {
  list: Array<number | string>;
  test: (status: number) => boolean;
} {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ConfigError(
      path,
      `expected a non-empty array like [401, 403] or ['4xx'], got ${describe(raw)}.`,
    );
  }
  const exact = new Set<number>();
  const classes = new Set<number>();
  raw.forEach((entry, i) => {
    if (typeof entry === 'number' && Number.isInteger(entry) && entry >= 100 && entry <= 599) {
      exact.add(entry);
    } else if (typeof entry === 'string' && STATUS_CLASS.test(entry)) {
      classes.add(Number(entry[0]));
    } else if (typeof entry === 'string' && /^[1-5]\d\d$/.test(entry)) {
      exact.add(Number(entry));
    } else {
      throw new ConfigError(
        `${path}[${i}]`,
        `expected an HTTP status (100..599) or a class like '4xx', got ${describe(entry)}.`,
      );
    }
  });
  return {
    list: raw as Array<number | string>,
    test: (status) => exact.has(status) || classes.has(Math.floor(status / 100)),
  };
}

function parseEmail(path: string, raw: unknown): ResolvedAlertOptions['email'] {
  const obj = expectObject(path, raw);
  rejectUnknownKeys(obj, ['recipients', 'smtp'], path);
  let recipients = obj.recipients;
  if (typeof recipients === 'string') recipients = splitList(recipients);
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new ConfigError(
      `${path}.recipients`,
      `expected a non-empty list of e-mail addresses, got ${describe(obj.recipients)}. Env: ALERT_RECIPIENTS=a@x.org,b@x.org.`,
    );
  }
  recipients.forEach((r, i) => {
    if (typeof r !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(r)) {
      throw new ConfigError(`${path}.recipients[${i}]`, `expected an e-mail address, got ${describe(r)}.`);
    }
  });
  const smtp = expectObject(`${path}.smtp`, obj.smtp);
  rejectUnknownKeys(
    smtp,
    ['server', 'port', 'sender', 'useTls', 'username', 'password', 'tls'],
    `${path}.smtp`,
  );
  const server = nonEmptyString(
    `${path}.smtp.server`,
    smtp.server,
    'Give the SMTP host, e.g. smtp.example.com (env SMTP_SERVER).',
  );
  const useTlsGiven = smtp.useTls === undefined ? undefined : bool(`${path}.smtp.useTls`, smtp.useTls);
  let port: number;
  if (smtp.port === undefined) port = useTlsGiven ? 465 : 587;
  else {
    port = positiveInt(`${path}.smtp.port`, smtp.port, 'Use 587 (STARTTLS), 465 (TLS) or 25.');
    if (port > 65535) throw new ConfigError(`${path}.smtp.port`, `expected a port up to 65535, got ${port}.`);
  }
  const sender = nonEmptyString(
    `${path}.smtp.sender`,
    smtp.sender,
    'Give the From: address (env ALERT_SENDER).',
  );
  if (!/^[^\s@]+@[^\s@]+$/.test(sender) && !/<[^\s@]+@[^\s@]+>/.test(sender)) {
    throw new ConfigError(`${path}.smtp.sender`, `expected an e-mail address, got ${describe(sender)}.`);
  }
  const out: NonNullable<ResolvedAlertOptions['email']> = {
    recipients: recipients as string[],
    smtp: { server, port, sender, useTls: useTlsGiven ?? port === 465 },
  };
  if (smtp.username !== undefined) {
    out.smtp.username = nonEmptyString(`${path}.smtp.username`, smtp.username, 'Env: SMTP_USERNAME.');
  }
  if (smtp.password !== undefined) {
    if (typeof smtp.password !== 'string') {
      throw new ConfigError(`${path}.smtp.password`, 'expected a string.');
    }
    out.smtp.password = smtp.password;
  }
  if (smtp.tls !== undefined) {
    const tls = expectObject(`${path}.smtp.tls`, smtp.tls);
    rejectUnknownKeys(tls, ['rejectUnauthorized', 'ca'], `${path}.smtp.tls`);
    out.smtp.tls = {};
    if (tls.rejectUnauthorized !== undefined) {
      out.smtp.tls.rejectUnauthorized = bool(`${path}.smtp.tls.rejectUnauthorized`, tls.rejectUnauthorized);
    }
    if (tls.ca !== undefined) {
      if (
        typeof tls.ca !== 'string' &&
        !(Array.isArray(tls.ca) && tls.ca.every((c) => typeof c === 'string'))
      ) {
        throw new ConfigError(`${path}.smtp.tls.ca`, 'expected a PEM string or an array of them.');
      }
      out.smtp.tls.ca = tls.ca as string | string[];
    }
  }
  if ((out.smtp.username === undefined) !== (out.smtp.password === undefined)) {
    throw new ConfigError(`${path}.smtp`, 'give both `username` and `password`, or neither.');
  }
  return out;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The seed's e-mail settings from the environment, when `SMTP_SERVER` is set. */
function emailFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  const server = env.SMTP_SERVER;
  if (!server) return undefined;
  const smtp: Record<string, unknown> = { server, sender: env.ALERT_SENDER };
  if (env.SMTP_PORT) {
    const port = Number(env.SMTP_PORT);
    if (!Number.isInteger(port)) {
      throw new ConfigError(
        'SMTP_PORT',
        `expected a port number in the environment, got ${describe(env.SMTP_PORT)}.`,
      );
    }
    smtp.port = port;
  }
  if (env.SMTP_USERNAME) smtp.username = env.SMTP_USERNAME;
  if (env.SMTP_PASSWORD) smtp.password = env.SMTP_PASSWORD;
  if (env.SMTP_USE_TLS) smtp.useTls = env.SMTP_USE_TLS === 'true' || env.SMTP_USE_TLS === '1';
  return { recipients: splitList(env.ALERT_RECIPIENTS ?? ''), smtp };
}

function parseWebhook(path: string, raw: unknown): ResolvedAlertOptions['webhooks'][number] {
  const obj = typeof raw === 'string' ? { url: raw } : expectObject(path, raw);
  rejectUnknownKeys(obj, ['url', 'headers', 'secret', 'format', 'timeoutMs'], path);
  const url = nonEmptyString(
    `${path}.url`,
    obj.url,
    'Give the receiver URL, e.g. https://hooks.example.com/ai.',
  );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${path}.url`, `expected an absolute http(s) URL, got ${describe(url)}.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${path}.url`, `expected an http or https URL, got ${describe(url)}.`);
  }
  const headers: Record<string, string> = {};
  if (obj.headers !== undefined) {
    for (const [k, v] of Object.entries(expectObject(`${path}.headers`, obj.headers))) {
      headers[k] = nonEmptyString(`${path}.headers.${k}`, v, 'Header values are strings.');
    }
  }
  const out: ResolvedAlertOptions['webhooks'][number] = {
    url,
    headers,
    format:
      obj.format === undefined ? 'slack' : oneOf(`${path}.format`, obj.format, ['slack', 'json'] as const),
    timeoutMs:
      obj.timeoutMs === undefined ? 5000 : positiveInt(`${path}.timeoutMs`, obj.timeoutMs, 'Use e.g. 5000.'),
  };
  if (obj.secret !== undefined) {
    out.secret = nonEmptyString(
      `${path}.secret`,
      obj.secret,
      'Use a long random string shared with the receiver.',
    );
  }
  return out;
}

function parseAlerts(raw: unknown, env: Record<string, string | undefined>): ResolvedAlertOptions {
  const obj = raw === undefined ? {} : expectObject('alerts', raw);
  rejectUnknownKeys(
    obj,
    [
      'email',
      'webhooks',
      'minSeverity',
      'cooldownMs',
      'digestMs',
      'summaryUrl',
      'notifiers',
      'maxPerHour',
      'maxAttempts',
      'retryBaseMs',
      'queueSize',
      'flushTimeoutMs',
      'channelFailureAlertMs',
      'report',
    ],
    'alerts',
  );
  let notifiers: Notifier[] = [];
  if (obj.notifiers !== undefined) {
    if (!Array.isArray(obj.notifiers)) {
      throw new ConfigError(
        'alerts.notifiers',
        `expected an array of objects with send(alert), got ${describe(obj.notifiers)}.`,
      );
    }
    obj.notifiers.forEach((n, i) => {
      if (typeof n !== 'object' || n === null || typeof (n as { send?: unknown }).send !== 'function') {
        throw new ConfigError(
          `alerts.notifiers[${i}]`,
          'expected an object with a send(alert) method returning a promise.',
        );
      }
    });
    notifiers = obj.notifiers as Notifier[];
  }
  let report: ResolvedAlertOptions['report'];
  if (obj.report !== undefined) {
    const r = expectObject('alerts.report', obj.report);
    rejectUnknownKeys(r, ['every', 'hours'], 'alerts.report');
    let everyMs: number;
    if (r.every === 'hourly') everyMs = 3_600_000;
    else if (r.every === 'daily') everyMs = 86_400_000;
    else
      everyMs = positiveInt(
        'alerts.report.every',
        r.every,
        "Use 'hourly', 'daily' or a number of milliseconds.",
      );
    const hours =
      r.hours === undefined
        ? Math.max(1, Math.round(everyMs / 3_600_000))
        : positiveInt('alerts.report.hours', r.hours, 'Use e.g. 24.');
    report = { everyMs, hours };
  }
  let email: ResolvedAlertOptions['email'] = false;
  if (obj.email !== undefined && obj.email !== false) {
    email = parseEmail('alerts.email', obj.email);
  } else if (obj.email === undefined) {
    const fromEnv = emailFromEnv(env);
    if (fromEnv)
      email = parseEmail('alerts.email (from SMTP_SERVER, ALERT_SENDER, ALERT_RECIPIENTS)', fromEnv);
  }
  let webhooks: ResolvedAlertOptions['webhooks'] = [];
  if (obj.webhooks !== undefined) {
    if (!Array.isArray(obj.webhooks)) {
      throw new ConfigError(
        'alerts.webhooks',
        `expected an array of URLs or webhook settings, got ${describe(obj.webhooks)}.`,
      );
    }
    webhooks = obj.webhooks.map((w, i) => parseWebhook(`alerts.webhooks[${i}]`, w));
  }
  return {
    email,
    webhooks,
    minSeverity:
      obj.minSeverity === undefined ? 'high' : oneOf('alerts.minSeverity', obj.minSeverity, SEVERITIES),
    cooldownMs:
      obj.cooldownMs === undefined
        ? 300_000
        : nonNegativeInt('alerts.cooldownMs', obj.cooldownMs, 'Use e.g. 300000 (5 minutes).'),
    digestMs:
      obj.digestMs === undefined
        ? 10_000
        : nonNegativeInt('alerts.digestMs', obj.digestMs, 'Use e.g. 10000; 0 sends at once.'),
    summaryUrl:
      obj.summaryUrl === undefined
        ? undefined
        : nonEmptyString(
            'alerts.summaryUrl',
            obj.summaryUrl,
            'Give the URL where the summary endpoint is mounted.',
          ),
    notifiers,
    maxPerHour:
      obj.maxPerHour === undefined
        ? 20
        : positiveInt('alerts.maxPerHour', obj.maxPerHour, 'Use e.g. 20 messages per hour.'),
    maxAttempts:
      obj.maxAttempts === undefined
        ? 5
        : positiveInt('alerts.maxAttempts', obj.maxAttempts, 'Use e.g. 5 attempts.'),
    retryBaseMs:
      obj.retryBaseMs === undefined
        ? 1000
        : positiveInt('alerts.retryBaseMs', obj.retryBaseMs, 'Use e.g. 1000 ms.'),
    queueSize:
      obj.queueSize === undefined ? 1000 : positiveInt('alerts.queueSize', obj.queueSize, 'Use e.g. 1000.'),
    flushTimeoutMs:
      obj.flushTimeoutMs === undefined
        ? 10_000
        : nonNegativeInt('alerts.flushTimeoutMs', obj.flushTimeoutMs, 'Use e.g. 10000 ms.'),
    channelFailureAlertMs:
      obj.channelFailureAlertMs === undefined
        ? 300_000
        : nonNegativeInt(
            'alerts.channelFailureAlertMs',
            obj.channelFailureAlertMs,
            'Use e.g. 300000 (5 minutes).',
          ),
    report,
  };
}

function parseLog(raw: unknown): ResolvedOptions['log'] {
  if (raw === false) return false;
  const obj = raw === undefined ? {} : expectObject('log', raw);
  rejectUnknownKeys(obj, ['dir', 'format', 'level', 'maxExcerptLength'], 'log');
  return {
    dir:
      obj.dir === undefined
        ? './logs'
        : nonEmptyString('log.dir', obj.dir, 'Give a directory path, e.g. ./logs.'),
    format: obj.format === undefined ? 'text' : oneOf('log.format', obj.format, ['text', 'json'] as const),
    level:
      obj.level === undefined
        ? 'info'
        : oneOf('log.level', obj.level, ['debug', 'info', 'warn', 'error'] as const),
    maxExcerptLength:
      obj.maxExcerptLength === undefined
        ? 200
        : positiveInt('log.maxExcerptLength', obj.maxExcerptLength, 'Use e.g. 200 characters.'),
  };
}

function parseStringList(path: string, raw: unknown): string[] {
  if (!Array.isArray(raw))
    throw new ConfigError(path, `expected an array of IPs or CIDRs, got ${describe(raw)}.`);
  return raw.map((entry, i) =>
    nonEmptyString(`${path}[${i}]`, entry, "Use e.g. '203.0.113.7' or '10.0.0.0/8'."),
  );
}

/** The scorer's own options are validated by the scorer; here only their shape. */
function parseScorer(raw: unknown): ScorerOptions {
  if (raw === undefined) return {};
  return expectObject('scorer', raw) as ScorerOptions;
}

/**
 * Validate options once, at creation: aliases resolved, defaults applied, and a
 * {@link ConfigError} naming the option, the value and the fix for anything wrong.
 */
export function resolveOptions(input: MonitorOptions | undefined): ResolvedOptions {
  if (input !== undefined && !isPlainObject(input)) {
    throw new ConfigError('options', `expected an options object, got ${describe(input)}.`);
  }
  const raw = normalizeAliases(input ?? {}) as Record<string, unknown>;
  rejectUnknownKeys(raw, TOP_LEVEL_KEYS, '');

  const env =
    raw.env === undefined
      ? process.env
      : (expectObject('env', raw.env) as Record<string, string | undefined>);
  const modelName =
    raw.modelName === undefined
      ? 'model'
      : nonEmptyString('modelName', raw.modelName, "Name the model you protect, e.g. 'production_model'.");
  if (!/^[\w.-]{1,100}$/.test(modelName)) {
    throw new ConfigError(
      'modelName',
      `expected letters, digits, '_', '-' or '.' (it becomes part of a file name), got ${describe(modelName)}.`,
    );
  }
  const mode = raw.mode === undefined ? 'monitor' : oneOf('mode', raw.mode, ['monitor', 'enforce'] as const);
  const thresholds =
    raw.thresholds === undefined
      ? { ...DEFAULT_THRESHOLDS }
      : parseThresholds('thresholds', raw.thresholds, DEFAULT_THRESHOLDS);

  const routes: Record<string, RouteOverrides | false> = {};
  if (raw.routes !== undefined) {
    for (const [pattern, override] of Object.entries(expectObject('routes', raw.routes))) {
      if (!/^(?:[A-Z]+ )?\//.test(pattern)) {
        throw new ConfigError(
          `routes['${pattern}']`,
          "a route is '/path', 'METHOD /path' or '/prefix/*', e.g. 'POST /v1/embeddings'.",
        );
      }
      routes[pattern] = parseRoute(`routes['${pattern}']`, override, thresholds);
    }
  }
  const failure =
    raw.failureStatuses === undefined
      ? parseFailureStatuses('failureStatuses', [401, 403])
      : parseFailureStatuses('failureStatuses', raw.failureStatuses);

  if (raw.cost !== undefined && typeof raw.cost !== 'function') {
    throw new ConfigError('cost', `expected a function (info) => number, got ${describe(raw.cost)}.`);
  }
  if (raw.logger !== undefined) {
    const l = raw.logger as Record<string, unknown>;
    for (const m of ['debug', 'info', 'warn', 'error']) {
      if (typeof l !== 'object' || l === null || typeof l[m] !== 'function') {
        throw new ConfigError(
          'logger',
          `expected an object with debug, info, warn and error methods; \`${m}\` is missing.`,
        );
      }
    }
  }
  if (raw.store !== undefined) {
    const s = raw.store as Record<string, unknown>;
    for (const m of [
      'hit',
      'addFailure',
      'appendIncident',
      'listIncidents',
      'recent',
      'distinct',
      'baseline',
      'addRisk',
      'ban',
      'unban',
      'listBans',
      'close',
    ]) {
      if (typeof s !== 'object' || s === null || typeof s[m] !== 'function') {
        throw new ConfigError(
          'store',
          `expected a Store (MemoryStore, RedisStore or your own); \`${m}()\` is missing.`,
        );
      }
    }
  }

  const patterns =
    raw.patterns === undefined
      ? {}
      : raw.patterns === false
        ? false
        : (expectObject('patterns', raw.patterns) as PatternOptions);
  if (patterns !== false) {
    rejectUnknownKeys(
      patterns as Record<string, unknown>,
      ['probing', 'campaign', 'spike', 'enumeration', 'newIpForPrincipal', 'refusals'],
      'patterns',
    );
    for (const [name, value] of Object.entries(patterns)) {
      if (value === false || value === undefined) continue;
      for (const [k, v] of Object.entries(expectObject(`patterns.${name}`, value))) {
        positiveInt(`patterns.${name}.${k}`, v, 'Use a positive whole number.');
      }
    }
  }
  const riskRaw = raw.risk === undefined ? {} : expectObject('risk', raw.risk);
  rejectUnknownKeys(riskRaw, ['halfLifeMs', 'blockAbove'], 'risk');
  const risk = {
    halfLifeMs:
      riskRaw.halfLifeMs === undefined
        ? 3_600_000
        : positiveInt('risk.halfLifeMs', riskRaw.halfLifeMs, 'Use e.g. 3600000 (1 hour).'),
    blockAbove:
      riskRaw.blockAbove === undefined
        ? undefined
        : positiveInt('risk.blockAbove', riskRaw.blockAbove, 'Use e.g. 50.'),
  };
  let bans: ResolvedOptions['bans'] = false;
  if (raw.bans !== false) {
    const b = raw.bans === undefined ? {} : expectObject('bans', raw.bans);
    rejectUnknownKeys(b, ['on', 'baseMs', 'maxMs', 'memoryMs'], 'bans');
    let on: ThreatType[] = ['repeated_failures', 'rate_limit'];
    if (b.on !== undefined) {
      if (!Array.isArray(b.on))
        throw new ConfigError('bans.on', `expected an array of threat types, got ${describe(b.on)}.`);
      on = b.on.map((t, i) => oneOf(`bans.on[${i}]`, t, THREAT_TYPES));
    }
    bans = {
      on,
      baseMs: b.baseMs === undefined ? 60_000 : positiveInt('bans.baseMs', b.baseMs, 'Use e.g. 60000.'),
      maxMs:
        b.maxMs === undefined ? 86_400_000 : positiveInt('bans.maxMs', b.maxMs, 'Use e.g. 86400000 (a day).'),
      memoryMs:
        b.memoryMs === undefined
          ? 86_400_000
          : positiveInt('bans.memoryMs', b.memoryMs, 'Use e.g. 86400000.'),
    };
  }
  const watchPrincipals =
    raw.watchPrincipals === undefined ? [] : parseStringList('watchPrincipals', raw.watchPrincipals);
  const ipv6Prefix =
    raw.ipv6Prefix === undefined ? 64 : positiveInt('ipv6Prefix', raw.ipv6Prefix, 'Use 48, 56, 64 or 128.');
  if (ipv6Prefix > 128) throw new ConfigError('ipv6Prefix', `expected at most 128, got ${ipv6Prefix}.`);
  if (raw.metrics !== undefined) {
    for (const m of ['inspected', 'threat', 'alert', 'storeHealth']) {
      if (typeof (raw.metrics as Record<string, unknown>)[m] !== 'function') {
        throw new ConfigError(
          'metrics',
          `expected a metrics collector such as new PrometheusMetrics(); \`${m}()\` is missing.`,
        );
      }
    }
  }

  return {
    modelName,
    mode,
    thresholds,
    windowMs:
      raw.windowMs === undefined
        ? 60_000
        : positiveInt('windowMs', raw.windowMs, 'A window is given in milliseconds, e.g. 60000.'),
    failureWindowMs:
      raw.failureWindowMs === undefined
        ? 300_000
        : positiveInt(
            'failureWindowMs',
            raw.failureWindowMs,
            'A window is given in milliseconds, e.g. 300000.',
          ),
    failureStatuses: failure.test,
    failureStatusList: failure.list,
    cost: raw.cost as ResolvedOptions['cost'],
    routes,
    allow: raw.allow === undefined ? [] : parseStringList('allow', raw.allow),
    deny: raw.deny === undefined ? [] : parseStringList('deny', raw.deny),
    maxInputBytes:
      raw.maxInputBytes === undefined
        ? 65_536
        : positiveInt('maxInputBytes', raw.maxInputBytes, 'Use e.g. 65536 (64 KiB).'),
    rateLimitHeaders:
      raw.rateLimitHeaders === undefined
        ? mode === 'enforce'
        : bool('rateLimitHeaders', raw.rateLimitHeaders),
    log: parseLog(raw.log),
    alerts: parseAlerts(raw.alerts, env),
    scorer: parseScorer(raw.scorer),
    patterns,
    risk,
    bans,
    watchPrincipals,
    ipv6Prefix,
    metrics: raw.metrics as MetricsHooks | undefined,
  };
}
