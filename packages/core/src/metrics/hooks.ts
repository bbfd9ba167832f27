import type { Action, Severity, ThreatType } from '../types.js';

/**
 * What the monitor reports as it works. `PrometheusMetrics` (`@ai-security-monitor/core/metrics`)
 * implements it with prom-client; any object with these methods can collect the same figures.
 */
export interface MetricsHooks {
  /** A request was inspected, with its action and how long `inspect` took (seconds). */
  inspected(action: Action, seconds: number): void;
  /** A threat was recorded. */
  threat(type: ThreatType, severity: Severity): void;
  /** An alert message was delivered, given up on, or incident occurrences were suppressed. */
  alert(outcome: 'sent' | 'undelivered' | 'suppressed', count?: number): void;
  /** The store is reachable (`true`) or not. */
  storeHealth(up: boolean): void;
}
