/**
 * Memory under an address-rotation flood: 200,000 distinct client addresses through `inspect`
 * on the memory store, heap measured before, after, and after the windows expire.
 * Run with --expose-gc.
 */
import { createMonitor, MemoryStore, silentLogger } from '@ai-security-monitor/express';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

// The default, a higher bound, and the rate state alone (no sequence detectors): the target is
// ≤ 250 bytes of rate state per client.
const configs: Array<{ maxKeys: number; patterns: boolean }> = [
  { maxKeys: 100_000, patterns: true },
  { maxKeys: 1_000_000, patterns: true },
  { maxKeys: 1_000_000, patterns: false },
];
for (const { maxKeys, patterns } of configs) {
  const store = new MemoryStore({ maxKeys });
  const monitor = createMonitor({
    store,
    log: false,
    logger: silentLogger,
    env: {},
    ...(patterns ? {} : { patterns: false as const }),
  });
  const before = heap();
  const t0 = 1_800_000_000_000;
  const clients = 200_000;
  for (let i = 0; i < clients; i++) {
    await monitor.inspect({
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      input: 'hello',
      at: t0 + Math.floor(i / 10),
    });
  }
  const after = heap();
  const held = store.size;
  const state = store.stateSize;
  // 200,000 addresses within 20 s (one window). Once everything has expired (the spike baselines
  // last longest: 200 idle 10 s buckets), traffic from one client sweeps the expired entries as it
  // goes (up to 128 per map per request, no timers).
  const later = t0 + 20_000 + 2_000_000 + 60_000;
  for (let i = 0; i < 2_000; i++) await monitor.inspect({ ip: '192.0.2.1', at: later + i });
  const expired = heap();
  console.log(
    `maxKeys ${maxKeys.toLocaleString('en-US')}${patterns ? '' : ', rate state only (patterns: false)'}: ${clients.toLocaleString('en-US')} addresses → ${held.toLocaleString('en-US')} windows held; ` +
      `heap before ${mb(before)}, after ${mb(after)} (${Math.round((after - before) / held)} bytes per client), ` +
      `after expiry ${mb(expired)} (${store.size} windows; all entries ${state.toLocaleString('en-US')} → ${store.stateSize})`,
  );
  await monitor.close();
}
