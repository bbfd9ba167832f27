export type { AlerterOptions, AlertStats } from './alerts/alerter.js';
export { Alerter } from './alerts/alerter.js';
export { alertHtml, alertSlackText, alertSubject, alertText } from './alerts/format.js';
export type { SmtpNotifierOptions } from './alerts/smtp-notifier.js';
export { SmtpNotifier } from './alerts/smtp-notifier.js';
export type { Alert, AlertKind, Notifier } from './alerts/types.js';
export { PermanentDeliveryError } from './alerts/types.js';
export type { WebhookNotifierOptions } from './alerts/webhook-notifier.js';
export { signWebhook, verifyWebhookSignature, WebhookNotifier } from './alerts/webhook-notifier.js';
export type { FailureCount } from './detectors/failure-tracker.js';
export { FailureTracker } from './detectors/failure-tracker.js';
export type { Layer, Rule, ScoreResult, ScorerOptions } from './detectors/pattern-scorer.js';
export { normalizeText, PatternScorer, scoreInput } from './detectors/pattern-scorer.js';
export type { RateDecision } from './detectors/rate-window.js';
export { advanceWindow, RateWindow, retryAfterMs, slidingCount } from './detectors/rate-window.js';
export type { PatternOptions } from './detectors/request-patterns.js';
export { RequestPatterns, resolvePatternOptions } from './detectors/request-patterns.js';
export { BUILTIN_RULES } from './detectors/rules.js';
export { hamming, simhash } from './detectors/simhash.js';
export { ConfigError } from './errors.js';
export { type AdapterOptions, resolveAdapter } from './http/adapter-options.js';
export { dashboardHtml } from './http/dashboard.js';
export type { ExtractedInput } from './http/input.js';
export { extractInput } from './http/input.js';
export { metricsReply } from './http/metrics-handler.js';
export { ForwardedHeaderWarning } from './http/proxy-warning.js';
export { BodyError, hasReadableBody, readBody } from './http/read-body.js';
export type { RequestExtractors, RequestFacts } from './http/request-info.js';
export { createRequestInfo, isBodyError, validateExtractors } from './http/request-info.js';
export type { BlockResponse, ProblemDetails } from './http/response.js';
export { blockResponse, rateLimitHeaders } from './http/response.js';
export type { SummaryAccessOptions } from './http/summary-guard.js';
export {
  bearerMatches,
  parseHours,
  summaryAccessAllowed,
  validateSummaryAccess,
} from './http/summary-guard.js';
export type { SummaryReply, SummaryRequest } from './http/summary-handler.js';
export { incidentsCsv, summaryReply } from './http/summary-handler.js';
export type { IncidentLogOptions } from './incidents/incident-log.js';
export { IncidentLog, logFileName } from './incidents/incident-log.js';
export { summarizeIncidents, timelineBucket } from './incidents/summary.js';
export type { Logger, LogMeta } from './logger.js';
export { createDefaultLogger, silentLogger } from './logger.js';
export type { MetricsHooks } from './metrics/hooks.js';
export type { DetectThreatInput, RouteProfile, SummaryQuery } from './monitor.js';
export { createMonitor, SecurityMonitor } from './monitor.js';
export { IpList, ipKey, normalizeIp } from './net/ip-list.js';
export type {
  AlertOptions,
  BanOptions,
  DetectorSwitches,
  EmailAlertOptions,
  LogOptions,
  MonitorOptions,
  ResolvedAlertOptions,
  ResolvedOptions,
  RouteOverrides,
  SmtpOptions,
  Thresholds,
  WebhookOptions,
} from './options.js';
export { DEFAULT_THRESHOLDS, resolveOptions } from './options.js';
export type { MemoryStoreOptions } from './stores/memory-store.js';
export { MemoryStore } from './stores/memory-store.js';
export type { Ban, BanPolicy, HitResult, IncidentQuery, Store, WindowState } from './stores/store.js';
export { StoreUnavailableError } from './stores/store.js';
export type {
  Action,
  Assessment,
  Incident,
  IncidentSummary,
  Mode,
  RateLimitInfo,
  RequestInfo,
  RuleFamily,
  RuleMatch,
  Severity,
  Threat,
  ThreatType,
} from './types.js';
export { maxSeverity, SEVERITIES, severityRank, THREAT_TYPES } from './types.js';
export { escapeControl, redactSecrets, safeExcerpt } from './util/text.js';
