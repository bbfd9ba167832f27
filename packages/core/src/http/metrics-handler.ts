import type { SecurityMonitor } from '../monitor.js';
import { type SummaryAccessOptions, summaryAccessAllowed } from './summary-guard.js';
import type { SummaryReply } from './summary-handler.js';

interface Exposing {
  expose(): Promise<{ contentType: string; body: string }>;
}

/**
 * The `/metrics` endpoint, shared by the adapters: the monitor's Prometheus metrics (when its
 * `metrics` option exposes them, as `PrometheusMetrics` does), behind the same protection as the
 * summary (token, `authorize`, or an explicit `public: true` for a scrape on a private port).
 */
export async function metricsReply<Req>(
  monitor: SecurityMonitor,
  options: SummaryAccessOptions<Req>,
  req: Req,
  authorization: string | undefined,
): Promise<SummaryReply> {
  if (!(await summaryAccessAllowed(options, req, authorization))) {
    return {
      status: 401,
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        ...(options.token !== undefined ? { 'WWW-Authenticate': 'Bearer realm="ai-security-monitor"' } : {}),
      },
      body: 'unauthorized\n',
    };
  }
  const metrics = monitor.options.metrics as Partial<Exposing> | undefined;
  if (metrics === undefined || typeof metrics.expose !== 'function') {
    return {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'metrics are not configured (option `metrics`)\n',
    };
  }
  const { contentType, body } = await metrics.expose();
  return { status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' }, body };
}
