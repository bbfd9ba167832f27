import type { Incident } from '../types.js';

/**
 * State of one sliding window after an operation: two adjacent fixed windows (`prev` and `curr`)
 * plus the time of the last hit in each, so that the estimate can drop a burst as soon as its last
 * hit leaves the sliding window. O(1) memory per key.
 */
export interface WindowState {
  /** Start of the current fixed window (ms since the epoch). */
  start: number;
  /** Weighted hits in the previous fixed window `[start - windowMs, start)`. */
  prev: number;
  /** Weighted hits in the current fixed window `[start, start + windowMs)`. */
  curr: number;
  /** Time of the last hit in the previous window (0 when none). */
  prevLast: number;
  /** Time of the last hit in the current window. */
  last: number;
}

/** Result of {@link Store.hit}. */
export interface HitResult {
  /** Window state after the operation. */
  state: WindowState;
  /** `false` when the request did not fit under the limit and was not counted. */
  counted: boolean;
  /** `true` when the shared store was unreachable and a local fallback answered (fail-open). */
  degraded?: boolean;
  /** The client's ban, when one is active at `now`. */
  ban?: Ban;
  /** The client's risk score as last written (decay it to `now` with the half-life). */
  risk?: { score: number; at: number };
}

/** A temporary ban of a client. */
export interface Ban {
  key: string;
  /** ms since the epoch. */
  until: number;
  /** 1 for a first offence, 2 for the second within the offence memory, … */
  level: number;
  reason: string;
}

/** How a ban escalates: `baseMs × 2^(level − 1)`, capped at `maxMs`. */
export interface BanPolicy {
  baseMs: number;
  maxMs: number;
  /** Offences older than this are forgotten. */
  memoryMs: number;
  reason: string;
  /** A fixed duration instead of the escalation (for `monitor.ban(key, ms)`). */
  exactMs?: number;
}

/** The client part of a store key: route namespaces are written `namespace|client`. */
export function clientOf(key: string): string {
  const bar = key.lastIndexOf('|');
  return bar === -1 ? key : key.slice(bar + 1);
}

/**
 * Thrown by a store that cannot answer and whose policy is fail-closed: the monitor then refuses
 * the request with 503 instead of serving it unchecked.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'ERR_ASM_STORE_UNAVAILABLE';
  constructor(store: string, cause: unknown) {
    super(`store ${store} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}

/** Query for incidents, by time. */
export interface IncidentQuery {
  /** ms since the epoch, inclusive. */
  since: number;
  /** ms since the epoch, inclusive. */
  until: number;
  /** At most this many, newest first. */
  limit?: number;
}

/**
 * Where counters and incidents live. The memory store is the default; a Redis store implements
 * the same contract so that every instance of an app shares one view. Every method that the
 * request path calls (`hit`) must be one round trip at most.
 */
export interface Store {
  /** A short name for logs, e.g. `memory` or `redis`. */
  readonly name: string;
  /**
   * Count `cost` against the sliding window of `key` at time `now`, unless that would take the
   * window's count over `limit`: a refused request is not counted, so a client that waits for
   * `Retry-After` gets in on time however often it knocked. Atomic; one round trip. Windows
   * start at a key's first hit and roll every `windowMs`.
   */
  hit(key: string, windowMs: number, limit: number, cost: number, now: number): Promise<HitResult>;
  /** Count one failure for `key`; same window semantics as `hit`. */
  addFailure(key: string, windowMs: number, now: number): Promise<WindowState>;
  /** Forget every counter of `key`. */
  resetKey(key: string): Promise<void>;
  /** Keep an incident for the summary. Bounded by the store: the oldest go first. */
  appendIncident(incident: Incident): Promise<void>;
  /** Incidents in a time range, newest first. */
  listIncidents(query: IncidentQuery): Promise<Incident[]>;
  /**
   * Append `value` to a bounded, windowed list under `key` and return the list after, oldest
   * first (entries older than `windowMs` dropped, at most `max` kept). For input fingerprints.
   */
  recent(
    key: string,
    value: string,
    now: number,
    windowMs: number,
    max: number,
  ): Promise<Array<{ value: string; at: number }>>;
  /** Add `member` to a windowed set under `key`: how many distinct members it holds, and whether `member` is new. */
  distinct(
    key: string,
    member: string,
    now: number,
    windowMs: number,
  ): Promise<{ count: number; isNew: boolean }>;
  /**
   * Count one request in fixed buckets of `bucketMs` and keep an exponentially weighted average of
   * the closed buckets (`alpha` weight of the newest). Returns the open bucket's count, the baseline
   * and how many buckets the baseline has seen.
   */
  baseline(
    key: string,
    now: number,
    bucketMs: number,
    alpha: number,
  ): Promise<{ current: number; baseline: number; buckets: number }>;
  /** Add to the client's risk score, which halves every `halfLifeMs`; returns the score after. */
  addRisk(key: string, amount: number, now: number, halfLifeMs: number): Promise<number>;
  /** Ban a client, escalating with its recent offences. Returns the ban. */
  ban(key: string, now: number, policy: BanPolicy): Promise<Ban>;
  /** Lift a ban (the offence count stays). `true` when there was one. */
  unban(key: string): Promise<boolean>;
  /** Bans active at `now`. */
  listBans(now: number): Promise<Ban[]>;
  /** Release timers and connections. */
  close(): Promise<void>;
}
