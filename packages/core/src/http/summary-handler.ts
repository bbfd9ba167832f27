import { randomBytes } from 'node:crypto';
import type { SecurityMonitor } from '../monitor.js';
import type { Incident } from '../types.js';
import { dashboardHtml } from './dashboard.js';
import { parseHours, type SummaryAccessOptions, summaryAccessAllowed } from './summary-guard.js';

/** What an adapter read from the request for the summary endpoint. */
export interface SummaryRequest {
  /** Parsed query string. */
  query: Record<string, unknown>;
  /** The `Accept` header. */
  accept: string | undefined;
  /** The `Authorization` header. */
  authorization: string | undefined;
}

/** What the adapter sends back. */
export interface SummaryReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CSV_COLUMNS = [
  'at',
  'type',
  'severity',
  'action',
  'key',
  'ip',
  'principal',
  'method',
  'path',
  'score',
  'rules',
  'occurrences',
  'detail',
  'excerpt',
  'id',
] as const;

/** One CSV cell: quoted, and defused against formula injection in spreadsheets. */
function cell(value: unknown): string {
  let text =
    value === undefined || value === null ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Incidents as CSV (RFC 4180), one row each, newest first. */
export function incidentsCsv(incidents: readonly Incident[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const i of incidents) {
    lines.push(
      CSV_COLUMNS.map((c) =>
        c === 'at' ? cell(new Date(i.at).toISOString()) : cell(i[c as keyof Incident]),
      ).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function time(value: unknown): number | null | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return null;
  const t = /^\d{10,13}$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

function json(status: number, body: unknown, extra: Record<string, string> = {}): SummaryReply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
    body: JSON.stringify(body),
  };
}

/**
 * The summary endpoint, shared by the adapters: the dashboard page for a browser
 * (`Accept: text/html`), the summary as JSON, or the window's incidents as CSV (`?format=csv`).
 * Window: `?hours=24`, or `?since=…&until=…` (ISO times or ms). The page itself holds no data;
 * the data needs the token or `authorize`.
 */
export async function summaryReply<Req>(
  monitor: SecurityMonitor,
  options: SummaryAccessOptions<Req>,
  req: Req,
  request: SummaryRequest,
): Promise<SummaryReply> {
  const format = typeof request.query.format === 'string' ? request.query.format : undefined;
  if (format === undefined && request.accept !== undefined && /\btext\/html\b/.test(request.accept)) {
    const nonce = randomBytes(16).toString('base64');
    return {
      status: 200,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      },
      body: dashboardHtml(nonce),
    };
  }
  if (!(await summaryAccessAllowed(options, req, request.authorization))) {
    return json(
      401,
      { error: 'unauthorized' },
      options.token !== undefined ? { 'WWW-Authenticate': 'Bearer realm="ai-security-monitor"' } : {},
    );
  }
  if (format !== undefined && format !== 'json' && format !== 'csv') {
    return json(400, { error: '`format` must be json or csv' });
  }
  const since = time(request.query.since);
  const until = time(request.query.until);
  if (since === null || until === null || (since !== undefined && until !== undefined && since > until)) {
    return json(400, { error: '`since` and `until` must be ISO times or ms, since before until' });
  }
  const hours = parseHours(request.query.hours, options.hours ?? 24);
  if (hours === null) return json(400, { error: '`hours` must be a number in (0, 8784]' });
  const window =
    since !== undefined
      ? { since, ...(until !== undefined ? { until } : {}) }
      : { hours, ...(until !== undefined ? { until } : {}) };
  if (format === 'csv') {
    const incidents = await monitor.listIncidents(window);
    return {
      status: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="incidents.csv"',
        'Cache-Control': 'no-store',
      },
      body: incidentsCsv(incidents),
    };
  }
  return json(200, await monitor.getIncidentSummary(window));
}
