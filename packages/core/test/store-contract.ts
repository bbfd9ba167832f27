import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, Store } from '../src/index.js';

const W = 60_000;

function incident(n: number, at: number): Incident {
  return {
    id: `incident-${n}`,
    at,
    modelName: 'm',
    type: 'suspicious_input',
    severity: 'high',
    detail: `detail ${n}`,
    key: `10.0.0.${n}`,
    ip: `10.0.0.${n}`,
    action: 'flag',
    evidence: { score: 0.9 },
    occurrences: 1,
  };
}

/**
 * The behaviour every store must have. A new store is done when it passes this suite; it runs
 * against the memory store and against a real Redis.
 */
export function storeContract(
  name: string,
  make: () => Promise<Store> | Store,
  teardown?: () => Promise<void>,
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let ns = 0;
    // Fresh keys per test: stores may be shared between tests.
    const key = () => `contract-${Date.now()}-${++ns}`;

    beforeAll(async () => {
      store = await make();
    });
    afterAll(async () => {
      await store.close();
      await teardown?.();
    });

    it('counts up to the limit and refuses the next request without counting it', async () => {
      const k = key();
      const t = 1_800_000_000_000;
      for (let i = 1; i <= 3; i++) {
        const r = await store.hit(k, W, 3, 1, t + i);
        expect(r.counted).toBe(true);
        expect(r.state.curr).toBe(i);
      }
      const refused = await store.hit(k, W, 3, 1, t + 10);
      expect(refused.counted).toBe(false);
      expect(refused.state.curr).toBe(3);
      expect(refused.state.last).toBe(t + 3);
    });

    it('releases a burst exactly one window after its last hit', async () => {
      const k = key();
      const t = 1_800_000_100_000;
      for (let i = 0; i < 5; i++) await store.hit(k, W, 5, 1, t);
      expect((await store.hit(k, W, 5, 1, t + W - 1)).counted).toBe(false);
      const after = await store.hit(k, W, 5, 1, t + W);
      expect(after.counted).toBe(true);
      expect(after.state).toEqual({ start: t + W, prev: 0, curr: 1, prevLast: 0, last: t + W });
    });

    it('rolls the window and keeps the previous one for weighting', async () => {
      const k = key();
      const t = 1_800_000_200_000;
      await store.hit(k, W, 100, 2, t);
      await store.hit(k, W, 100, 2, t + 30_000);
      const r = await store.hit(k, W, 100, 1, t + W + 10_000);
      expect(r.state).toEqual({ start: t + W, prev: 4, curr: 1, prevLast: t + 30_000, last: t + W + 10_000 });
    });

    it('keeps fractional costs exactly', async () => {
      const k = key();
      const t = 1_800_000_300_000;
      await store.hit(k, W, 10, 2.5, t);
      expect((await store.hit(k, W, 10, 0.25, t + 1)).state.curr).toBe(2.75);
    });

    it('counts keys, route namespaces and failures apart', async () => {
      const k = key();
      const t = 1_800_000_400_000;
      await store.hit(k, W, 10, 1, t);
      await store.hit(`route:embeddings|${k}`, W, 10, 1, t);
      await store.hit(`${k}-other`, W, 10, 1, t);
      expect((await store.hit(k, W, 10, 1, t + 1)).state.curr).toBe(2);
      expect((await store.hit(`route:embeddings|${k}`, W, 10, 1, t + 1)).state.curr).toBe(2);
      expect((await store.addFailure(k, W, t)).curr).toBe(1);
      expect((await store.addFailure(k, W, t + 1)).curr).toBe(2);
    });

    it('forgets a key on reset', async () => {
      const k = key();
      const t = 1_800_000_500_000;
      await store.hit(k, W, 10, 4, t);
      await store.addFailure(k, W, t);
      await store.resetKey(k);
      expect((await store.hit(k, W, 10, 1, t + 1)).state.curr).toBe(1);
      expect((await store.addFailure(k, W, t + 1)).curr).toBe(1);
    });

    it('keeps incidents and lists them newest first within a time range', async () => {
      const base = Date.now() - 10_000;
      const tag = key();
      const mine = (list: Incident[]) =>
        list.filter((i) => i.detail.startsWith('detail') && i.id.includes(tag));
      for (let n = 1; n <= 5; n++)
        await store.appendIncident({ ...incident(n, base + n * 1000), id: `${tag}-${n}` });
      const all = mine(await store.listIncidents({ since: base, until: base + 10_000 }));
      expect(all.map((i) => i.id)).toEqual([5, 4, 3, 2, 1].map((n) => `${tag}-${n}`));
      expect(all[0]).toEqual({ ...incident(5, base + 5000), id: `${tag}-5` });
      const middle = mine(await store.listIncidents({ since: base + 2000, until: base + 4000 }));
      expect(middle.map((i) => i.id)).toEqual([`${tag}-4`, `${tag}-3`, `${tag}-2`]);
    });
  });
}

/** The request-pattern state every store must keep the same way. */
export function patternContract(name: string, make: () => Promise<Store> | Store): void {
  describe(`Store contract (patterns): ${name}`, () => {
    let store: Store;
    let ns = 0;
    const key = () => `pattern-${Date.now()}-${++ns}`;
    beforeAll(async () => {
      store = await make();
    });
    afterAll(() => store.close());

    it('keeps a bounded, windowed list of recent values, oldest first', async () => {
      const k = key();
      const t = 1_800_001_000_000;
      for (let i = 0; i < 5; i++) await store.recent(k, `v${i}:x`, t + i * 1000, 10_000, 3);
      expect(await store.recent(k, 'v5', t + 5000, 10_000, 3)).toEqual([
        { value: 'v3:x', at: t + 3000 },
        { value: 'v4:x', at: t + 4000 },
        { value: 'v5', at: t + 5000 },
      ]);
      expect(await store.recent(k, 'late', t + 14_500, 10_000, 3)).toEqual([
        { value: 'v5', at: t + 5000 },
        { value: 'late', at: t + 14_500 },
      ]);
    });

    it('counts distinct members in a window and says which are new', async () => {
      const k = key();
      const t = Date.now();
      expect(await store.distinct(k, 'a', t, 10_000)).toEqual({ count: 1, isNew: true });
      expect(await store.distinct(k, 'b', t + 1, 10_000)).toEqual({ count: 2, isNew: true });
      expect(await store.distinct(k, 'a', t + 2, 10_000)).toEqual({ count: 2, isNew: false });
      expect(await store.distinct(k, 'c', t + 10_001, 10_000)).toEqual({ count: 2, isNew: true });
    });

    it('keeps a bucketed rate with an exponentially weighted baseline', async () => {
      const k = key();
      const B = 10_000;
      const t = Math.floor(1_800_002_000_000 / B) * B;
      for (let i = 0; i < 4; i++) await store.baseline(k, t + i, B, 0.5);
      expect(await store.baseline(k, t + 5, B, 0.5)).toEqual({ current: 5, baseline: 0, buckets: 0 });
      expect(await store.baseline(k, t + B, B, 0.5)).toEqual({ current: 1, baseline: 5, buckets: 1 });
      await store.baseline(k, t + B + 1, B, 0.5);
      expect(await store.baseline(k, t + 3 * B, B, 0.5)).toEqual({ current: 1, baseline: 1.75, buckets: 3 });
    });

    it('keeps a risk score that halves every half-life', async () => {
      const k = key();
      const t = 1_800_003_000_000;
      expect(await store.addRisk(k, 10, t, 60_000)).toBe(10);
      expect(await store.addRisk(k, 2, t + 60_000, 60_000)).toBe(7);
      const hit = await store.hit(k, 60_000, 100, 1, t + 60_000);
      expect(hit.risk).toEqual({ score: 7, at: t + 60_000 });
    });

    it('bans with escalation, reports the ban on hit, lists and lifts it', async () => {
      const k = key();
      const now = Date.now();
      const policy = { baseMs: 60_000, maxMs: 300_000, memoryMs: 86_400_000, reason: 'repeated_failures' };
      expect(await store.ban(k, now, policy)).toEqual({
        key: k,
        until: now + 60_000,
        level: 1,
        reason: 'repeated_failures',
      });
      expect((await store.ban(k, now, policy)).until).toBe(now + 120_000);
      expect((await store.ban(k, now, policy)).until).toBe(now + 240_000);
      expect((await store.ban(k, now, policy)).until).toBe(now + 300_000); // capped
      expect((await store.hit(k, 60_000, 100, 1, now + 1)).ban).toEqual({
        key: k,
        until: now + 300_000,
        level: 4,
        reason: 'repeated_failures',
      });
      expect((await store.hit(`route:x|${k}`, 60_000, 100, 1, now + 1)).ban?.level).toBe(4);
      expect((await store.listBans(now + 1)).some((b) => b.key === k)).toBe(true);
      expect(await store.unban(k)).toBe(true);
      expect((await store.hit(k, 60_000, 100, 1, now + 2)).ban).toBeUndefined();
      expect((await store.listBans(now + 2)).some((b) => b.key === k)).toBe(false);
      const exact = await store.ban(k, now, { ...policy, exactMs: 5000 });
      expect(exact).toMatchObject({ until: now + 5000, level: 5 });
      expect((await store.hit(k, 60_000, 100, 1, now + 5000)).ban).toBeUndefined();
    });
  });
}
