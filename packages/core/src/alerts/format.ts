import type { Incident } from '../types.js';
import { escapeControl } from '../util/text.js';
import type { Alert } from './types.js';

/** At most this many incidents are listed in one message. */
export const LISTED_INCIDENTS = 20;

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function time(at: number): string {
  return new Date(at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

/** `[AI Security] HIGH rate_limit on production_model from 203.0.113.7 (3 incidents)` */
export function alertSubject(alert: Alert): string {
  return `[AI Security] ${escapeControl(alert.title)}`;
}

/** The one-line title of a digest of incidents. */
export function digestTitle(modelName: string, incidents: Incident[], count: number): string {
  const top = incidents.reduce<Incident | undefined>((best, i) => {
    if (best === undefined) return i;
    const order = ['info', 'low', 'medium', 'high', 'critical'];
    return order.indexOf(i.severity) > order.indexOf(best.severity) ? i : best;
  }, undefined);
  if (top === undefined) return `${count} incidents on ${modelName}`;
  const types = [...new Set(incidents.map((i) => i.type))];
  const keys = [...new Set(incidents.map((i) => i.key))];
  const what = types.length === 1 ? top.type : `${top.type} and ${types.length - 1} more types`;
  const from = keys.length === 1 ? top.key : `${keys.length} clients`;
  return `${top.severity.toUpperCase()} ${what} on ${modelName} from ${from} (${count} incident${count === 1 ? '' : 's'})`;
}

function incidentLine(i: Incident): string {
  const parts = [`${time(i.at)}  ${i.severity.toUpperCase()} ${i.type}`, `client ${i.key}`];
  if (i.ip !== i.key) parts.push(`ip ${i.ip}`);
  if (i.path !== undefined) parts.push(`route ${`${i.method ?? ''} ${i.path}`.trim()}`);
  parts.push(`action ${i.action}`);
  if (i.occurrences > 1) parts.push(`×${i.occurrences}`);
  return escapeControl(parts.join(', '));
}

/** The plain-text body: what happened, when, from where, which rules matched, what was done. */
export function alertText(alert: Alert): string {
  const lines: string[] = [alert.title, ''];
  if (alert.message !== undefined) lines.push(escapeControl(alert.message), '');
  if (alert.kind === 'report' && alert.summary !== undefined) {
    const s = alert.summary;
    lines.push(`Incident report for ${s.modelName}, ${s.since} to ${s.until} (${s.hours} h)`);
    lines.push(`Incidents: ${s.totalIncidents} (${s.totalOccurrences} occurrences)`);
    for (const [type, n] of Object.entries(s.byType)) lines.push(`  ${type}: ${n}`);
    if (s.topKeys.length > 0)
      lines.push('Top clients:', ...s.topKeys.map((k) => `  ${escapeControl(k.key)}: ${k.count}`));
    lines.push('');
  }
  for (const i of alert.incidents.slice(0, LISTED_INCIDENTS)) {
    lines.push(incidentLine(i));
    lines.push(`  ${escapeControl(i.detail)}`);
    if (i.rules !== undefined && i.rules.length > 0) lines.push(`  rules: ${i.rules.join(', ')}`);
    if (i.excerpt !== undefined) lines.push(`  input: ${escapeControl(i.excerpt)}`);
    lines.push(`  incident ${i.id}`);
  }
  const unlisted =
    alert.count - alert.incidents.slice(0, LISTED_INCIDENTS).reduce((n, i) => n + i.occurrences, 0);
  if (unlisted > 0)
    lines.push(
      '',
      `${unlisted} more incident occurrences are not listed (repeats and what the hourly cap held back).`,
    );
  if (alert.suppressed > 0 && alert.incidents.length === 0)
    lines.push('', `${alert.suppressed} more incidents suppressed.`);
  if (alert.summaryUrl !== undefined) lines.push('', `Summary: ${alert.summaryUrl}`);
  lines.push('', `Sent by ai-security-monitor at ${time(alert.createdAt)}.`);
  return lines.join('\n');
}

/** The HTML body: the same facts as the text, every untrusted value escaped. */
export function alertHtml(alert: Alert): string {
  const rows = alert.incidents
    .slice(0, LISTED_INCIDENTS)
    .map((i) => {
      const route = i.path === undefined ? '' : `${i.method ?? ''} ${i.path}`.trim();
      const rules = i.rules !== undefined && i.rules.length > 0 ? i.rules.join(', ') : '';
      return `<tr><td>${html(time(i.at))}</td><td><b>${html(i.severity.toUpperCase())}</b></td><td>${html(i.type)}</td><td>${html(i.key)}</td><td>${html(route)}</td><td>${html(i.action)}${i.occurrences > 1 ? ` ×${i.occurrences}` : ''}</td><td>${html(rules)}</td><td><code>${html(escapeControl(i.excerpt ?? ''))}</code></td></tr>`;
    })
    .join('\n');
  const unlisted =
    alert.count - alert.incidents.slice(0, LISTED_INCIDENTS).reduce((n, i) => n + i.occurrences, 0);
  const parts = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif">',
    `<h2>${html(alert.title)}</h2>`,
  ];
  if (alert.message !== undefined) parts.push(`<p>${html(alert.message)}</p>`);
  if (alert.kind === 'report' && alert.summary !== undefined) {
    const s = alert.summary;
    parts.push(
      `<p>Incident report for ${html(s.modelName)}, ${html(s.since)} to ${html(s.until)}: <b>${s.totalIncidents}</b> incidents (${s.totalOccurrences} occurrences).</p>`,
      `<ul>${Object.entries(s.byType)
        .map(([t, n]) => `<li>${html(t)}: ${n}</li>`)
        .join('')}</ul>`,
    );
  }
  if (rows !== '') {
    parts.push(
      '<table border="1" cellpadding="4" cellspacing="0"><tr><th>time</th><th>severity</th><th>type</th><th>client</th><th>route</th><th>action</th><th>rules</th><th>input</th></tr>',
      rows,
      '</table>',
    );
  }
  if (unlisted > 0) parts.push(`<p>${unlisted} more incident occurrences are not listed.</p>`);
  if (alert.suppressed > 0 && alert.incidents.length === 0)
    parts.push(`<p>${alert.suppressed} more incidents suppressed.</p>`);
  if (alert.summaryUrl !== undefined)
    parts.push(`<p><a href="${html(alert.summaryUrl)}">Open the incident summary</a></p>`);
  parts.push(
    `<p style="color:#666">Sent by ai-security-monitor at ${html(time(alert.createdAt))}.</p></body></html>`,
  );
  return parts.join('\n');
}

function slack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack-compatible `text`: the title and the first incidents, one per line, escaped for mrkdwn. */
export function alertSlackText(alert: Alert): string {
  const lines = [`*${slack(escapeControl(alert.title))}*`];
  if (alert.message !== undefined) lines.push(slack(escapeControl(alert.message)));
  for (const i of alert.incidents.slice(0, 5)) {
    const rules = i.rules !== undefined && i.rules.length > 0 ? ` [${i.rules.join(', ')}]` : '';
    lines.push(`• ${slack(incidentLine(i))}${rules}`);
  }
  if (alert.incidents.length > 5) lines.push(`…and ${alert.incidents.length - 5} more listed incidents`);
  if (alert.summaryUrl !== undefined) lines.push(`<${alert.summaryUrl}|Summary>`);
  return lines.join('\n');
}
