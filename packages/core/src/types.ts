/** Severities, lowest first. Comparisons use {@link severityRank}. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** What kind of threat was seen. */
export type ThreatType =
  | 'rate_limit'
  | 'suspicious_input'
  | 'repeated_failures'
  | 'unusual_pattern'
  | 'denied_source'
  | 'oversized_input';

export const THREAT_TYPES: readonly ThreatType[] = [
  'rate_limit',
  'suspicious_input',
  'repeated_failures',
  'unusual_pattern',
  'denied_source',
  'oversized_input',
];

/** What the monitor decided for a request. */
export type Action = 'allow' | 'flag' | 'block';

/** `monitor` never blocks; `enforce` blocks rate-limited keys, denied sources and suspicious inputs. */
export type Mode = 'monitor' | 'enforce';

/**
 * The framework-free request that every adapter builds. Only `ip` is required;
 * everything else has a sensible default.
 */
export interface RequestInfo {
  /** Client address as the framework resolved it (after its proxy-trust rules). */
  ip: string;
  /** What limits count against. Defaults to `ip`. */
  key?: string;
  /** An authenticated identity (API key id, user id) when the app knows one. */
  principal?: string;
  /** HTTP method, upper case. */
  method?: string;
  /** Request path without the query string, e.g. `/v1/chat/completions`. */
  path?: string;
  /** The text to score: prompts and other user-supplied strings. */
  input?: string;
  /** Size of the request body in bytes, when known. */
  bytes?: number;
  /** Time of the request in ms since the epoch. Defaults to now. */
  at?: number;
}

/** A single finding about a request or a client. */
export interface Threat {
  type: ThreatType;
  severity: Severity;
  /** One sentence a person can read. */
  detail: string;
  /** The client key the threat is about. */
  key: string;
  /** Facts behind the finding (counts, limits, matched rule ids, excerpts). */
  evidence: Record<string, string | number | boolean | readonly string[]>;
}

/** One rule that matched an input, as reported by the scorer. */
export interface RuleMatch {
  id: string;
  family: RuleFamily;
  weight: number;
  description: string;
  /** Short, escaped excerpt around the match. */
  excerpt: string;
}

export type RuleFamily =
  | 'instruction_override'
  | 'persona_hijack'
  | 'prompt_extraction'
  | 'delimiter_injection'
  | 'sql_injection'
  | 'xss'
  | 'command_injection'
  | 'path_traversal'
  | 'template_injection'
  | 'obfuscation';

/** Rate-limit state of the key after this request was counted. */
export interface RateLimitInfo {
  limit: number;
  /** Requests still allowed in the current sliding window (never negative). */
  remaining: number;
  /** Weighted number of requests counted in the current sliding window. */
  count: number;
  windowMs: number;
  /** Milliseconds until the client may send again (0 when not limited). */
  resetMs: number;
}

/** The result of `inspect`: what was seen and what to do. */
export interface Assessment {
  action: Action;
  /** `true` when the adapter must stop the request (enforce mode only). */
  blocked: boolean;
  /** HTTP status to answer with when blocked (429, 403 or 503). */
  status?: number;
  /** Input suspicion score, 0..1. */
  score: number;
  /** Highest severity among the threats, `info` when there is none. */
  severity: Severity;
  threats: Threat[];
  /** Rule matches behind the score, strongest first. */
  matches: RuleMatch[];
  /** When blocked for rate: how long the client should wait. */
  retryAfterMs?: number;
  rateLimit?: RateLimitInfo;
  key: string;
  mode: Mode;
  /** Set when the client is on the allow list: nothing was checked. */
  allowListed?: boolean;
  /** Set when the shared store was unreachable and the request was counted locally (fail-open). */
  degraded?: boolean;
  /** The client's risk score now: threats add to it by severity, and it halves every `risk.halfLifeMs`. */
  risk?: number;
}

/** A recorded threat. */
export interface Incident {
  id: string;
  /** ms since the epoch. */
  at: number;
  modelName: string;
  type: ThreatType;
  severity: Severity;
  detail: string;
  key: string;
  ip: string;
  principal?: string;
  method?: string;
  path?: string;
  action: Action;
  score?: number;
  rules?: string[];
  /** Escaped, truncated and redacted excerpt of the input. */
  excerpt?: string;
  evidence: Threat['evidence'];
  /** How many occurrences this incident stands for (1 + occurrences folded into it). */
  occurrences: number;
}

/** The summary of recent incidents, as the original monitor's `get_incident_summary`. */
export interface IncidentSummary {
  modelName: string;
  since: string;
  until: string;
  hours: number;
  /** Number of incidents recorded in the window. */
  totalIncidents: number;
  /** Number of occurrences these incidents stand for (repeats folded into one incident). */
  totalOccurrences: number;
  byType: Partial<Record<ThreatType, number>>;
  bySeverity: Partial<Record<Severity, number>>;
  byAction: Partial<Record<Action, number>>;
  topKeys: Array<{ key: string; count: number }>;
  topIps: Array<{ ip: string; count: number }>;
  topPrincipals: Array<{ principal: string; count: number }>;
  topRoutes: Array<{ route: string; count: number }>;
  /** Occurrences blocked and only flagged. */
  blocked: number;
  flagged: number;
  /** Occurrences per time bucket, oldest first, covering the whole window. */
  timeline: Array<{ at: string; count: number; blocked: number }>;
  /** Bucket length of the timeline, in ms. */
  bucketMs: number;
  /** Most recent incidents, newest first. */
  recent: Incident[];
  /** Clients whose incidents weigh most (severity weights × occurrences, halving every risk half-life before `until`). */
  riskiest: Array<{ key: string; risk: number; incidents: number }>;
  /** What the alerter did since the monitor started (when alerting is configured; this process only). */
  alerts?: { sent: number; suppressed: number; undelivered: number; queued: number };
}
