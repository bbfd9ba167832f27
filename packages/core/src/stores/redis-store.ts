import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import { createDefaultLogger, type Logger } from '../logger.js';
import type { Incident } from '../types.js';
import { MemoryStore } from './memory-store.js';
import {
  type Ban,
  type BanPolicy,
  clientOf,
  type HitResult,
  type IncidentQuery,
  type Store,
  StoreUnavailableError,
  type WindowState,
} from './store.js';

/**
 * Count against a sliding window atomically: the same steps as the memory store's
 * `advanceWindow` + `slidingCount`, in one round trip. A refused request is not counted.
 * KEYS[1] the window hash; ARGV windowMs, limit (negative: none), cost, now.
 * Returns start, prev, curr, prevLast, last (as exact decimal strings) and counted (1/0).
 */
const HIT_SCRIPT = `
local key = KEYS[1]
local W = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local h = redis.call('HMGET', key, 's', 'p', 'c', 'pl', 'l')
local s, p, c, pl, l = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4]), tonumber(h[5])
local exists = s ~= nil
local counted = 1
if exists and limit >= 0 and now - l < W then
  local rs, rp, rc, rpl = s, p, c, pl
  if now >= s + W then
    local k = math.floor((now - s) / W)
    if k == 1 then rp = c; rpl = l else rp = 0; rpl = 0 end
    rs = s + k * W
    rc = 0
  end
  local share = 0
  if rp > 0 then
    local cutoff = now - W
    local from = rs - W
    if rpl <= cutoff then share = 0
    elseif rpl <= from then share = 1
    else share = math.min(1, math.max(0, (rpl - cutoff) / (rpl - from))) end
  end
  if rc + rp * share + cost > limit then counted = 0 end
end
local add = cost
if counted == 0 then add = 0 end
if (not exists) or now - l >= W then
  s = now; p = 0; c = add; pl = 0; l = now
else
  if now >= s + W then
    local k = math.floor((now - s) / W)
    if k == 1 then p = c; pl = l else p = 0; pl = 0 end
    s = s + k * W
    c = 0
  end
  c = c + add
  if add > 0 and now > l then l = now end
end
redis.call('HSET', key, 's', string.format('%.17g', s), 'p', string.format('%.17g', p), 'c', string.format('%.17g', c), 'pl', string.format('%.17g', pl), 'l', string.format('%.17g', l))
redis.call('PEXPIRE', key, 2 * W)
local ban = { '', '', '' }
local risk = { '', '' }
if KEYS[2] then
  local b = redis.call('HMGET', KEYS[2], 'until', 'level', 'reason')
  if b[1] and tonumber(b[1]) > now then ban = { b[1], b[2], b[3] or '' } end
  local r = redis.call('HMGET', KEYS[3], 's', 'at')
  if r[1] then risk = { r[1], r[2] } end
end
return { string.format('%.17g', s), string.format('%.17g', p), string.format('%.17g', c), string.format('%.17g', pl), string.format('%.17g', l), counted, ban[1], ban[2], ban[3], risk[1], risk[2] }
`;

/** Windowed, bounded list: append `at:value`, drop old entries, return the rest (oldest first). */
const RECENT_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[2])
local W = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
redis.call('RPUSH', key, ARGV[2] .. ':' .. ARGV[1])
redis.call('LTRIM', key, -max, -1)
local items = redis.call('LRANGE', key, 0, -1)
local keep = {}
local drop = 0
for i, it in ipairs(items) do
  local sep = string.find(it, ':', 1, true)
  local at = tonumber(string.sub(it, 1, sep - 1))
  if now - at >= W then
    if #keep == 0 then drop = drop + 1 end
  else
    table.insert(keep, it)
  end
end
if drop > 0 then redis.call('LTRIM', key, drop, -1) end
redis.call('PEXPIRE', key, W)
return keep
`;

/** Windowed distinct set: members scored by last sight. */
const DISTINCT_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[2])
local W = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - W)
local added = redis.call('ZADD', key, now, ARGV[1])
local n = redis.call('ZCARD', key)
if n > 10000 then
  redis.call('ZPOPMIN', key, n - 10000)
  n = 10000
end
redis.call('PEXPIRE', key, W)
return { n, added }
`;

/** Bucketed rate with an exponentially weighted baseline of the closed buckets. */
const BASELINE_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local B = tonumber(ARGV[2])
local alpha = tonumber(ARGV[3])
local bucket = math.floor(now / B)
local h = redis.call('HMGET', key, 'b', 'c', 'e', 'n')
local b, c, e, n = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4])
if b == nil then b = bucket; c = 0; e = 0; n = 0 end
if bucket > b then
  if n == 0 then e = c else e = alpha * c + (1 - alpha) * e end
  n = n + 1
  local empty = math.min(bucket - b - 1, 100)
  for i = 1, empty do
    e = e * (1 - alpha)
    n = n + 1
  end
  b = bucket
  c = 0
end
c = c + 1
redis.call('HSET', key, 'b', b, 'c', c, 'e', string.format('%.17g', e), 'n', n)
redis.call('PEXPIRE', key, B * 200)
return { c, string.format('%.17g', e), n }
`;

/** Decaying risk score: halves every half-life. */
const RISK_SCRIPT = `
local key = KEYS[1]
local amount = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local half = tonumber(ARGV[3])
local h = redis.call('HMGET', key, 's', 'at')
local score = 0
if h[1] then score = tonumber(h[1]) * math.pow(0.5, (now - tonumber(h[2])) / half) end
score = score + amount
redis.call('HSET', key, 's', string.format('%.17g', score), 'at', string.format('%.17g', now))
redis.call('PEXPIRE', key, math.floor(half * 10))
return string.format('%.17g', score)
`;

/** Ban with escalation by recent offences. KEYS: ban hash, offence hash. */
const BAN_SCRIPT = `
local now = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local maxMs = tonumber(ARGV[3])
local memory = tonumber(ARGV[4])
local exact = tonumber(ARGV[6])
local o = redis.call('HMGET', KEYS[2], 'level', 'at')
local level = 1
if o[1] and now - tonumber(o[2]) < memory then level = tonumber(o[1]) + 1 end
redis.call('HSET', KEYS[2], 'level', level, 'at', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[2], memory)
local duration = exact
if exact < 0 then duration = math.min(maxMs, base * math.pow(2, level - 1)) end
local untilAt = now + duration
redis.call('HSET', KEYS[1], 'until', string.format('%.17g', untilAt), 'level', level, 'reason', ARGV[5])
redis.call('PEXPIRE', KEYS[1], math.max(1, math.floor(duration)))
return { string.format('%.17g', untilAt), level }
`;

type Client = Redis | Cluster;
type HitReply = [string, string, string, string, string, number, string, string, string, string, string];

interface ScriptedClient {
  asmHit(...args: Array<string | number>): Promise<HitReply>;
  asmRecent(key: string, value: string, now: number, windowMs: number, max: number): Promise<string[]>;
  asmDistinct(key: string, member: string, now: number, windowMs: number): Promise<[number, number]>;
  asmBaseline(key: string, now: number, bucketMs: number, alpha: number): Promise<[number, string, number]>;
  asmRisk(key: string, amount: number, now: number, halfLifeMs: number): Promise<string>;
  asmBan(banKey: string, offenceKey: string, ...args: Array<string | number>): Promise<[string, number]>;
}

export interface RedisStoreOptions {
  /** An existing ioredis client or Cluster. Give it `commandTimeout`, `enableOfflineQueue: false` and `maxRetriesPerRequest: 1` so a dead Redis never holds a request. */
  client?: Client;
  /** Or a URL (`redis://127.0.0.1:6379/0`, `rediss://…`); the store then creates and closes its client. */
  url?: string;
  /** Options for the client created from `url`. */
  redisOptions?: RedisOptions;
  /** Prefix of every key, shared by the instances of one app. Defaults to `'asm:'`. */
  prefix?: string;
  /** Command timeout of the client created from `url`, in ms. Defaults to `250`. */
  commandTimeoutMs?: number;
  /**
   * `true` (default): when Redis is unreachable, count locally and keep serving (the assessment
   * says `degraded`). `false`: refuse requests with 503 until it is back.
   */
  failOpen?: boolean;
  /** Incidents kept in the stream (approximate cap). Defaults to `10000`. */
  maxIncidents?: number;
  /** Incidents older than this are trimmed, in ms. Defaults to 7 days. */
  incidentMaxAgeMs?: number;
  /** Incidents kept locally while Redis is down, written when it is back. Defaults to `10000`. */
  maxPendingIncidents?: number;
  /** Operational logger. Defaults to warnings on stderr. */
  logger?: Logger;
}

/**
 * The shared store: limits, failure counts and incidents in Redis (single, Sentinel or Cluster,
 * through ioredis), so every instance of an app sees the same clients. One round trip per
 * request (a Lua script, sent as EVALSHA and reloaded on NOSCRIPT by ioredis). Every key carries
 * the prefix and a hash tag of the client, so one client's keys share a Cluster slot, and a TTL.
 */
export class RedisStore implements Store {
  readonly name = 'redis';
  readonly client: Client;
  private readonly scripted: ScriptedClient;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly failOpen: boolean;
  private readonly maxIncidents: number;
  private readonly incidentMaxAgeMs: number;
  private readonly maxPendingIncidents: number;
  private readonly logger: Logger;
  private readonly fallback = new MemoryStore({ maxKeys: 100_000 });
  private readonly pendingIncidents: Incident[] = [];
  private downSince: number | undefined;
  private flushing: Promise<void> | undefined;
  /** Resolves once the client has connected the first time (or gave up waiting). */
  private readonly firstReady: Promise<void>;
  private everReady = false;

  constructor(options: RedisStoreOptions = {}) {
    const {
      client,
      url,
      redisOptions,
      prefix = 'asm:',
      commandTimeoutMs = 250,
      failOpen = true,
      maxIncidents = 10_000,
      incidentMaxAgeMs = 7 * 86_400_000,
      maxPendingIncidents = 10_000,
      logger,
    } = options;
    if ((client === undefined) === (url === undefined)) {
      throw new TypeError(
        'RedisStore: give exactly one of `client` (an ioredis client or Cluster) or `url`.',
      );
    }
    if (typeof prefix !== 'string' || /[{}\s]/.test(prefix)) {
      throw new TypeError(
        `RedisStore: \`prefix\` must be a string without braces or spaces, got ${String(prefix)}.`,
      );
    }
    for (const [name, value] of Object.entries({
      commandTimeoutMs,
      maxIncidents,
      incidentMaxAgeMs,
      maxPendingIncidents,
    })) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new TypeError(`RedisStore: \`${name}\` must be a positive whole number, got ${String(value)}.`);
      }
    }
    this.prefix = prefix;
    this.failOpen = failOpen;
    this.maxIncidents = maxIncidents;
    this.incidentMaxAgeMs = incidentMaxAgeMs;
    this.maxPendingIncidents = maxPendingIncidents;
    this.logger = logger ?? createDefaultLogger();
    this.ownsClient = client === undefined;
    this.client =
      client ??
      new Redis(url!, {
        commandTimeout: commandTimeoutMs,
        connectTimeout: Math.max(1000, commandTimeoutMs * 4),
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        // The sequence detectors issue several commands at once: one write, one round trip.
        enableAutoPipelining: true,
        retryStrategy: (times) => Math.min(100 * 2 ** times, 2000),
        ...redisOptions,
      });
    this.client.defineCommand('asmHit', { lua: HIT_SCRIPT });
    this.client.defineCommand('asmRecent', { numberOfKeys: 1, lua: RECENT_SCRIPT });
    this.client.defineCommand('asmDistinct', { numberOfKeys: 1, lua: DISTINCT_SCRIPT });
    this.client.defineCommand('asmBaseline', { numberOfKeys: 1, lua: BASELINE_SCRIPT });
    this.client.defineCommand('asmRisk', { numberOfKeys: 1, lua: RISK_SCRIPT });
    this.client.defineCommand('asmBan', { numberOfKeys: 2, lua: BAN_SCRIPT });
    this.scripted = this.client as unknown as ScriptedClient;
    this.client.on('error', (error: Error) => this.markDown(error));
    this.client.on('ready', () => {
      this.everReady = true;
      if (this.downSince !== undefined) this.markUp();
    });
    this.everReady = this.client.status === 'ready';
    // Without an offline queue, commands sent before the first connection fail at once: the
    // first requests wait for it (bounded), later ones fail fast during an outage.
    const waitMs = Math.max(1000, commandTimeoutMs * 4);
    this.firstReady = this.everReady
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          timer.unref();
          this.client.once('ready', () => {
            clearTimeout(timer);
            resolve();
          });
        });
  }

  private async connected(): Promise<void> {
    if (!this.everReady) await this.firstReady;
  }

  /** `{client}` hash tag: a route namespace (`route|client`) keeps the client's slot. */
  private keyFor(kind: 'r' | 'f' | 'ban' | 'off' | 'risk' | 'x', key: string): string {
    if (kind === 'x') {
      // Pattern state: `<what>:<client or fingerprint>`; the hash tag is the part after the first colon.
      const colon = key.indexOf(':');
      return `${this.prefix}{${key.slice(colon + 1)}}:${key.slice(0, colon)}`;
    }
    const bar = key.lastIndexOf('|');
    const client = bar === -1 ? key : key.slice(bar + 1);
    const ns = bar === -1 ? '' : `${key.slice(0, bar)}:`;
    return `${this.prefix}{${client}}:${kind}:${ns}`;
  }

  private get incidentsKey(): string {
    return `${this.prefix}incidents`;
  }

  /** Whether Redis is currently considered unreachable. */
  get degraded(): boolean {
    return this.downSince !== undefined;
  }

  private markDown(error: unknown): void {
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.logger.warn(
      `redis unreachable (${error instanceof Error ? error.message : String(error)}); ${this.failOpen ? 'counting locally (fail-open)' : 'refusing requests (fail-closed)'}`,
    );
  }

  private markUp(): void {
    const since = this.downSince;
    this.downSince = undefined;
    this.logger.info(`redis recovered after ${since === undefined ? 0 : Date.now() - since} ms`);
    void this.flushPending();
  }

  private async run(
    key: string,
    windowMs: number,
    limit: number,
    cost: number,
    now: number,
    client?: string,
  ): Promise<HitResult> {
    try {
      await this.connected();
      // Without numberOfKeys, ioredis takes it first: 3 keys when the client's ban and risk are read too.
      const reply =
        client === undefined
          ? await this.scripted.asmHit(1, key, windowMs, limit, cost, now)
          : await this.scripted.asmHit(
              3,
              key,
              this.keyFor('ban', client),
              this.keyFor('risk', client),
              windowMs,
              limit,
              cost,
              now,
            );
      if (this.downSince !== undefined) this.markUp();
      const state: WindowState = {
        start: Number(reply[0]),
        prev: Number(reply[1]),
        curr: Number(reply[2]),
        prevLast: Number(reply[3]),
        last: Number(reply[4]),
      };
      const result: HitResult = { state, counted: Number(reply[5]) === 1 };
      if (client !== undefined && reply[6] !== '') {
        result.ban = { key: client, until: Number(reply[6]), level: Number(reply[7]), reason: reply[8] };
      }
      if (client !== undefined && reply[9] !== '')
        result.risk = { score: Number(reply[9]), at: Number(reply[10]) };
      return result;
    } catch (error) {
      this.markDown(error);
      if (!this.failOpen) throw new StoreUnavailableError(this.name, error);
      return { ...(await this.fallbackHit(key, windowMs, limit, cost, now)), degraded: true };
    }
  }

  private fallbackHit(
    key: string,
    windowMs: number,
    limit: number,
    cost: number,
    now: number,
  ): Promise<HitResult> {
    return limit < 0
      ? this.fallback.addFailure(key, windowMs, now).then((state) => ({ state, counted: true }))
      : this.fallback.hit(key, windowMs, limit, cost, now);
  }

  hit(key: string, windowMs: number, limit: number, cost: number, now: number): Promise<HitResult> {
    return this.run(this.keyFor('r', key), windowMs, limit, cost, now, clientOf(key));
  }

  async addFailure(key: string, windowMs: number, now: number): Promise<WindowState> {
    return (await this.run(this.keyFor('f', key), windowMs, -1, 1, now)).state;
  }

  async resetKey(key: string): Promise<void> {
    await this.fallback.resetKey(key);
    await this.connected();
    await this.client.del(this.keyFor('r', key), this.keyFor('f', key));
  }

  /** Run a pattern-state command; when Redis is down, the local fallback answers (or it throws, fail-closed). */
  private async guarded<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      await this.connected();
      const value = await remote();
      if (this.downSince !== undefined) this.markUp();
      return value;
    } catch (error) {
      this.markDown(error);
      if (!this.failOpen) throw new StoreUnavailableError(this.name, error);
      return local();
    }
  }

  recent(
    key: string,
    value: string,
    now: number,
    windowMs: number,
    max: number,
  ): Promise<Array<{ value: string; at: number }>> {
    return this.guarded(
      async () => {
        const items = await this.scripted.asmRecent(
          this.keyFor('x', `recent:${key}`),
          value,
          now,
          windowMs,
          max,
        );
        return items.map((it) => {
          const sep = it.indexOf(':');
          return { at: Number(it.slice(0, sep)), value: it.slice(sep + 1) };
        });
      },
      () => this.fallback.recent(key, value, now, windowMs, max),
    );
  }

  distinct(
    key: string,
    member: string,
    now: number,
    windowMs: number,
  ): Promise<{ count: number; isNew: boolean }> {
    return this.guarded(
      async () => {
        const [count, added] = await this.scripted.asmDistinct(
          this.keyFor('x', `set:${key}`),
          member,
          now,
          windowMs,
        );
        return { count: Number(count), isNew: Number(added) === 1 };
      },
      () => this.fallback.distinct(key, member, now, windowMs),
    );
  }

  baseline(
    key: string,
    now: number,
    bucketMs: number,
    alpha: number,
  ): Promise<{ current: number; baseline: number; buckets: number }> {
    return this.guarded(
      async () => {
        const [current, baseline, buckets] = await this.scripted.asmBaseline(
          this.keyFor('x', `rate:${key}`),
          now,
          bucketMs,
          alpha,
        );
        return { current: Number(current), baseline: Number(baseline), buckets: Number(buckets) };
      },
      () => this.fallback.baseline(key, now, bucketMs, alpha),
    );
  }

  addRisk(key: string, amount: number, now: number, halfLifeMs: number): Promise<number> {
    return this.guarded(
      async () => Number(await this.scripted.asmRisk(this.keyFor('risk', key), amount, now, halfLifeMs)),
      () => this.fallback.addRisk(key, amount, now, halfLifeMs),
    );
  }

  ban(key: string, now: number, policy: BanPolicy): Promise<Ban> {
    return this.guarded(
      async () => {
        const [until, level] = await this.scripted.asmBan(
          this.keyFor('ban', key),
          this.keyFor('off', key),
          now,
          policy.baseMs,
          policy.maxMs,
          policy.memoryMs,
          policy.reason,
          policy.exactMs ?? -1,
        );
        const ban: Ban = { key, until: Number(until), level: Number(level), reason: policy.reason };
        await this.client.zadd(this.bansKey, ban.until, key);
        return ban;
      },
      () => this.fallback.ban(key, now, policy),
    );
  }

  async unban(key: string): Promise<boolean> {
    const local = await this.fallback.unban(key);
    return this.guarded(
      async () => {
        const [deleted] = await Promise.all([
          this.client.del(this.keyFor('ban', key)),
          this.client.zrem(this.bansKey, key),
        ]);
        return deleted > 0 || local;
      },
      async () => local,
    );
  }

  listBans(now: number): Promise<Ban[]> {
    return this.guarded(
      async () => {
        await this.client.zremrangebyscore(this.bansKey, '-inf', now);
        const keys = await this.client.zrangebyscore(this.bansKey, `(${now}`, '+inf');
        const bans: Ban[] = [];
        for (const key of keys) {
          const [until, level, reason] = await this.client.hmget(
            this.keyFor('ban', key),
            'until',
            'level',
            'reason',
          );
          if (until !== null && Number(until) > now) {
            bans.push({ key, until: Number(until), level: Number(level), reason: reason ?? '' });
          }
        }
        return bans.sort((a, b) => b.until - a.until);
      },
      () => this.fallback.listBans(now),
    );
  }

  private get bansKey(): string {
    return `${this.prefix}bans`;
  }

  async appendIncident(incident: Incident): Promise<void> {
    try {
      await this.add(incident);
    } catch (error) {
      this.markDown(error);
      // Kept locally, written when Redis is back: an outage loses no incident (up to the bound).
      if (this.pendingIncidents.length >= this.maxPendingIncidents) this.pendingIncidents.shift();
      this.pendingIncidents.push(incident);
      await this.fallback.appendIncident(incident);
    }
  }

  private async add(incident: Incident): Promise<void> {
    await this.connected();
    const minId = Math.max(0, Date.now() - this.incidentMaxAgeMs);
    await this.client.xadd(
      this.incidentsKey,
      'MAXLEN',
      '~',
      String(this.maxIncidents),
      '*',
      'id',
      incident.id,
      'at',
      String(incident.at),
      'data',
      JSON.stringify(incident),
    );
    // Trim by age too (cheap, approximate).
    await this.client.xtrim(this.incidentsKey, 'MINID', '~', String(minId));
  }

  private async flushPending(): Promise<void> {
    if (this.flushing !== undefined || this.pendingIncidents.length === 0) return;
    this.flushing = (async () => {
      while (this.pendingIncidents.length > 0) {
        const incident = this.pendingIncidents[0]!;
        try {
          await this.add(incident);
          this.pendingIncidents.shift();
        } catch (error) {
          this.markDown(error);
          return;
        }
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  async listIncidents(query: IncidentQuery): Promise<Incident[]> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    const out: Incident[] = [];
    const push = (incident: Incident) => {
      if (incident.at < query.since || incident.at > query.until || seen.has(incident.id)) return;
      seen.add(incident.id);
      out.push(incident);
    };
    try {
      await this.connected();
      if (this.pendingIncidents.length > 0) await this.flushPending();
      // Stream ids are Redis server times; allow for clock skew between instances and Redis.
      const skew = 300_000;
      const end = String(query.until + skew);
      const start = String(Math.max(0, query.since - skew));
      let cursor = `${end}-18446744073709551615`;
      const page = 1000;
      for (;;) {
        const rows = await this.client.xrevrange(this.incidentsKey, cursor, start, 'COUNT', page);
        for (const [, fields] of rows) {
          const data = fields[fields.indexOf('data') + 1];
          if (data !== undefined) push(JSON.parse(data) as Incident);
        }
        if (rows.length < page || out.length >= limit) break;
        const lastId = rows[rows.length - 1]![0];
        const [ms, seq] = lastId.split('-').map(Number) as [number, number];
        cursor = seq > 0 ? `${ms}-${seq - 1}` : `${ms - 1}-18446744073709551615`;
      }
    } catch (error) {
      this.markDown(error);
    }
    for (const incident of this.pendingIncidents) push(incident);
    for (const incident of await this.fallback.listIncidents(query)) push(incident);
    out.sort((a, b) => b.at - a.at);
    return out.slice(0, Number.isFinite(limit) ? limit : undefined);
  }

  async close(): Promise<void> {
    await this.fallback.close();
    if (this.ownsClient) {
      try {
        await this.client.quit();
      } catch {
        this.client.disconnect();
      }
    }
  }
}
