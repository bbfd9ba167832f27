import { randomUUID } from 'node:crypto';
import type { IncidentLog } from '../incidents/incident-log.js';
import type { Logger } from '../logger.js';
import { type Incident, type IncidentSummary, maxSeverity, type Severity, severityRank } from '../types.js';
import { digestTitle, LISTED_INCIDENTS } from './format.js';
import { type Alert, type Notifier, PermanentDeliveryError } from './types.js';

/** Policy of the {@link Alerter}. */
export interface AlerterOptions {
  modelName: string;
  /** Lowest severity that alerts. */
  minSeverity: Severity;
  /** Quiet time per (threat type, key) after it was listed in an alert; repeats are counted, not listed. */
  cooldownMs: number;
  /** Incidents arriving within this window go out as one message. `0` sends at once. */
  digestMs: number;
  /** Most incident messages per channel per hour; what is held back goes out in one final message. */
  maxPerHour: number;
  /** Delivery attempts per message before it is logged as undelivered. */
  maxAttempts: number;
  /** First retry delay; doubles each attempt, with jitter, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Messages waiting per channel; past it new messages are logged as undelivered. */
  queueSize: number;
  /** A channel failing for this long raises a self-alert on the other channels. */
  channelFailureAlertMs: number;
  /** Periodic report interval (ms), or `undefined` for none. */
  reportEveryMs?: number;
  /** Hours covered by a periodic report. */
  reportHours?: number;
  summaryUrl?: string;
}

/** Counters of what the alerter did since it started. */
export interface AlertStats {
  /** Messages delivered (per channel). */
  sent: number;
  /** Incident occurrences counted in a message without being listed (cooldown repeats and what the cap held back). */
  suppressed: number;
  /** Messages given up on, after their retries (per channel). */
  undelivered: number;
  /** Messages waiting in the channels' queues. */
  queued: number;
}

interface Channel {
  notifier: Notifier;
  name: string;
  queue: Alert[];
  running: Promise<void> | undefined;
  failingSince: number | undefined;
  failureAlerted: boolean;
}

interface Deps {
  logger: Logger;
  incidentLog?: IncidentLog | undefined;
  /** For periodic reports. */
  summarize?: (hours: number) => Promise<IncidentSummary>;
  /** Told of every outcome, for metrics. */
  onOutcome?: (outcome: 'sent' | 'undelivered' | 'suppressed', count: number) => void;
}

/**
 * Decides what becomes an alert, groups bursts into digests, enforces cooldowns and an hourly cap,
 * and delivers to every channel through a bounded queue with retries and exponential backoff with
 * jitter. Nothing is lost silently: a message that cannot be delivered is written to the incident
 * log as `alert undelivered` with its incident ids. Never on the request path.
 */
export class Alerter {
  private readonly channels: Channel[];
  private readonly cooldowns = new Map<string, number>();
  private pending: Incident[] = [];
  private pendingCount = 0;
  /** Occurrences counted but not yet in any message (cooldown repeats, cap overflow). */
  private heldBack = 0;
  private digestTimer: NodeJS.Timeout | undefined;
  private hourStart = 0;
  private sentThisHour = 0;
  private hourTimer: NodeJS.Timeout | undefined;
  private heldTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private closing = false;
  private readonly counters = { sent: 0, suppressed: 0, undelivered: 0 };

  constructor(
    private readonly options: AlerterOptions,
    notifiers: Notifier[],
    private readonly deps: Deps,
  ) {
    this.channels = notifiers.map((notifier, i) => ({
      notifier,
      name: notifier.name ?? `notifier ${i + 1}`,
      queue: [],
      running: undefined,
      failingSince: undefined,
      failureAlerted: false,
    }));
  }

  /** Verify the channels (warnings only) and start the periodic report. */
  start(): void {
    for (const channel of this.channels) {
      if (channel.notifier.verify === undefined) continue;
      channel.notifier.verify().catch((error: unknown) => {
        this.deps.logger.warn(`alert channel ${channel.name} cannot be reached; alerts will be retried`, {
          error: message(error),
        });
      });
    }
    const every = this.options.reportEveryMs;
    if (every !== undefined && this.deps.summarize !== undefined) {
      this.reportTimer = setInterval(() => void this.sendReport(), every);
      this.reportTimer.unref();
    }
  }

  stats(): AlertStats {
    return { ...this.counters, queued: this.channels.reduce((n, c) => n + c.queue.length, 0) };
  }

  /** Consider a recorded incident for alerting. Cheap; all work happens later, off the request path. */
  consider(incident: Incident, now = Date.now()): void {
    if (this.closing || this.channels.length === 0) return;
    if (severityRank(incident.severity) < severityRank(this.options.minSeverity)) return;
    const key = `${incident.type}|${incident.key}`;
    const last = this.cooldowns.get(key);
    if (last !== undefined && now - last < this.options.cooldownMs) {
      // A repeat within the cooldown: counted, and told in the next message.
      this.heldBack += incident.occurrences;
      this.scheduleHeldBack();
      return;
    }
    this.cooldowns.set(key, now);
    if (this.cooldowns.size > 50_000) this.pruneCooldowns(now);
    if (this.pending.length < LISTED_INCIDENTS) {
      this.pending.push(incident);
      this.pendingCount += incident.occurrences;
    } else {
      this.heldBack += incident.occurrences;
    }
    if (this.digestTimer === undefined) {
      this.digestTimer = setTimeout(() => this.sendDigest(), this.options.digestMs);
      this.digestTimer.unref();
    }
  }

  private pruneCooldowns(now: number): void {
    for (const [key, at] of this.cooldowns)
      if (now - at >= this.options.cooldownMs) this.cooldowns.delete(key);
  }

  /** Send what is pending now, as one message per channel (within the hourly cap). */
  private sendDigest(now = Date.now()): void {
    if (this.digestTimer !== undefined) clearTimeout(this.digestTimer);
    this.digestTimer = undefined;
    if (this.pending.length === 0) return;
    const incidents = this.pending;
    const listed = this.pendingCount;
    this.pending = [];
    this.pendingCount = 0;
    if (now - this.hourStart >= 3_600_000) {
      this.hourStart = now;
      this.sentThisHour = 0;
    }
    if (this.sentThisHour >= this.options.maxPerHour) {
      // Over the cap: counted now, told in one message when the hour ends (or on close).
      this.heldBack += listed;
      this.scheduleHourEnd(now);
      return;
    }
    this.sentThisHour++;
    const suppressed = this.heldBack;
    this.heldBack = 0;
    this.counters.suppressed += suppressed;
    if (suppressed > 0) this.deps.onOutcome?.('suppressed', suppressed);
    const count = listed + suppressed;
    const severity = incidents.reduce<Severity>((s, i) => maxSeverity(s, i.severity), 'info');
    this.enqueueAll({
      id: randomUUID(),
      kind: 'incidents',
      createdAt: now,
      modelName: this.options.modelName,
      severity,
      title: digestTitle(this.options.modelName, incidents, count),
      incidents,
      count,
      suppressed,
      ...(this.options.summaryUrl !== undefined ? { summaryUrl: this.options.summaryUrl } : {}),
    });
  }

  /** Repeats that no digest carries go out on their own, once per cooldown, within the cap. */
  private scheduleHeldBack(): void {
    if (this.heldTimer !== undefined || this.digestTimer !== undefined || this.hourTimer !== undefined)
      return;
    this.heldTimer = setTimeout(
      () => {
        this.heldTimer = undefined;
        const now = Date.now();
        if (now - this.hourStart >= 3_600_000) {
          this.hourStart = now;
          this.sentThisHour = 0;
        }
        if (this.sentThisHour >= this.options.maxPerHour) {
          this.scheduleHourEnd(now);
          return;
        }
        this.sentThisHour++;
        this.sendHeldBack(now);
      },
      Math.max(1, this.options.cooldownMs),
    );
    this.heldTimer.unref();
  }

  private scheduleHourEnd(now: number): void {
    if (this.hourTimer !== undefined) return;
    this.hourTimer = setTimeout(
      () => {
        this.hourTimer = undefined;
        this.sendHeldBack();
      },
      Math.max(1, this.hourStart + 3_600_000 - now),
    );
    this.hourTimer.unref();
  }

  /** The final "N more incidents suppressed" message. */
  private sendHeldBack(now = Date.now()): void {
    if (this.heldBack === 0) return;
    const count = this.heldBack;
    this.heldBack = 0;
    this.counters.suppressed += count;
    this.deps.onOutcome?.('suppressed', count);
    this.enqueueAll({
      id: randomUUID(),
      kind: 'incidents',
      createdAt: now,
      modelName: this.options.modelName,
      severity: this.options.minSeverity,
      title: `${count} more incidents suppressed on ${this.options.modelName}`,
      incidents: [],
      count,
      suppressed: count,
      ...(this.options.summaryUrl !== undefined ? { summaryUrl: this.options.summaryUrl } : {}),
    });
  }

  /** An alert about the monitor itself (store unreachable, channel failing, recovered). */
  selfAlert(text: string, severity: Severity = 'high', except?: Channel): void {
    if (this.closing) return;
    const alert: Alert = {
      id: randomUUID(),
      kind: 'self',
      createdAt: Date.now(),
      modelName: this.options.modelName,
      severity,
      title: `${severity.toUpperCase()} ai-security-monitor on ${this.options.modelName}: ${text}`,
      incidents: [],
      count: 0,
      suppressed: 0,
      message: text,
    };
    for (const channel of this.channels) if (channel !== except) this.enqueue(channel, alert);
  }

  private async sendReport(): Promise<void> {
    if (this.deps.summarize === undefined || this.closing) return;
    try {
      const hours = this.options.reportHours ?? 24;
      const summary = await this.deps.summarize(hours);
      this.enqueueAll({
        id: randomUUID(),
        kind: 'report',
        createdAt: Date.now(),
        modelName: this.options.modelName,
        severity: 'info',
        title: `Incident report for ${this.options.modelName}: ${summary.totalIncidents} incidents in ${hours} h`,
        incidents: summary.recent.slice(0, 10),
        count: summary.totalOccurrences,
        suppressed: 0,
        summary,
        ...(this.options.summaryUrl !== undefined ? { summaryUrl: this.options.summaryUrl } : {}),
      });
    } catch (error) {
      this.deps.logger.warn('periodic report failed', { error: message(error) });
    }
  }

  private enqueueAll(alert: Alert): void {
    for (const channel of this.channels) this.enqueue(channel, alert);
  }

  private enqueue(channel: Channel, alert: Alert): void {
    if (channel.queue.length >= this.options.queueSize) {
      this.undelivered(channel, alert, 'alert queue full');
      return;
    }
    channel.queue.push(alert);
    if (channel.running === undefined) {
      channel.running = this.pump(channel).finally(() => {
        channel.running = undefined;
      });
    }
  }

  private async pump(channel: Channel): Promise<void> {
    while (channel.queue.length > 0) {
      const alert = channel.queue[0]!;
      await this.deliver(channel, alert);
      channel.queue.shift();
    }
  }

  private async deliver(channel: Channel, alert: Alert): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        await channel.notifier.send(alert);
        this.counters.sent++;
        this.deps.onOutcome?.('sent', 1);
        if (channel.failingSince !== undefined) {
          const since = channel.failingSince;
          channel.failingSince = undefined;
          this.deps.logger.info(`alert channel ${channel.name} recovered`);
          if (channel.failureAlerted) {
            channel.failureAlerted = false;
            this.selfAlert(
              `alert channel ${channel.name} recovered (failing since ${new Date(since).toISOString()})`,
              'medium',
              channel,
            );
          }
        }
        return;
      } catch (error) {
        lastError = error;
        const now = Date.now();
        channel.failingSince ??= now;
        this.deps.logger.warn(
          `alert delivery through ${channel.name} failed (attempt ${attempt} of ${this.options.maxAttempts})`,
          {
            alert: alert.id,
            error: message(error),
          },
        );
        if (!channel.failureAlerted && now - channel.failingSince >= this.options.channelFailureAlertMs) {
          channel.failureAlerted = true;
          this.selfAlert(
            `alert channel ${channel.name} failing since ${new Date(channel.failingSince).toISOString()}`,
            'high',
            channel,
          );
        }
        if (error instanceof PermanentDeliveryError || this.closing) break;
        if (attempt < this.options.maxAttempts) await this.sleep(this.backoff(attempt));
        if (this.closing) break;
      }
    }
    this.undelivered(channel, alert, message(lastError));
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempt - 1));
    return Math.round(base * (0.5 + Math.random() * 0.5));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeping.delete(entry);
          resolve();
        }, ms),
        wake: () => {
          clearTimeout(entry.timer);
          this.sleeping.delete(entry);
          resolve();
        },
      };
      entry.timer.unref();
      this.sleeping.add(entry);
    });
  }

  private undelivered(channel: Channel, alert: Alert, reason: string): void {
    this.counters.undelivered++;
    this.deps.onOutcome?.('undelivered', 1);
    const ids = alert.incidents.map((i) => i.id);
    this.deps.logger.error(`alert undelivered through ${channel.name}: ${reason}`, {
      alert: alert.id,
      incidents: ids,
    });
    this.deps.incidentLog?.event('error', 'alert undelivered', {
      channel: channel.name,
      alert: alert.id,
      kind: alert.kind,
      count: alert.count,
      incidents: ids,
      reason,
    });
  }

  /**
   * Send what is pending (digest and held-back counts) and wait for the queues to drain, at most
   * `timeoutMs`; whatever is still queued then is logged as undelivered. Used by `monitor.close()`.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.reportTimer !== undefined) clearInterval(this.reportTimer);
    if (this.hourTimer !== undefined) clearTimeout(this.hourTimer);
    if (this.heldTimer !== undefined) clearTimeout(this.heldTimer);
    this.hourTimer = undefined;
    this.heldTimer = undefined;
    this.sendDigest();
    this.sendHeldBack();
    const drained = Promise.all(this.channels.map((c) => c.running ?? Promise.resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
      timer.unref();
    });
    const late = await Promise.race([drained.then(() => false), timedOut]);
    if (timer !== undefined) clearTimeout(timer);
    this.closing = true;
    if (late) {
      // Stop retrying; give up on what is left, and say so.
      for (const s of [...this.sleeping]) s.wake();
      for (const channel of this.channels) {
        for (const alert of channel.queue.splice(1))
          this.undelivered(channel, alert, 'shutdown before delivery');
      }
      await Promise.race([drained, new Promise((r) => setTimeout(r, 1000).unref())]);
    }
    await Promise.all(this.channels.map(async (c) => c.notifier.close?.()));
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
