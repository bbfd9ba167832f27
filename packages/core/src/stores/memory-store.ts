import { advanceWindow, slidingCount } from '../detectors/rate-window.js';
import type { Incident } from '../types.js';
import { LruMap } from '../util/lru.js';
import {
  type Ban,
  type BanPolicy,
  clientOf,
  type HitResult,
  type IncidentQuery,
  type Store,
  type WindowState,
} from './store.js';

export interface MemoryStoreOptions {
  /**
   * Most client windows kept (rate and failure windows together). Past it the least recently
   * seen client is forgotten, so a flood of distinct addresses cannot grow memory without
   * limit. Defaults to `100000` (about 20 MB).
   */
  maxKeys?: number;
  /** Most incidents kept for the summary; the oldest go first. Defaults to `10000`. */
  maxIncidents?: number;
}

/** Most expired entries dropped from each map per hit. */
const SWEEP_BUDGET = 128;

function sweepExpired<V extends { expires: number }>(map: LruMap<string, V>, now: number): void {
  for (let i = 0; i < SWEEP_BUDGET; i++) {
    const oldest = map.oldest();
    if (oldest === undefined || oldest[1].expires > now) return;
    map.delete(oldest[0]);
  }
}

interface Entry extends WindowState {
  /** Window length, to tell when the entry has expired. */
  windowMs: number;
}

/**
 * The default store: everything in this process, bounded in size (LRU). Expired windows are
 * dropped as new hits arrive, without timers.
 */
export class MemoryStore implements Store {
  readonly name = 'memory';
  private readonly windows: LruMap<string, Entry>;
  private readonly incidents: Array<Incident | undefined>;
  private incidentHead = 0;
  private readonly lists: LruMap<string, { expires: number; items: Array<{ value: string; at: number }> }>;
  private readonly sets: LruMap<string, { expires: number; members: Map<string, number> }>;
  private readonly baselines: LruMap<
    string,
    { bucket: number; current: number; baseline: number; buckets: number; expires: number }
  >;
  private readonly risks: LruMap<string, { score: number; at: number; expires: number }>;
  private readonly bans = new Map<string, Ban>();
  private readonly offences: LruMap<string, { level: number; at: number; expires: number }>;
  private incidentCount = 0;

  constructor(options: MemoryStoreOptions = {}) {
    const { maxKeys = 100_000, maxIncidents = 10_000 } = options;
    if (!Number.isInteger(maxKeys) || maxKeys <= 0) {
      throw new RangeError(
        `MemoryStore: \`maxKeys\` must be a positive whole number, got ${String(maxKeys)}`,
      );
    }
    if (!Number.isInteger(maxIncidents) || maxIncidents <= 0) {
      throw new RangeError(
        `MemoryStore: \`maxIncidents\` must be a positive whole number, got ${String(maxIncidents)}`,
      );
    }
    this.windows = new LruMap(maxKeys);
    this.lists = new LruMap(maxKeys);
    this.sets = new LruMap(maxKeys);
    this.baselines = new LruMap(maxKeys);
    this.risks = new LruMap(maxKeys);
    this.offences = new LruMap(maxKeys);
    this.incidents = new Array(maxIncidents);
  }

  /** Number of client windows held now. */
  get size(): number {
    return this.windows.size;
  }

  /**
   * Entries held in every map: rate and failure windows plus the sequence detectors' state
   * (recent fingerprints, distinct sets, rate baselines, risk scores, offence counts).
   */
  get stateSize(): number {
    return (
      this.windows.size +
      this.lists.size +
      this.sets.size +
      this.baselines.size +
      this.risks.size +
      this.offences.size
    );
  }

  async hit(key: string, windowMs: number, limit: number, cost: number, now: number): Promise<HitResult> {
    return this.count(`r:${key}`, windowMs, limit, cost, now);
  }

  async addFailure(key: string, windowMs: number, now: number): Promise<WindowState> {
    return this.count(`f:${key}`, windowMs, Number.POSITIVE_INFINITY, 1, now).state;
  }

  private count(id: string, windowMs: number, limit: number, cost: number, now: number): HitResult {
    this.sweep(now);
    const current = this.windows.peek(id);
    const counted = current === undefined || slidingCount(current, windowMs, now) + cost <= limit;
    const state = advanceWindow(current, windowMs, counted ? cost : 0, now);
    // All six fields in one literal: adding `windowMs` afterwards would push it out of the object
    // into a separate property array, ~40 bytes more for every client held.
    const next: Entry = {
      start: state.start,
      prev: state.prev,
      curr: state.curr,
      prevLast: state.prevLast,
      last: state.last,
      windowMs,
    };
    this.windows.set(id, next);
    const result: HitResult = {
      state: {
        start: next.start,
        prev: next.prev,
        curr: next.curr,
        prevLast: next.prevLast,
        last: next.last,
      },
      counted,
    };
    if (id.startsWith('r:')) {
      const client = clientOf(id.slice(2));
      const ban = this.bans.get(client);
      if (ban !== undefined && ban.until > now) result.ban = { ...ban };
      const risk = this.risks.peek(client);
      if (risk !== undefined) result.risk = { score: risk.score, at: risk.at };
    }
    return result;
  }

  /**
   * Drop expired entries from the old end of every map, at most {@link SWEEP_BUDGET} per map per
   * hit: amortised clean-up with no timer (each entry is deleted once, so the cost per hit is
   * O(1) on average and bounded in the worst case). The sequence-detector state goes too, so
   * memory taken by a flood of one-off addresses comes back once their windows have passed.
   */
  private sweep(now: number): void {
    for (let i = 0; i < SWEEP_BUDGET; i++) {
      const oldest = this.windows.oldest();
      if (oldest === undefined || now - oldest[1].last < oldest[1].windowMs) break;
      this.windows.delete(oldest[0]);
    }
    sweepExpired(this.lists, now);
    sweepExpired(this.sets, now);
    sweepExpired(this.baselines, now);
    sweepExpired(this.risks, now);
    sweepExpired(this.offences, now);
  }

  async resetKey(key: string): Promise<void> {
    for (const id of [...this.windows.keys()]) {
      if (id.endsWith(`:${key}`) && (id.startsWith('r:') || id.startsWith('f:'))) this.windows.delete(id);
    }
  }

  async recent(
    key: string,
    value: string,
    now: number,
    windowMs: number,
    max: number,
  ): Promise<Array<{ value: string; at: number }>> {
    const list = this.lists.get(key) ?? { expires: 0, items: [] };
    let old = 0;
    while (old < list.items.length && now - list.items[old]!.at >= windowMs) old++;
    if (old > 0) list.items.splice(0, old);
    list.items.push({ value, at: now });
    if (list.items.length > max) list.items.splice(0, list.items.length - max);
    list.expires = now + windowMs;
    this.lists.set(key, list);
    return list.items.slice();
  }

  async distinct(
    key: string,
    member: string,
    now: number,
    windowMs: number,
  ): Promise<{ count: number; isNew: boolean }> {
    const set = this.sets.get(key) ?? { expires: 0, members: new Map<string, number>() };
    // Members are kept in order of last sight (a touch re-inserts), so expiry stops at the first fresh one.
    for (const [m, at] of set.members) {
      if (now - at < windowMs) break;
      set.members.delete(m);
    }
    const isNew = !set.members.has(member);
    set.members.delete(member);
    set.members.set(member, now);
    // Bounded: a set never holds more than 10,000 members (the oldest go first).
    while (set.members.size > 10_000) set.members.delete(set.members.keys().next().value as string);
    set.expires = now + windowMs;
    this.sets.set(key, set);
    return { count: set.members.size, isNew };
  }

  async baseline(
    key: string,
    now: number,
    bucketMs: number,
    alpha: number,
  ): Promise<{ current: number; baseline: number; buckets: number }> {
    const bucket = Math.floor(now / bucketMs);
    const state = this.baselines.get(key) ?? { bucket, current: 0, baseline: 0, buckets: 0, expires: 0 };
    if (bucket > state.bucket) {
      // Close the open bucket, then count the empty ones in between as zeros.
      let { baseline, buckets } = state;
      baseline = buckets === 0 ? state.current : alpha * state.current + (1 - alpha) * baseline;
      buckets++;
      const empty = Math.min(bucket - state.bucket - 1, 100);
      for (let i = 0; i < empty; i++) {
        baseline *= 1 - alpha;
        buckets++;
      }
      state.bucket = bucket;
      state.current = 0;
      state.baseline = baseline;
      state.buckets = buckets;
    }
    state.current++;
    // Kept for 200 idle buckets, as in the Redis store: by then the baseline has decayed to nothing.
    state.expires = now + bucketMs * 200;
    this.baselines.set(key, state);
    return { current: state.current, baseline: state.baseline, buckets: state.buckets };
  }

  async addRisk(key: string, amount: number, now: number, halfLifeMs: number): Promise<number> {
    const risk = this.risks.get(key);
    const decayed = risk === undefined ? 0 : risk.score * 0.5 ** ((now - risk.at) / halfLifeMs);
    const score = decayed + amount;
    // Kept for ten half-lives, as in the Redis store (under 0.1% of the score is left).
    this.risks.set(key, { score, at: now, expires: now + halfLifeMs * 10 });
    return score;
  }

  async ban(key: string, now: number, policy: BanPolicy): Promise<Ban> {
    const previous = this.offences.get(key);
    const level = previous !== undefined && now - previous.at < policy.memoryMs ? previous.level + 1 : 1;
    this.offences.set(key, { level, at: now, expires: now + policy.memoryMs });
    const duration = policy.exactMs ?? Math.min(policy.maxMs, policy.baseMs * 2 ** (level - 1));
    const ban: Ban = { key, until: now + duration, level, reason: policy.reason };
    this.bans.set(key, ban);
    if (this.bans.size > 100_000) this.pruneBans(now);
    return { ...ban };
  }

  private pruneBans(now: number): void {
    for (const [key, ban] of this.bans) if (ban.until <= now) this.bans.delete(key);
  }

  async unban(key: string): Promise<boolean> {
    return this.bans.delete(key);
  }

  async listBans(now: number): Promise<Ban[]> {
    this.pruneBans(now);
    return [...this.bans.values()].map((b) => ({ ...b })).sort((a, b) => b.until - a.until);
  }

  async appendIncident(incident: Incident): Promise<void> {
    this.incidents[this.incidentHead] = incident;
    this.incidentHead = (this.incidentHead + 1) % this.incidents.length;
    if (this.incidentCount < this.incidents.length) this.incidentCount++;
  }

  async listIncidents(query: IncidentQuery): Promise<Incident[]> {
    const out: Incident[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const capacity = this.incidents.length;
    for (let i = 1; i <= this.incidentCount && out.length < limit; i++) {
      const incident = this.incidents[(this.incidentHead - i + capacity) % capacity];
      if (incident === undefined) continue;
      if (incident.at > query.until) continue;
      if (incident.at < query.since) continue;
      out.push(incident);
    }
    return out;
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}
