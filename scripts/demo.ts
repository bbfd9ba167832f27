/**
 * `pnpm demo` (Express) or `pnpm demo --koa`: starts the example inference API on 127.0.0.1 with
 * the in-memory defaults, sends a short, bounded burst of benign and malicious traffic at it,
 * prints the incident summary as a table, and stops.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncidentSummary } from '../packages/core/src/index.js';
import { BENIGN_PROMPTS, MALICIOUS_PROMPTS } from './demo-traffic.js';

const koa = process.argv.includes('--koa');
const name = koa ? 'koa-basic' : 'express-basic';
const summaryToken = randomBytes(24).toString('hex');
const security = { log: { dir: `examples/${name}/logs` } };

interface Example {
  listen(port: number, host: string): Server;
}
const { app, security: middleware } = koa
  ? (await import('../examples/koa-basic/src/app.js')).createApp({ summaryToken, security })
  : (await import('../examples/express-basic/src/app.js')).createApp({ summaryToken, security });
const server = (app as Example).listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function post(path: string, body: unknown, client: string): Promise<number> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const chat = (content: string) => ({ model: 'production_model', messages: [{ role: 'user', content }] });
const statuses = new Map<number, number>();
const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
const started = Date.now();

// 1. Ordinary users: 40 benign prompts from 8 clients.
for (let i = 0; i < 40; i++) {
  count(
    await post(
      '/v1/chat/completions',
      chat(BENIGN_PROMPTS[i % BENIGN_PROMPTS.length]!),
      `198.51.100.${10 + (i % 8)}`,
    ),
  );
}
// 2. An attacker tries one prompt of each family.
for (const prompt of MALICIOUS_PROMPTS)
  count(await post('/v1/chat/completions', chat(prompt), '203.0.113.66'));
// 3. A scraper sends 120 requests in a few seconds (limit: 100 a minute).
for (let i = 0; i < 120; i++)
  count(await post('/v1/chat/completions', chat(`Describe product #${i}`), '203.0.113.77'));
// 4. Someone guesses API keys.
for (let i = 0; i < 6; i++) count(await post('/v1/auth/token', { apiKey: `guess-${i}` }, '203.0.113.88'));

const res = await fetch(`${base}/security/summary?hours=1`, {
  headers: { authorization: `Bearer ${summaryToken}` },
});
const summary = (await res.json()) as IncidentSummary;
const sent = [...statuses.values()].reduce((a, b) => a + b, 0);

function table(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(title.length, ...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(width + 12));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${String(v).padStart(8)}`);
}

console.log(
  `\nai-security-monitor demo (${koa ? 'Koa' : 'Express'}) — ${sent} requests in ${Date.now() - started} ms against ${base} (mode: monitor)`,
);
table(
  'Responses',
  [...statuses.entries()].sort().map(([s, n]): [string, number] => [`HTTP ${s}`, n]),
);
table(
  `Incidents in the last hour (${summary.totalIncidents} recorded, ${summary.totalOccurrences} occurrences)`,
  Object.entries(summary.byType).map(([t, n]): [string, number] => [t, n ?? 0]),
);
table(
  'By severity',
  Object.entries(summary.bySeverity).map(([t, n]): [string, number] => [t, n ?? 0]),
);
table(
  'Top clients',
  summary.topKeys.map((k): [string, number] => [k.key, k.count]),
);
console.log('\nMost recent incidents');
for (const i of summary.recent.slice(0, 12)) {
  const rules = i.rules?.length ? ` [${i.rules.join(', ')}]` : '';
  console.log(
    `  ${new Date(i.at).toISOString().slice(11, 19)}  ${i.severity.padEnd(8)} ${i.type.padEnd(18)} ${i.key.padEnd(15)}${rules}`,
  );
}
console.log(`\nIncident log: ${middleware.monitor.incidentLog?.fileFor(Date.now())}`);
console.log('Monitor mode never blocks; run with mode: "enforce" to answer 403/429 instead.\n');

await new Promise<void>((resolve) => server.close(() => resolve()));
await middleware.close();
