/**
 * `ai-security-monitor summary`: the incident summary as a table, read from a Redis store or
 * from the incident log files, for the security person on a server.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarizeIncidents } from './incidents/summary.js';
import type { Action, Incident, IncidentSummary, Severity, ThreatType } from './types.js';

const SEVERITY: Record<string, Severity> = {
  DEBUG: 'info',
  INFO: 'low',
  WARNING: 'medium',
  ERROR: 'critical',
};

/** Undo the log's quoting: `\"` and `\\` inside a quoted value (control characters stay escaped). */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** Parse the `key=value` pairs of a text incident line; quoted values may hold spaces and escaped quotes. */
function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = /(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g;
  for (const m of text.matchAll(pattern)) out[m[1]!] = unquote(m[2]!);
  return out;
}

/** One incident from a log line (text or JSON format), or `undefined` for other lines. */
export function incidentFromLogLine(line: string, modelName: string): Incident | undefined {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const record = JSON.parse(trimmed) as Partial<Incident> & { event?: string };
      if (record.event !== 'incident' || typeof record.id !== 'string' || typeof record.at !== 'number')
        return undefined;
      return record as Incident;
    } catch {
      return undefined;
    }
  }
  const m = /^(\S+) - (\w+) - incident (\w+) (.*)$/.exec(trimmed);
  if (m === null) return undefined;
  const f = fields(m[4]!);
  const at = Date.parse(m[1]!);
  if (!Number.isFinite(at) || f.id === undefined || f.key === undefined) return undefined;
  const route = f.route ?? '';
  const space = route.indexOf(' ');
  const incident: Incident = {
    id: f.id,
    at,
    modelName,
    type: m[3] as ThreatType,
    severity: (f.severity as Severity | undefined) ?? SEVERITY[m[2]!] ?? 'medium',
    detail: f.detail ?? '',
    key: f.key,
    ip: f.ip ?? f.key,
    action: (f.action as Action | undefined) ?? 'flag',
    evidence: {},
    occurrences: f.occurrences === undefined ? 1 : Number(f.occurrences),
  };
  if (route !== '') {
    if (space > 0 && /^[A-Z]+$/.test(route.slice(0, space))) {
      incident.method = route.slice(0, space);
      incident.path = route.slice(space + 1);
    } else incident.path = route;
  }
  if (f.principal !== undefined) incident.principal = f.principal;
  if (f.score !== undefined) incident.score = Number(f.score);
  if (f.rules !== undefined) incident.rules = f.rules.split(',');
  if (f.input !== undefined) incident.excerpt = f.input;
  return incident;
}

/** Incidents from `security_{model}_{date}.log` files of a directory whose date overlaps the window. */
export async function incidentsFromLogs(
  dir: string,
  since: number,
  until: number,
  model?: string,
): Promise<Incident[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(
      `cannot read the log directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const files = names.filter((f) => /^security_.+_\d{4}-\d{2}-\d{2}\.log$/.test(f));
  const out: Incident[] = [];
  const firstDay = new Date(since).toISOString().slice(0, 10);
  const lastDay = new Date(until).toISOString().slice(0, 10);
  for (const file of files) {
    const m = /^security_(.+)_(\d{4}-\d{2}-\d{2})\.log$/.exec(file)!;
    const [, name, day] = m as unknown as [string, string, string];
    if ((model !== undefined && name !== model) || day < firstDay || day > lastDay) continue;
    const text = await readFile(join(dir, file), 'utf8');
    for (const line of text.split('\n')) {
      const incident = incidentFromLogLine(line, name);
      if (incident !== undefined && incident.at >= since && incident.at <= until) out.push(incident);
    }
  }
  return out.sort((a, b) => b.at - a.at);
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The summary as a plain table for a terminal. */
export function summaryTable(s: IncidentSummary): string {
  const lines: string[] = [];
  const section = (title: string, rows: Array<[string, string | number]>) => {
    lines.push('', title);
    if (rows.length === 0) lines.push('  (none)');
    const width = Math.min(48, Math.max(10, ...rows.map(([k]) => k.length)));
    for (const [k, v] of rows) lines.push(`  ${pad(k, width)}  ${String(v).padStart(8)}`);
  };
  lines.push(`Incidents on ${s.modelName}, ${s.since} to ${s.until} (${s.hours} h)`);
  lines.push(
    `${s.totalIncidents} incidents, ${s.totalOccurrences} occurrences: ${s.blocked} blocked, ${s.flagged} flagged`,
  );
  section(
    'By type',
    Object.entries(s.byType).map(([k, v]): [string, number] => [k, v ?? 0]),
  );
  section(
    'By severity',
    Object.entries(s.bySeverity).map(([k, v]): [string, number] => [k, v ?? 0]),
  );
  section(
    'Top clients',
    s.topKeys.map((k): [string, number] => [k.key, k.count]),
  );
  section(
    'Riskiest clients',
    s.riskiest.map((r): [string, number] => [r.key, r.risk]),
  );
  section(
    'Top routes',
    s.topRoutes.map((r): [string, number] => [r.route, r.count]),
  );
  lines.push('', 'Recent incidents');
  for (const i of s.recent) {
    const rules = i.rules !== undefined && i.rules.length > 0 ? ` [${i.rules.join(', ')}]` : '';
    lines.push(
      `  ${new Date(i.at).toISOString().replace('T', ' ').slice(0, 19)}  ${pad(i.severity, 8)} ${pad(i.type, 18)} ${pad(i.key, 20)} ${i.action}${rules}`,
    );
  }
  if (s.recent.length === 0) lines.push('  (none)');
  return `${lines.join('\n')}\n`;
}

/** Summarise incidents of a window (the CLI's work, importable for scripts). */
export function summarize(
  incidents: Incident[],
  modelName: string,
  since: number,
  until: number,
): IncidentSummary {
  return summarizeIncidents(incidents, {
    modelName,
    since,
    until,
    hours: Math.round(((until - since) / 3_600_000) * 1000) / 1000,
    recent: 20,
  });
}
