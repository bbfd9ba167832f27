import { describe, expect, it } from 'vitest';
import { createMonitor, type Incident, MemoryStore, silentLogger } from '../src/index.js';

function incident(at: number, n: number): Incident {
  return {
    id: `i${n}`,
    at,
    modelName: 'm',
    type: 'rate_limit',
    severity: 'medium',
    detail: 'd',
    key: `k${n}`,
    ip: '203.0.113.1',
    action: 'flag',
    evidence: {},
    occurrences: 1,
  };
}

describe('MemoryStore', () => {
  it('stays under its key bound when 100,000 distinct IPs arrive', async () => {
    const store = new MemoryStore({ maxKeys: 5_000 });
    const monitor = createMonitor({ store, log: false, logger: silentLogger });
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      await monitor.inspect({ ip, input: 'hello', at: 1_000_000 + i });
      if (store.size > max) max = store.size;
    }
    expect(max).toBeLessThanOrEqual(5_000);
    expect(store.size).toBe(5_000);
    await monitor.close();
  }, 60_000); // 100,000 inspections: ~3 s here, ~10 s on a loaded machine

  it('keeps the most recently seen clients when it has to forget', async () => {
    const store = new MemoryStore({ maxKeys: 3 });
    await store.hit('a', 60_000, Infinity, 1, 0);
    await store.hit('b', 60_000, Infinity, 1, 0);
    await store.hit('c', 60_000, Infinity, 1, 0);
    await store.hit('a', 60_000, Infinity, 1, 1); // a is fresh again
    await store.hit('d', 60_000, Infinity, 1, 2); // evicts b
    expect((await store.hit('a', 60_000, Infinity, 1, 3)).state.curr).toBe(3);
    expect((await store.hit('b', 60_000, Infinity, 1, 3)).state.curr).toBe(1);
  });

  it('drops expired windows as traffic goes on, without timers', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 100; i++) await store.hit(`k${i}`, 1000, Infinity, 1, 0);
    expect(store.size).toBe(100);
    for (let i = 0; i < 100; i++) await store.hit('live', 1000, Infinity, 1, 5000 + i);
    expect(store.size).toBe(1);
  });

  it('gives back the sequence-detector state of one-off clients once it has expired', async () => {
    const store = new MemoryStore();
    const policy = { baseMs: 1000, maxMs: 10_000, memoryMs: 2000, reason: 'test' };
    for (let i = 0; i < 300; i++) {
      const key = `flood-${i}`;
      await store.hit(`r:${key}`, 1000, Infinity, 1, 0);
      await store.recent(`probe:${key}`, 'ffff0000ffff0000', 0, 1000, 10);
      await store.distinct(`campaign:${i % 4}`, key, 0, 1000);
      await store.baseline(`rate:${key}`, 0, 10, 0.2);
      await store.addRisk(key, 5, 0, 100);
      await store.ban(key, 0, policy);
    }
    expect(store.stateSize).toBe(300 * 5 + 4);
    // Still inside every window: nothing may go.
    await store.hit('r:live', 1000, Infinity, 1, 500);
    expect(store.stateSize).toBe(300 * 5 + 4 + 1);
    // Past every expiry (window 1 s, sets 1 s, 200 baseline buckets = 2 s, 10 half-lives = 1 s,
    // offence memory 2 s): a little traffic sweeps it all.
    for (let i = 0; i < 10; i++) await store.hit('r:live', 1000, Infinity, 1, 3000 + i);
    expect(store.stateSize).toBe(1);
    // What is still fresh stays: the live client's window, and a new offence is level 1 again.
    expect((await store.ban('flood-1', 3100, policy)).level).toBe(1);
  });

  it('keeps the newest incidents up to its bound and lists them newest first', async () => {
    const store = new MemoryStore({ maxIncidents: 10 });
    for (let i = 0; i < 25; i++) await store.appendIncident(incident(1000 + i, i));
    const all = await store.listIncidents({ since: 0, until: 10_000 });
    expect(all.map((x) => x.id)).toEqual([
      'i24',
      'i23',
      'i22',
      'i21',
      'i20',
      'i19',
      'i18',
      'i17',
      'i16',
      'i15',
    ]);
    const window = await store.listIncidents({ since: 1020, until: 1022 });
    expect(window.map((x) => x.id)).toEqual(['i22', 'i21', 'i20']);
    expect(await store.listIncidents({ since: 0, until: 10_000, limit: 2 })).toHaveLength(2);
  });

  it('resets the counters of one key', async () => {
    const store = new MemoryStore();
    await store.hit('a', 60_000, Infinity, 5, 0);
    await store.addFailure('a', 60_000, 0);
    await store.hit('b', 60_000, Infinity, 5, 0);
    await store.resetKey('a');
    expect((await store.hit('a', 60_000, Infinity, 1, 1)).state.curr).toBe(1);
    expect((await store.addFailure('a', 60_000, 1)).curr).toBe(1);
    expect((await store.hit('b', 60_000, Infinity, 1, 1)).state.curr).toBe(6);
  });

  it('rejects a bad bound', () => {
    expect(() => new MemoryStore({ maxKeys: 0 })).toThrow(/maxKeys/);
  });
});
