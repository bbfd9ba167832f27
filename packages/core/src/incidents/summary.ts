import type { Incident, IncidentSummary } from '../types.js';

export interface SummarizeOptions {
  modelName: string;
  since: number;
  until: number;
  hours: number;
  /** How many recent incidents to include. */
  recent: number;
  /** How many top keys and routes to list. Defaults to `10`. */
  top?: number;
  /** Half-life of the risk score, for the riskiest clients. Defaults to one hour. */
  riskHalfLifeMs?: number;
  /** Timeline bucket; by default 5 minutes up to 6 hours, an hour up to 4 days, then a day. */
  bucketMs?: number;
}

/** A readable bucket for a window: about 24 to 288 points. */
export function timelineBucket(spanMs: number): number {
  if (spanMs <= 6 * 3_600_000) return 300_000;
  if (spanMs <= 96 * 3_600_000) return 3_600_000;
  return 86_400_000;
}

const RISK: Record<string, number> = { info: 0, low: 1, medium: 3, high: 10, critical: 25 };

function bump<K extends string>(into: Partial<Record<K, number>>, key: K, by: number): void {
  into[key] = (into[key] ?? 0) + by;
}

function top(counts: Map<string, number>, n: number): Array<[string, number]> {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

/** Aggregate incidents (newest first) into the summary. One pass; memory bounded by distinct keys. */
export function summarizeIncidents(
  incidents: readonly Incident[],
  options: SummarizeOptions,
): IncidentSummary {
  const summary: IncidentSummary = {
    modelName: options.modelName,
    since: new Date(options.since).toISOString(),
    until: new Date(options.until).toISOString(),
    hours: options.hours,
    totalIncidents: 0,
    totalOccurrences: 0,
    byType: {},
    bySeverity: {},
    byAction: {},
    topKeys: [],
    topIps: [],
    topPrincipals: [],
    topRoutes: [],
    blocked: 0,
    flagged: 0,
    timeline: [],
    bucketMs: 0,
    recent: [],
    riskiest: [],
  };
  const risk = new Map<string, { risk: number; incidents: number }>();
  const halfLife = options.riskHalfLifeMs ?? 3_600_000;
  const keys = new Map<string, number>();
  const ips = new Map<string, number>();
  const principals = new Map<string, number>();
  const routes = new Map<string, number>();
  const span = options.until - options.since;
  const bucketMs = options.bucketMs ?? timelineBucket(span);
  const first = Math.floor(options.since / bucketMs) * bucketMs;
  const bucketCount = Math.min(1000, Math.floor((options.until - first) / bucketMs) + 1);
  const buckets = Array.from({ length: bucketCount }, () => ({ count: 0, blocked: 0 }));
  summary.bucketMs = bucketMs;
  for (const incident of incidents) {
    if (incident.at < options.since || incident.at > options.until) continue;
    const n = incident.occurrences;
    summary.totalIncidents++;
    summary.totalOccurrences += n;
    bump(summary.byType, incident.type, n);
    bump(summary.bySeverity, incident.severity, n);
    bump(summary.byAction, incident.action, n);
    keys.set(incident.key, (keys.get(incident.key) ?? 0) + n);
    ips.set(incident.ip, (ips.get(incident.ip) ?? 0) + n);
    if (incident.principal !== undefined)
      principals.set(incident.principal, (principals.get(incident.principal) ?? 0) + n);
    if (incident.action === 'block') summary.blocked += n;
    else if (incident.action === 'flag') summary.flagged += n;
    const b = buckets[Math.min(bucketCount - 1, Math.floor((incident.at - first) / bucketMs))];
    if (b !== undefined) {
      b.count += n;
      if (incident.action === 'block') b.blocked += n;
    }
    if (incident.path !== undefined) {
      const route = `${incident.method ?? ''} ${incident.path}`.trim();
      routes.set(route, (routes.get(route) ?? 0) + n);
    }
    if (summary.recent.length < options.recent) summary.recent.push(incident);
    const r = risk.get(incident.key) ?? { risk: 0, incidents: 0 };
    r.risk += (RISK[incident.severity] ?? 0) * n * 0.5 ** ((options.until - incident.at) / halfLife);
    r.incidents++;
    risk.set(incident.key, r);
  }
  const n = options.top ?? 10;
  summary.topKeys = top(keys, n).map(([key, count]) => ({ key, count }));
  summary.topRoutes = top(routes, n).map(([route, count]) => ({ route, count }));
  summary.topIps = top(ips, n).map(([ip, count]) => ({ ip, count }));
  summary.topPrincipals = top(principals, n).map(([principal, count]) => ({ principal, count }));
  summary.timeline = buckets.map((b, i) => ({ at: new Date(first + i * bucketMs).toISOString(), ...b }));
  summary.riskiest = [...risk.entries()]
    .map(([key, r]) => ({ key, risk: Math.round(r.risk * 100) / 100, incidents: r.incidents }))
    .filter((r) => r.risk > 0)
    .sort((a, b) => b.risk - a.risk || a.key.localeCompare(b.key))
    .slice(0, n);
  return summary;
}
