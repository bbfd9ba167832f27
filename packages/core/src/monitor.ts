import { randomUUID } from 'node:crypto';
import { Alerter } from './alerts/alerter.js';
import { SmtpNotifier } from './alerts/smtp-notifier.js';
import type { Notifier } from './alerts/types.js';
import { WebhookNotifier } from './alerts/webhook-notifier.js';
import { FailureTracker } from './detectors/failure-tracker.js';
import { PatternScorer, type ScoreResult } from './detectors/pattern-scorer.js';
import { RateWindow } from './detectors/rate-window.js';
import { RequestPatterns } from './detectors/request-patterns.js';
import { IncidentLog } from './incidents/incident-log.js';
import { summarizeIncidents } from './incidents/summary.js';
import { createDefaultLogger, type Logger } from './logger.js';
import { IpList, ipKey, normalizeIp } from './net/ip-list.js';
import {
  type DetectorSwitches,
  type MonitorOptions,
  parseRoute,
  type ResolvedOptions,
  type RouteOverrides,
  resolveOptions,
  type Thresholds,
} from './options.js';
import { MemoryStore } from './stores/memory-store.js';
import { type Ban, type Store, StoreUnavailableError } from './stores/store.js';

const STORE_UNAVAILABLE = new StoreUnavailableError('', '').code;

import {
  type Action,
  type Assessment,
  type Incident,
  type IncidentSummary,
  type Mode,
  maxSeverity,
  type RequestInfo,
  type Severity,
  type Threat,
} from './types.js';
import { LruMap } from './util/lru.js';
import { safeExcerpt } from './util/text.js';

/** Settings in force for one route: the global options with the route's overrides on top. */
export interface RouteProfile {
  /** Namespace of the route's rate counters; `''` for the global profile. */
  readonly id: string;
  readonly enabled: boolean;
  readonly mode: Mode;
  readonly thresholds: Thresholds;
  readonly windowMs: number;
  readonly detectors: Required<DetectorSwitches>;
  /** The route's own scorer, when it tunes the rules; otherwise the monitor's. */
  readonly scorer?: PatternScorer;
}

/** Input of the seed-compatible {@link SecurityMonitor.detectThreat}. */
export interface DetectThreatInput {
  ipAddress: string;
  inputData?: string;
  /** A `Date`, ms since the epoch, or seconds since the epoch (as Python's `time.time()`). */
  timestamp?: Date | number;
}

export interface SummaryQuery {
  /** How far back, in hours. Defaults to `24`. Ignored when `since` is given. */
  hours?: number;
  /** Start of the window (ms since the epoch or a Date). */
  since?: number | Date;
  /** End of the window. Defaults to now. */
  until?: number | Date;
  /** How many recent incidents to include. Defaults to `20`. */
  recent?: number;
}

/** What a threat adds to its client's risk score, by severity. */
const RISK_WEIGHTS: Record<Severity, number> = { info: 0, low: 1, medium: 3, high: 10, critical: 25 };

/**
 * Threats that count as one episode per key and window, their repeats folded into one incident
 * (by `type`, or `type:pattern` for the sequence threats): a client blocked on its risk score is
 * blocked request after request, like a rate-limited one.
 */
const FOLDED: ReadonlySet<string> = new Set([
  'rate_limit',
  'denied_source',
  'oversized_input',
  'unusual_pattern:risk',
]);

/** The kind of a threat for folding: its type, with the pattern of a sequence threat. */
function threatKind(threat: Threat): string {
  const pattern = threat.evidence.pattern;
  return typeof pattern === 'string' ? `${threat.type}:${pattern}` : threat.type;
}

interface Fold {
  until: number;
  folded: number;
  last: Incident;
}

/**
 * The engine: owns the options, the store, the detectors and the incident log. Create one per
 * app with {@link createMonitor} and share it between routes and adapters.
 */
export class SecurityMonitor {
  readonly options: ResolvedOptions;
  readonly store: Store;
  readonly logger: Logger;
  readonly scorer: PatternScorer;
  readonly incidentLog: IncidentLog | undefined;
  /** Delivers alerts; `undefined` when no channel is configured. */
  readonly alerter: Alerter | undefined;
  /** The profile used when no route override applies. */
  readonly globalProfile: RouteProfile;

  private readonly rateWindow: RateWindow;
  private readonly failures: FailureTracker;
  private readonly allowList: IpList;
  private readonly denyList: IpList;
  private readonly routeMatchers: Array<{
    method?: string;
    path: string;
    prefix: boolean;
    profile: RouteProfile;
  }>;
  private readonly routeCache = new LruMap<string, RouteProfile>(2048);
  private readonly ownsStore: boolean;
  private readonly scores = new WeakMap<
    RequestInfo,
    { scorer: PatternScorer; input: string; result: ScoreResult }
  >();
  /** Per request object: its assessment and the profiles it was inspected with (global, then route). */
  private readonly inspected = new WeakMap<
    RequestInfo,
    { assessment: Assessment; profiles: Set<RouteProfile> }
  >();
  private readonly folds = new LruMap<string, Fold>(10_000);
  private readonly pending = new Set<Promise<void>>();
  /** Sequence detectors, run after each request is decided; `undefined` when turned off. */
  readonly patterns: RequestPatterns | undefined;
  private readonly watched: ReadonlySet<string>;
  private storeWarnedAt = 0;
  private storeDownSince: number | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: MonitorOptions = {}) {
    this.options = resolveOptions(options);
    this.logger = options.logger ?? createDefaultLogger();
    this.ownsStore = options.store === undefined;
    this.store = options.store ?? new MemoryStore();
    this.scorer = new PatternScorer({ maxLength: this.options.maxInputBytes, ...this.options.scorer });
    this.rateWindow = new RateWindow(this.store);
    this.failures = new FailureTracker(this.store, this.options.failureStatuses);
    this.allowList = new IpList(this.options.allow, 'allow');
    this.denyList = new IpList(this.options.deny, 'deny');
    this.incidentLog =
      this.options.log === false
        ? undefined
        : new IncidentLog({ modelName: this.options.modelName, ...this.options.log }, this.logger);
    this.patterns =
      this.options.patterns === false ? undefined : new RequestPatterns(this.store, this.options.patterns);
    this.watched = new Set(this.options.watchPrincipals);
    this.alerter = this.createAlerter();
    this.alerter?.start();
    this.globalProfile = this.profile();
    // Folded repeats reach the log and the store at least once a minute, even when nothing else happens.
    this.flushTimer = setInterval(() => this.flushFolds(false), 60_000);
    this.flushTimer.unref();
    this.routeMatchers = Object.entries(this.options.routes).map(([pattern, override]) => {
      const space = pattern.indexOf(' ');
      const method = space === -1 ? undefined : pattern.slice(0, space);
      let path = space === -1 ? pattern : pattern.slice(space + 1);
      const prefix = path.endsWith('*');
      if (prefix) path = path.slice(0, -1);
      return { method, path, prefix, profile: this.profile(override, pattern) };
    });
    // Most specific first: method-bound before any-method, exact before prefix, longer before shorter.
    this.routeMatchers.sort(
      (a, b) =>
        Number(a.prefix) - Number(b.prefix) ||
        Number(b.method !== undefined) - Number(a.method !== undefined) ||
        b.path.length - a.path.length,
    );
  }

  private createAlerter(): Alerter | undefined {
    const a = this.options.alerts;
    const notifiers: Notifier[] = [];
    if (a.email !== false) {
      const smtp = a.email.smtp;
      notifiers.push(
        new SmtpNotifier({
          server: smtp.server,
          port: smtp.port,
          sender: smtp.sender,
          useTls: smtp.useTls,
          recipients: a.email.recipients,
          ...(smtp.username !== undefined ? { username: smtp.username, password: smtp.password ?? '' } : {}),
          ...(smtp.tls !== undefined ? { tls: smtp.tls } : {}),
        }),
      );
    }
    for (const w of a.webhooks) notifiers.push(new WebhookNotifier(w));
    notifiers.push(...a.notifiers);
    if (notifiers.length === 0) return undefined;
    return new Alerter(
      {
        modelName: this.options.modelName,
        minSeverity: a.minSeverity,
        cooldownMs: a.cooldownMs,
        digestMs: a.digestMs,
        maxPerHour: a.maxPerHour,
        maxAttempts: a.maxAttempts,
        retryBaseMs: a.retryBaseMs,
        retryMaxMs: 60_000,
        queueSize: a.queueSize,
        channelFailureAlertMs: a.channelFailureAlertMs,
        ...(a.report !== undefined ? { reportEveryMs: a.report.everyMs, reportHours: a.report.hours } : {}),
        ...(a.summaryUrl !== undefined ? { summaryUrl: a.summaryUrl } : {}),
      },
      notifiers,
      {
        logger: this.logger,
        incidentLog: this.incidentLog,
        summarize: (hours) => this.getIncidentSummary({ hours }),
      },
    );
  }

  /**
   * Compile route overrides into a profile, once. Adapters call this for per-route middleware;
   * counters of a profile with its own limit or window live in their own namespace.
   */
  profile(raw: RouteOverrides | false = {}, id?: string): RouteProfile {
    const o = this.options;
    const overrides = parseRoute(id === undefined ? 'route' : `routes['${id}']`, raw, o.thresholds);
    if (overrides === false) {
      return {
        id: id ?? 'off',
        enabled: false,
        mode: o.mode,
        thresholds: o.thresholds,
        windowMs: o.windowMs,
        detectors: { rateLimit: false, input: false, failures: false },
      };
    }
    const thresholds = { ...o.thresholds, ...overrides.thresholds };
    const windowMs = overrides.windowMs ?? o.windowMs;
    const ownCounters =
      thresholds.maxRequestsPerMinute !== o.thresholds.maxRequestsPerMinute || windowMs !== o.windowMs;
    const profile: RouteProfile = {
      id: ownCounters ? (overrides.name ?? id ?? `route:${thresholds.maxRequestsPerMinute}/${windowMs}`) : '',
      enabled: true,
      mode: overrides.mode ?? o.mode,
      thresholds,
      windowMs,
      detectors: { rateLimit: true, input: true, failures: true, ...overrides.detectors },
    };
    if (overrides.scorer === undefined) return profile;
    const global = o.scorer;
    // Compiled once, here: the route's rules are added to, and its switches applied on top of, the global ones.
    const scorer = new PatternScorer({
      maxLength: o.maxInputBytes,
      ...global,
      ...overrides.scorer,
      rules: [...(global.rules ?? []), ...(overrides.scorer.rules ?? [])],
      disable: [...(global.disable ?? []), ...(overrides.scorer.disable ?? [])],
      weights: { ...global.weights, ...overrides.scorer.weights },
    });
    return { ...profile, scorer };
  }

  /** The profile for a method and path, from the `routes` option. */
  profileFor(method: string | undefined, path: string | undefined): RouteProfile {
    if (this.routeMatchers.length === 0 || path === undefined) return this.globalProfile;
    const cacheKey = `${method ?? ''} ${path}`;
    const cached = this.routeCache.get(cacheKey);
    if (cached !== undefined) return cached;
    let found = this.globalProfile;
    for (const m of this.routeMatchers) {
      if (m.method !== undefined && m.method !== method) continue;
      if (m.prefix ? path.startsWith(m.path) : path === m.path) {
        found = m.profile;
        break;
      }
    }
    this.routeCache.set(cacheKey, found);
    return found;
  }

  /** The key limits count against: `info.key`, or the normalised client IP. */
  keyOf(info: RequestInfo): string {
    return info.key ?? ipKey(info.ip, this.options.ipv6Prefix);
  }

  /**
   * Inspect one request: lists, rate window, input score. Cheap: one store call, no other I/O;
   * incidents are written after it returns. Never throws for a request.
   */
  async inspect(info: RequestInfo, profile?: RouteProfile): Promise<Assessment> {
    const metrics = this.options.metrics;
    if (metrics === undefined) return this.check(info, profile);
    const started = performance.now();
    const assessment = await this.check(info, profile);
    metrics.inspected(assessment.action, (performance.now() - started) / 1000);
    return assessment;
  }

  private async check(info: RequestInfo, profile?: RouteProfile): Promise<Assessment> {
    const p = profile ?? this.profileFor(info.method, info.path);
    const now = info.at ?? Date.now();
    const ip = normalizeIp(info.ip);
    const key = info.key ?? ipKey(ip, this.options.ipv6Prefix);
    // A second inspection with another profile is the same request seen by route middleware;
    // the same object inspected again with the same profile is a new request.
    const seen = this.inspected.get(info);
    const prior = seen !== undefined && !seen.profiles.has(p) ? seen.assessment : undefined;
    const base: Assessment = {
      action: 'allow',
      blocked: false,
      score: 0,
      severity: 'info',
      threats: [],
      matches: [],
      key,
      mode: p.mode,
    };
    if (!p.enabled) return prior ?? base;
    if (this.allowList.has(ip)) {
      base.allowListed = true;
      this.inspected.set(info, { assessment: base, profiles: new Set([p]) });
      return base;
    }

    const threats: Threat[] = [];
    const enforce = p.mode === 'enforce';
    if (this.denyList.has(ip)) {
      threats.push({
        type: 'denied_source',
        severity: 'medium',
        detail: `Request from ${ip}, which is on the deny list`,
        key,
        evidence: { ip },
      });
      if (enforce) return this.finish(info, p, base, threats, now, 403, prior);
    }

    if (p.detectors.rateLimit) {
      const limit = p.thresholds.maxRequestsPerMinute;
      const cost = this.options.cost === undefined ? 1 : this.safeCost(info);
      try {
        const rate = await this.rateWindow.consume(
          p.id === '' ? key : `${p.id}|${key}`,
          limit,
          p.windowMs,
          cost,
          now,
        );
        if (rate.degraded) {
          base.degraded = true;
          this.storeFailed('hit', new Error('shared store unreachable; counted locally'));
        } else if (this.storeDownSince !== undefined) this.storeRecovered();
        if (rate.risk !== undefined) {
          base.risk =
            Math.round(rate.risk.score * 0.5 ** ((now - rate.risk.at) / this.options.risk.halfLifeMs) * 100) /
            100;
        }
        if (rate.ban !== undefined) {
          threats.push({
            type: 'denied_source',
            severity: 'medium',
            detail: `Banned until ${new Date(rate.ban.until).toISOString()} (level ${rate.ban.level}, ${rate.ban.reason})`,
            key,
            evidence: { banned: true, until: rate.ban.until, level: rate.ban.level, reason: rate.ban.reason },
          });
          if (enforce) {
            base.retryAfterMs = Math.max(1000, rate.ban.until - now);
            return this.finish(info, p, base, threats, now, 403, prior);
          }
        }
        base.rateLimit = {
          limit,
          remaining: rate.remaining,
          count: rate.count,
          windowMs: p.windowMs,
          resetMs: rate.resetMs,
        };
        if (rate.limited) {
          base.retryAfterMs = rate.resetMs;
          threats.push({
            type: 'rate_limit',
            severity: 'medium',
            detail: `Over the limit of ${limit} requests per ${p.windowMs / 1000}s`,
            key,
            evidence: { count: Math.round(rate.count * 100) / 100, limit, windowMs: p.windowMs },
          });
        }
      } catch (error) {
        this.storeFailed('hit', error);
        // By code, not instanceof: the store may come from another bundle (the `/redis` entry).
        if ((error as { code?: unknown }).code === STORE_UNAVAILABLE) {
          // Fail-closed: no request passes unchecked while the store is down.
          base.degraded = true;
          return this.finish(info, p, base, [], now, 503, prior);
        }
      }
    }

    if (p.detectors.input && info.input !== undefined && info.input !== '') {
      const bytes = info.bytes ?? info.input.length;
      if (bytes > this.options.maxInputBytes) {
        threats.push({
          type: 'oversized_input',
          severity: 'low',
          detail: `Input of ${bytes} bytes, over the ${this.options.maxInputBytes}-byte budget; only the budget was scored`,
          key,
          evidence: { bytes, maxInputBytes: this.options.maxInputBytes },
        });
      }
      const scorer = p.scorer ?? this.scorer;
      const cached = this.scores.get(info);
      let result: ScoreResult;
      if (cached !== undefined && cached.scorer === scorer && cached.input === info.input)
        result = cached.result;
      else {
        result = scorer.score(info.input);
        this.scores.set(info, { scorer, input: info.input, result });
      }
      base.score = result.score;
      base.matches = result.matches;
      if (result.score >= p.thresholds.suspiciousPatternThreshold) {
        const ids = result.matches.map((m) => m.id);
        threats.push({
          type: 'suspicious_input',
          severity: result.score >= 0.99 ? 'critical' : 'high',
          detail: `Input scored ${result.score} (threshold ${p.thresholds.suspiciousPatternThreshold}): ${result.families.join(', ')}`,
          key,
          evidence: { score: result.score, rules: ids, families: result.families },
        });
      }
    }

    const blockAbove = this.options.risk.blockAbove;
    if (blockAbove !== undefined && base.risk !== undefined && base.risk >= blockAbove) {
      threats.push({
        type: 'unusual_pattern',
        severity: 'high',
        detail: `Client risk score ${base.risk} at or over ${blockAbove}`,
        key,
        evidence: { pattern: 'risk', risk: base.risk, blockAbove },
      });
    }
    let status: number | undefined;
    if (enforce) {
      if (threats.some((t) => t.type === 'rate_limit')) status = 429;
      else if (
        threats.some(
          (t) => t.type === 'suspicious_input' || t.type === 'denied_source' || t.evidence.pattern === 'risk',
        )
      )
        status = 403;
    }
    return this.finish(info, p, base, threats, now, status, prior);
  }

  private finish(
    info: RequestInfo,
    p: RouteProfile,
    base: Assessment,
    threats: Threat[],
    now: number,
    status: number | undefined,
    prior: Assessment | undefined,
  ): Assessment {
    const a = base;
    a.threats = threats;
    a.blocked = status !== undefined;
    if (status !== undefined) a.status = status;
    a.action = a.blocked ? 'block' : threats.length > 0 ? 'flag' : 'allow';
    for (const t of threats) a.severity = maxSeverity(a.severity, t.severity);

    // Threats a previous inspection of the same request already recorded are not recorded again.
    const fresh =
      prior === undefined ? threats : threats.filter((t) => !prior.threats.some((q) => q.type === t.type));
    for (const t of fresh) this.record(t, info, a.action, now, a.score, p);

    const merged = prior === undefined ? a : mergeAssessments(prior, a);
    const profiles =
      prior === undefined ? new Set<RouteProfile>() : (this.inspected.get(info)?.profiles ?? new Set());
    profiles.add(p);
    this.inspected.set(info, { assessment: merged, profiles });
    if (this.patterns !== undefined && prior === undefined) this.watchSequence(info, a.key, now, p);
    return merged;
  }

  private safeCost(info: RequestInfo): number {
    try {
      const c = this.options.cost?.(info) ?? 1;
      return Number.isFinite(c) && c >= 0 ? c : 1;
    } catch (error) {
      this.logger.warn('the `cost` function threw; counting the request as 1', { error: String(error) });
      return 1;
    }
  }

  /**
   * Report the response status of an inspected request. Statuses in `failureStatuses` count as
   * failures; crossing `failedAttemptsThreshold` raises `repeated_failures`, which is returned.
   */
  async recordOutcome(
    info: RequestInfo,
    status: number,
    profile?: RouteProfile,
  ): Promise<Threat | undefined> {
    const p = profile ?? this.profileFor(info.method, info.path);
    if (!p.enabled) return undefined;
    const ip = normalizeIp(info.ip);
    if (this.allowList.has(ip)) return undefined;
    const key = info.key ?? ipKey(ip, this.options.ipv6Prefix);
    const now = Date.now();
    if (this.patterns !== undefined && (status === 404 || status === 405)) {
      this.background(
        this.patterns.afterResponse(key, info.path, status, now).then((t) => {
          if (t !== undefined) this.record(t, info, 'flag', now, undefined, p);
        }),
      );
    }
    if (!p.detectors.failures || !this.options.failureStatuses(status)) return undefined;
    try {
      const threshold = p.thresholds.failedAttemptsThreshold;
      const result = await this.failures.record(key, this.options.failureWindowMs, threshold, now);
      if (!result.crossed) return undefined;
      const threat: Threat = {
        type: 'repeated_failures',
        severity: 'high',
        detail: `${Math.round(result.count)} failed responses (status ${status}) in ${this.options.failureWindowMs / 1000}s, threshold ${threshold}`,
        key,
        evidence: {
          count: Math.round(result.count),
          threshold,
          lastStatus: status,
          windowMs: this.options.failureWindowMs,
        },
      };
      this.record(threat, info, 'flag', now, undefined, p);
      return threat;
    } catch (error) {
      this.storeFailed('addFailure', error);
      return undefined;
    }
  }

  /**
   * The seed's `detect_threat(ip_address, input_data, timestamp)`: the same checks as
   * {@link inspect}, from a plain IP and input.
   */
  detectThreat(input: DetectThreatInput): Promise<Assessment> {
    const info: RequestInfo = { ip: input.ipAddress };
    if (input.inputData !== undefined) info.input = input.inputData;
    if (input.timestamp !== undefined) {
      const t = input.timestamp instanceof Date ? input.timestamp.getTime() : input.timestamp;
      info.at = t < 1e11 ? Math.round(t * 1000) : t;
    }
    return this.inspect(info);
  }

  /** Incidents of the last `hours` hours, aggregated: the seed's `get_incident_summary`. */
  async getIncidentSummary(query: SummaryQuery = {}): Promise<IncidentSummary> {
    this.summaryWindow(query); // validate the query before anything is written
    // Repeats folded into an open episode are written now, so the summary counts every one.
    // The window is taken after the flush: a default `until` of "now" must include them.
    this.flushFolds(false);
    const { since, until, hours } = this.summaryWindow(query);
    await Promise.all([...this.pending]);
    const incidents = await this.store.listIncidents({ since, until });
    const summary = summarizeIncidents(incidents, {
      modelName: this.options.modelName,
      since,
      until,
      hours,
      recent: query.recent ?? 20,
      riskHalfLifeMs: this.options.risk.halfLifeMs,
    });
    if (this.alerter !== undefined) summary.alerts = this.alerter.stats();
    return summary;
  }

  /**
   * Write the repeats folded into open episodes as one incident each (occurrences = repeats),
   * keeping the episodes open; `end` closes them too.
   */
  private flushFolds(end: boolean): void {
    const now = Date.now();
    for (const key of [...this.folds.keys()]) {
      const fold = this.folds.peek(key);
      if (fold === undefined) continue;
      if (fold.folded > 0) {
        this.commit({
          ...fold.last,
          id: randomUUID(),
          at: now,
          occurrences: fold.folded,
          detail: `${fold.last.detail} (${fold.folded} repeats since the last record)`,
          evidence: { ...fold.last.evidence, repeats: true },
        });
        fold.folded = 0;
      }
      if (end || now >= fold.until) this.folds.delete(key);
    }
  }

  /** Every incident adds to its client's risk, and some threats ban (enforce mode). */
  private consequences(incident: Incident): void {
    const weight = RISK_WEIGHTS[incident.severity] * incident.occurrences;
    if (weight > 0)
      this.background(this.store.addRisk(incident.key, weight, incident.at, this.options.risk.halfLifeMs));
    const bans = this.options.bans;
    const profile = this.profileFor(incident.method, incident.path);
    if (bans === false || profile.mode !== 'enforce' || !bans.on.includes(incident.type)) return;
    if (incident.type === 'denied_source') return; // already banned or denied
    // Rate abuse is hitting the limit again and again: a second episode within the offence memory.
    // Episodes are counted by window, so every instance that saw the same one agrees; the repeats
    // folded into an episode are not a new one.
    if (incident.type === 'rate_limit' && incident.evidence.repeats === true) return;
    const offence =
      incident.type === 'rate_limit'
        ? this.store
            .distinct(
              `episodes:${incident.key}`,
              String(Math.floor(incident.at / profile.windowMs)),
              incident.at,
              bans.memoryMs,
            )
            .then((e) => e.count >= 2)
        : Promise.resolve(true);
    this.background(offence.then((ban) => (ban ? this.banFor(incident, bans) : undefined)));
  }

  private banFor(incident: Incident, bans: Exclude<ResolvedOptions['bans'], false>): Promise<void> {
    return this.store
      .ban(incident.key, incident.at, {
        baseMs: bans.baseMs,
        maxMs: bans.maxMs,
        memoryMs: bans.memoryMs,
        reason: incident.type,
      })
      .then((ban) => {
        this.incidentLog?.event('warn', 'client banned', {
          key: ban.key,
          until: new Date(ban.until).toISOString(),
          level: ban.level,
          reason: ban.reason,
        });
        this.logger.info(
          `client ${ban.key} banned until ${new Date(ban.until).toISOString()} (level ${ban.level}, ${ban.reason})`,
        );
      });
  }

  /** Off the request path: feed the sequence detectors and record what they find. */
  private watchSequence(info: RequestInfo, key: string, now: number, p: RouteProfile): void {
    const ip = normalizeIp(info.ip);
    if (info.principal !== undefined && this.watched.has(info.principal)) {
      this.incidentLog?.event('warn', 'watched principal', {
        principal: info.principal,
        ip,
        route: `${info.method ?? ''} ${info.path ?? ''}`.trim(),
      });
      this.logger.warn(`watched principal ${info.principal} from ${ip}`);
    }
    this.background(
      this.patterns!.afterRequest({
        key,
        ip,
        principal: info.principal,
        input: p.detectors.input ? info.input : undefined,
        now,
      }).then((threats) => {
        for (const t of threats) this.record(t, info, 'flag', now, undefined, p);
      }),
    );
  }

  private background(work: Promise<unknown>): void {
    const done = work.then(
      () => undefined,
      (error: unknown) => this.storeFailed('patterns', error),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  /** Wait until the work started by past requests (sequence detectors, incident writes) is done. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * The app reports that the model refused this request (e.g. a content-policy refusal).
   * Repeated refusals of near-identical inputs from one client raise `jailbreak_iteration`.
   */
  async reportRefusal(info: RequestInfo): Promise<Threat | undefined> {
    if (this.patterns === undefined) return undefined;
    const key = this.keyOf(info);
    const now = info.at ?? Date.now();
    const threat = await this.patterns.afterRefusal(key, info.input, now);
    if (threat !== undefined)
      this.record(threat, info, 'flag', now, undefined, this.profileFor(info.method, info.path));
    return threat;
  }

  /** Ban a client key for `ms` (escalation is for automatic bans). */
  ban(key: string, ms: number, reason = 'manual'): Promise<Ban> {
    const bans =
      this.options.bans === false ? { baseMs: ms, maxMs: ms, memoryMs: 86_400_000 } : this.options.bans;
    return this.store.ban(key, Date.now(), {
      baseMs: bans.baseMs,
      maxMs: bans.maxMs,
      memoryMs: bans.memoryMs,
      reason,
      exactMs: ms,
    });
  }

  /** Lift a ban. `true` when there was one. */
  unban(key: string): Promise<boolean> {
    return this.store.unban(key);
  }

  /** Bans in force now. */
  listBans(): Promise<Ban[]> {
    return this.store.listBans(Date.now());
  }

  /** Add an IP or CIDR to the allow list at run time (this process). */
  allow(entry: string): void {
    this.allowList.add(entry);
  }

  /** Add an IP or CIDR to the deny list at run time (this process). */
  deny(entry: string): void {
    this.denyList.add(entry);
  }

  /** Remove an allow-list entry, as written. */
  removeAllow(entry: string): boolean {
    return this.allowList.remove(entry);
  }

  /** Remove a deny-list entry, as written. */
  removeDeny(entry: string): boolean {
    return this.denyList.remove(entry);
  }

  /** Make room in the fold table without losing the repeats it holds. */
  private evictOldestFold(): void {
    const oldest = this.folds.oldest();
    if (oldest === undefined) return;
    const [key, fold] = oldest;
    if (fold.folded > 0) {
      this.commit({
        ...fold.last,
        id: randomUUID(),
        at: Date.now(),
        occurrences: fold.folded,
        evidence: { ...fold.last.evidence, repeats: true },
      });
    }
    this.folds.delete(key);
  }

  private summaryWindow(query: SummaryQuery): { since: number; until: number; hours: number } {
    const time = (v: number | Date | undefined, name: string): number | undefined => {
      if (v === undefined) return undefined;
      const t = v instanceof Date ? v.getTime() : v;
      if (!Number.isFinite(t)) throw new RangeError(`getIncidentSummary: \`${name}\` is not a valid time`);
      return t;
    };
    const until = time(query.until, 'until') ?? Date.now();
    let since = time(query.since, 'since');
    if (since === undefined) {
      const hours = query.hours ?? 24;
      if (!(typeof hours === 'number' && Number.isFinite(hours) && hours > 0 && hours <= 24 * 366)) {
        throw new RangeError(
          `getIncidentSummary: \`hours\` must be a number in (0, 8784], got ${String(hours)}`,
        );
      }
      since = until - hours * 3_600_000;
    }
    if (since > until) throw new RangeError('getIncidentSummary: `since` is after `until`');
    return { since, until, hours: Math.round(((until - since) / 3_600_000) * 1000) / 1000 };
  }

  /** Incidents of a window, newest first (at most `limit`, default 10,000), e.g. for CSV export. */
  async listIncidents(query: SummaryQuery & { limit?: number } = {}): Promise<Incident[]> {
    this.flushFolds(false);
    await Promise.all([...this.pending]);
    const { since, until } = this.summaryWindow(query);
    return this.store.listIncidents({ since, until, limit: query.limit ?? 10_000 });
  }

  /** Record a threat as an incident: log line and store, off the request path. */
  private record(
    threat: Threat,
    info: RequestInfo,
    action: Action,
    now: number,
    score: number | undefined,
    p: RouteProfile,
  ): void {
    this.options.metrics?.threat(threat.type, threat.severity);
    const incident: Incident = {
      id: randomUUID(),
      at: now,
      modelName: this.options.modelName,
      type: threat.type,
      severity: threat.severity,
      detail: threat.detail,
      key: threat.key,
      ip: normalizeIp(info.ip),
      action,
      evidence: threat.evidence,
      occurrences: 1,
    };
    if (info.principal !== undefined) incident.principal = info.principal;
    if (info.method !== undefined) incident.method = info.method;
    if (info.path !== undefined) incident.path = info.path;
    if (threat.type === 'suspicious_input') {
      incident.score = score ?? 0;
      incident.rules = (threat.evidence.rules as string[] | undefined) ?? [];
    }
    if (
      (threat.type === 'suspicious_input' || threat.type === 'oversized_input') &&
      info.input !== undefined
    ) {
      incident.excerpt = safeExcerpt(
        info.input,
        this.options.log === false ? 200 : this.options.log.maxExcerptLength,
      );
    }

    const kind = threatKind(threat);
    if (FOLDED.has(kind)) {
      const foldKey = `${kind}|${p.id}|${threat.key}`;
      const fold = this.folds.peek(foldKey);
      if (fold !== undefined && now < fold.until) {
        fold.folded++;
        return;
      }
      if (fold !== undefined && fold.folded > 0) incident.occurrences += fold.folded;
      if (fold === undefined && this.folds.size >= this.folds.maxSize) this.evictOldestFold();
      this.folds.set(foldKey, { until: now + p.windowMs, folded: 0, last: incident });
    }
    this.commit(incident);
  }

  private commit(incident: Incident): void {
    this.consequences(incident);
    this.incidentLog?.write(incident);
    this.alerter?.consider(incident);
    const pending = this.store
      .appendIncident(incident)
      .catch((error: unknown) => this.storeFailed('appendIncident', error));
    this.pending.add(pending);
    void pending.finally(() => this.pending.delete(pending));
  }

  private storeFailed(operation: string, error: unknown): void {
    const now = Date.now();
    if (this.storeDownSince === undefined) {
      this.storeDownSince = now;
      this.options.metrics?.storeHealth(false);
      this.alerter?.selfAlert(
        `store ${this.store.name} unreachable (${error instanceof Error ? error.message : String(error)}); serving without it`,
      );
    }
    if (now - this.storeWarnedAt < 30_000) return;
    this.storeWarnedAt = now;
    this.logger.warn(`store ${this.store.name} failed in ${operation}; serving without it (fail-open)`, {
      error: error instanceof Error ? error.message : String(error),
    });
    this.incidentLog?.event('warn', 'store unavailable', { store: this.store.name, operation });
  }

  private storeRecovered(): void {
    const since = this.storeDownSince;
    this.storeDownSince = undefined;
    this.options.metrics?.storeHealth(true);
    this.logger.info(`store ${this.store.name} recovered`);
    this.incidentLog?.event('info', 'store recovered', { store: this.store.name });
    if (since !== undefined) {
      this.alerter?.selfAlert(
        `store ${this.store.name} recovered (unreachable since ${new Date(since).toISOString()})`,
        'medium',
      );
    }
  }

  /**
   * Flush folded repeats, wait for pending incident writes, close the log file and (when the
   * monitor created it) the store. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    this.flushFolds(true);
    await Promise.all([...this.pending]);
    await this.alerter?.close(this.options.alerts.flushTimeoutMs);
    await this.incidentLog?.close();
    if (this.ownsStore) await this.store.close();
  }
}

function mergeAssessments(prior: Assessment, next: Assessment): Assessment {
  const threats = [...prior.threats];
  for (const t of next.threats) if (!threats.some((q) => q.type === t.type)) threats.push(t);
  const blocked = prior.blocked || next.blocked;
  const merged: Assessment = {
    ...next,
    threats,
    blocked,
    score: Math.max(prior.score, next.score),
    severity: maxSeverity(prior.severity, next.severity as Severity),
    matches: next.matches.length > 0 ? next.matches : prior.matches,
    action: blocked ? 'block' : threats.length > 0 ? 'flag' : 'allow',
  };
  const status = prior.blocked ? prior.status : next.status;
  if (status !== undefined) merged.status = status;
  else delete merged.status;
  return merged;
}

/** Create the monitor that adapters share. */
export function createMonitor(options?: MonitorOptions): SecurityMonitor {
  return new SecurityMonitor(options);
}
