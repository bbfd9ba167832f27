import type { Incident, IncidentSummary, Severity } from '../types.js';

/** What an alert is about. */
export type AlertKind = 'incidents' | 'report' | 'self';

/**
 * One message to the security team: a digest of incidents that arrived together, a periodic
 * report, or a note about the monitor itself. Channels format it as they see fit.
 */
export interface Alert {
  id: string;
  kind: AlertKind;
  /** ms since the epoch. */
  createdAt: number;
  modelName: string;
  /** Highest severity among the incidents (or of the self-alert). */
  severity: Severity;
  /** One line, e.g. `HIGH rate_limit on production_model from 203.0.113.7 (3 incidents)`. */
  title: string;
  /** Incidents listed in the alert (at most a few dozen; `count` says how many it stands for). */
  incidents: Incident[];
  /** How many incident occurrences this alert stands for, listed or not. */
  count: number;
  /** Occurrences not listed: repeats within the cooldown, and what the hourly cap held back. */
  suppressed: number;
  /** Link to the summary endpoint, when configured. */
  summaryUrl?: string;
  /** The summary, for periodic reports. */
  summary?: IncidentSummary;
  /** Free text, for self-alerts ("store redis unreachable since …"). */
  message?: string;
}

/** A channel that delivers alerts. Any object with `send` is one; throw to signal failure. */
export interface Notifier {
  /** Shown in logs, e.g. `smtp` or `webhook hooks.example.com`. */
  readonly name?: string;
  send(alert: Alert): Promise<void>;
  /** Check the channel at start-up (e.g. SMTP `verify`). A rejection is logged as a warning. */
  verify?(): Promise<void>;
  /** Release connections. */
  close?(): Promise<void> | void;
}

/** Thrown by a notifier when retrying cannot help (e.g. a 4xx from a webhook). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
