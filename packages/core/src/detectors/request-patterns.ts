import type { Store } from '../stores/store.js';
import type { Severity, Threat } from '../types.js';
import { bands, fingerprintHalves, hammingTo, simhash } from './simhash.js';

/** Settings of the sequence detectors. Each can be turned off with `false`. */
export interface PatternOptions {
  /** Many near-duplicate inputs from one client (model extraction, prompt tuning). */
  probing?:
    | false
    | {
        /** Near-duplicates of the newest input among the client's recent inputs. Defaults to `20`. */
        threshold?: number;
        /** Defaults to `600000` (10 minutes). */
        windowMs?: number;
        /** Most differing SimHash bits (of 64) that still count as near-duplicate. Defaults to `18` (unrelated texts differ by ~32). */
        distance?: number;
        /** Distinct inputs per minute from one client that count as machine pace. Defaults to `60`. */
        perMinute?: number;
      };
  /** The same input from many clients. */
  campaign?: false | { /** Distinct clients. Defaults to `20`. */ threshold?: number; windowMs?: number };
  /** A client's rate far above its own baseline, before the fixed limit. */
  spike?:
    | false
    | {
        /** Bucket length. Defaults to `10000`. */
        bucketMs?: number;
        /** Times the baseline. Defaults to `5`. */
        factor?: number;
        /** Requests in a bucket below which nothing is a spike. Defaults to `20`. */
        minRequests?: number;
        /** Buckets of history before the baseline is trusted. Defaults to `6`. */
        minBuckets?: number;
      };
  /** Many distinct unknown routes (404/405) from one client. */
  enumeration?: false | { /** Distinct paths. Defaults to `20`. */ threshold?: number; windowMs?: number };
  /** A principal (API key, user) seen from an IP it never used within the retention window. */
  newIpForPrincipal?: false | { /** Defaults to 30 days. */ retentionMs?: number };
  /** Repeated refusals of near-duplicate inputs (`monitor.reportRefusal`): jailbreak iteration. */
  refusals?:
    | false
    | { /** Refusals. Defaults to `3`. */ threshold?: number; windowMs?: number; distance?: number };
}

type Required2<T> = { [K in keyof T]-?: Exclude<T[K], false | undefined> };

interface Resolved {
  probing: Required2<Exclude<PatternOptions['probing'], false | undefined>> | false;
  campaign: Required2<Exclude<PatternOptions['campaign'], false | undefined>> | false;
  spike: Required2<Exclude<PatternOptions['spike'], false | undefined>> | false;
  enumeration: Required2<Exclude<PatternOptions['enumeration'], false | undefined>> | false;
  newIpForPrincipal: Required2<Exclude<PatternOptions['newIpForPrincipal'], false | undefined>> | false;
  refusals: Required2<Exclude<PatternOptions['refusals'], false | undefined>> | false;
}

/** Fill in defaults. */
export function resolvePatternOptions(o: PatternOptions = {}): Resolved {
  return {
    probing:
      o.probing === false
        ? false
        : { threshold: 20, windowMs: 600_000, distance: 18, perMinute: 60, ...o.probing },
    campaign: o.campaign === false ? false : { threshold: 20, windowMs: 600_000, ...o.campaign },
    spike:
      o.spike === false ? false : { bucketMs: 10_000, factor: 5, minRequests: 20, minBuckets: 6, ...o.spike },
    enumeration: o.enumeration === false ? false : { threshold: 20, windowMs: 300_000, ...o.enumeration },
    newIpForPrincipal:
      o.newIpForPrincipal === false ? false : { retentionMs: 30 * 86_400_000, ...o.newIpForPrincipal },
    refusals:
      o.refusals === false ? false : { threshold: 3, windowMs: 1_800_000, distance: 18, ...o.refusals },
  };
}

function threat(
  pattern: string,
  severity: Severity,
  key: string,
  detail: string,
  evidence: Threat['evidence'],
): Threat {
  return { type: 'unusual_pattern', severity, key, detail, evidence: { pattern, ...evidence } };
}

/**
 * Detectors that see sequences rather than single requests. All state goes through the
 * {@link Store}, so they work the same on memory and Redis. They run after the request was
 * decided, off its path; what they find is recorded (and can ban) for the requests that follow.
 * Each raises a threat once, when its count crosses the threshold.
 */
export class RequestPatterns {
  readonly options: Resolved;

  constructor(
    private readonly store: Store,
    options: PatternOptions = {},
  ) {
    this.options = resolvePatternOptions(options);
  }

  /** After an inspected request: probing, machine pace, campaign, spike, new IP for a principal. */
  async afterRequest(args: {
    key: string;
    ip: string;
    principal?: string | undefined;
    input?: string | undefined;
    now: number;
  }): Promise<Threat[]> {
    const { key, ip, principal, input, now } = args;
    const o = this.options;
    const jobs: Array<Promise<Threat | undefined>> = [];
    if (o.spike !== false) jobs.push(this.spike(key, now, o.spike));
    // Very short inputs ("hi", "ok") say nothing about who sent them; fingerprints start at 24 characters.
    if (input !== undefined && input.trim().length >= 24 && (o.probing !== false || o.campaign !== false)) {
      const fp = simhash(input);
      if (o.probing !== false) jobs.push(...this.probing(key, fp, now, o.probing));
      if (o.campaign !== false) jobs.push(this.campaign(key, fp, now, o.campaign));
    }
    if (principal !== undefined && o.newIpForPrincipal !== false) {
      jobs.push(this.newIp(key, principal, ip, now, o.newIpForPrincipal.retentionMs));
    }
    return (await Promise.all(jobs)).filter((t): t is Threat => t !== undefined);
  }

  private async spike(
    key: string,
    now: number,
    o: Exclude<Resolved['spike'], false>,
  ): Promise<Threat | undefined> {
    const { current, baseline, buckets } = await this.store.baseline(`rate:${key}`, now, o.bucketMs, 0.2);
    if (buckets < o.minBuckets) return undefined;
    const limit = Math.max(o.minRequests, baseline * o.factor);
    // Once per bucket: when the count goes over the line.
    if (current - 1 > limit || current <= limit) return undefined;
    return threat(
      'spike',
      'medium',
      key,
      `${current} requests in ${o.bucketMs / 1000}s, ${o.factor}× over this client's usual ${baseline.toFixed(1)}`,
      {
        current,
        baseline: Math.round(baseline * 100) / 100,
        bucketMs: o.bucketMs,
      },
    );
  }

  private probing(
    key: string,
    fp: string,
    now: number,
    o: Exclude<Resolved['probing'], false>,
  ): Array<Promise<Threat | undefined>> {
    const recent = this.store.recent(
      `probe:${key}`,
      fp,
      now,
      o.windowMs,
      Math.max(o.threshold * 3, o.perMinute + 1),
    );
    const near = recent.then(async (items) => {
      const [hi, lo] = fingerprintHalves(fp);
      let similar = 0;
      // The newest item is this input itself.
      for (let k = 0; k < items.length - 1; k++) {
        const d = hammingTo(hi, lo, items[k]!.value);
        if (d > 0 && d <= o.distance) similar++;
      }
      if (similar < o.threshold || !(await this.firstRaise('probing', key, now, o.windowMs)))
        return undefined;
      return threat(
        'probing',
        'high',
        key,
        `${similar + 1} near-identical inputs in ${o.windowMs / 60_000} min: probing or model extraction`,
        {
          nearDuplicates: similar + 1,
          windowMs: o.windowMs,
        },
      );
    });
    const pace = recent.then(async (items) => {
      const minute = new Set<string>();
      for (const i of items) if (now - i.at < 60_000) minute.add(i.value);
      const distinct = minute.size;
      if (distinct < o.perMinute || !(await this.firstRaise('machine_pace', key, now, 60_000)))
        return undefined;
      return threat(
        'machine_pace',
        'medium',
        key,
        `${distinct} distinct inputs in one minute: automated querying`,
        {
          distinctPerMinute: distinct,
        },
      );
    });
    return [near, pace];
  }

  private async campaign(
    key: string,
    fp: string,
    now: number,
    o: Exclude<Resolved['campaign'], false>,
  ): Promise<Threat | undefined> {
    const fingerprintBands = bands(fp);
    const counts = await Promise.all(
      fingerprintBands.map((band) => this.store.distinct(`campaign:${band}`, key, now, o.windowMs)),
    );
    const crossing = counts.findIndex((c) => c.isNew && c.count >= o.threshold);
    // Raised once per window for the band over the line: not again for each client of the campaign.
    if (crossing < 0 || !(await this.firstRaise('campaign', fingerprintBands[crossing]!, now, o.windowMs)))
      return undefined;
    const clients = Math.max(...counts.map((c) => c.count));
    return threat(
      'campaign',
      'high',
      key,
      `The same input from ${clients} clients in ${o.windowMs / 60_000} min: a distributed campaign`,
      {
        clients,
        fingerprint: fp,
      },
    );
  }

  private async newIp(
    key: string,
    principal: string,
    ip: string,
    now: number,
    retentionMs: number,
  ): Promise<Threat | undefined> {
    const { count, isNew } = await this.store.distinct(`ips:${principal}`, ip, now, retentionMs);
    if (!isNew || count === 1) return undefined;
    return threat(
      'new_ip_for_principal',
      'medium',
      key,
      `Principal ${principal} used from ${ip}, an address it has not used before`,
      {
        principal,
        ip,
        knownAddresses: count - 1,
      },
    );
  }

  /**
   * Whether `pattern` is raised for `subject` for the first time within `windowMs` (state in the
   * store, so shared by every instance). Counts can stay at or over their threshold, or jump past
   * it, from one request to the next (a near-duplicate leaves the list as another arrives): a
   * detector raises when its count is at or over the line, and this says whether it already did.
   */
  private async firstRaise(
    pattern: string,
    subject: string,
    now: number,
    windowMs: number,
  ): Promise<boolean> {
    return (await this.store.distinct(`raised:${pattern}:${subject}`, pattern, now, windowMs)).isNew;
  }

  /** After a response: enumeration of unknown routes. */
  async afterResponse(
    key: string,
    path: string | undefined,
    status: number,
    now: number,
  ): Promise<Threat | undefined> {
    const o = this.options.enumeration;
    if (o === false || path === undefined || (status !== 404 && status !== 405)) return undefined;
    const { count, isNew } = await this.store.distinct(`404:${key}`, path, now, o.windowMs);
    if (!isNew || count !== o.threshold) return undefined;
    return threat(
      'enumeration',
      'medium',
      key,
      `${count} distinct unknown routes in ${o.windowMs / 60_000} min: route enumeration`,
      {
        distinctPaths: count,
      },
    );
  }

  /** The app says the model refused: repeated refusals of near-duplicate inputs are jailbreak iteration. */
  async afterRefusal(key: string, input: string | undefined, now: number): Promise<Threat | undefined> {
    const o = this.options.refusals;
    if (o === false) return undefined;
    const fp = input === undefined || input.trim() === '' ? '0000000000000000' : simhash(input);
    const items = await this.store.recent(`refusal:${key}`, fp, now, o.windowMs, o.threshold * 4);
    if (items.length < o.threshold) return undefined;
    const [hi, lo] = fingerprintHalves(fp);
    const near = items.filter((i) => hammingTo(hi, lo, i.value) <= o.distance).length;
    if (near < o.threshold || !(await this.firstRaise('jailbreak_iteration', key, now, o.windowMs)))
      return undefined;
    return threat(
      'jailbreak_iteration',
      'high',
      key,
      `${near} refusals of near-identical inputs: a jailbreak being tuned`,
      {
        refusals: items.length,
        nearDuplicates: near,
      },
    );
  }
}
