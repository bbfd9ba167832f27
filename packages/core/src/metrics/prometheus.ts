import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsHooks } from './hooks.js';

export interface PrometheusMetricsOptions {
  /** Your registry (e.g. prom-client's global `register`), or a new one. */
  registry?: Registry;
  /** Prefix of every metric name. Defaults to `'ai_security_'`. */
  prefix?: string;
  /** Histogram buckets for the `inspect` latency, in seconds. */
  buckets?: number[];
}

/**
 * Prometheus metrics of a monitor, on prom-client (an optional peer dependency):
 * `requests_inspected_total`, `actions_total{action}`, `threats_total{type,severity}`,
 * `alerts_total{outcome}`, `inspect_duration_seconds` and `store_up`.
 *
 * ```ts
 * const metrics = new PrometheusMetrics();
 * const security = aiSecurity({ metrics });
 * app.get('/metrics', security.metrics({ public: true }));
 * ```
 */
export class PrometheusMetrics implements MetricsHooks {
  readonly registry: Registry;
  private readonly inspectedTotal: Counter;
  private readonly actions: Counter<'action'>;
  private readonly threats: Counter<'type' | 'severity'>;
  private readonly alerts: Counter<'outcome'>;
  private readonly duration: Histogram;
  private readonly storeUp: Gauge;

  constructor(options: PrometheusMetricsOptions = {}) {
    const prefix = options.prefix ?? 'ai_security_';
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    this.inspectedTotal = new Counter({
      name: `${prefix}requests_inspected_total`,
      help: 'Requests inspected.',
      registers,
    });
    this.actions = new Counter({
      name: `${prefix}actions_total`,
      help: 'Decisions by action (allow, flag, block).',
      labelNames: ['action'],
      registers,
    });
    this.threats = new Counter({
      name: `${prefix}threats_total`,
      help: 'Threats recorded, by type and severity.',
      labelNames: ['type', 'severity'],
      registers,
    });
    this.alerts = new Counter({
      name: `${prefix}alerts_total`,
      help: 'Alert messages sent and undelivered, and incident occurrences suppressed.',
      labelNames: ['outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: `${prefix}inspect_duration_seconds`,
      help: 'Time spent in inspect, per request.',
      buckets: options.buckets ?? [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers,
    });
    this.storeUp = new Gauge({
      name: `${prefix}store_up`,
      help: '1 when the store is reachable.',
      registers,
    });
    this.storeUp.set(1);
  }

  inspected(action: 'allow' | 'flag' | 'block', seconds: number): void {
    this.inspectedTotal.inc();
    this.actions.inc({ action });
    this.duration.observe(seconds);
  }

  threat(type: string, severity: string): void {
    this.threats.inc({ type, severity });
  }

  alert(outcome: 'sent' | 'undelivered' | 'suppressed', count = 1): void {
    this.alerts.inc({ outcome }, count);
  }

  storeHealth(up: boolean): void {
    this.storeUp.set(up ? 1 : 0);
  }

  /** The exposition text and its content type, for a `/metrics` handler. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
