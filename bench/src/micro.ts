/**
 * In-process costs: the scorer on 1 KB, 10 KB, 100 KB and 1 MB inputs (benign and hostile),
 * body extraction, and a whole `inspect` on the memory store.
 */
import { cpus } from 'node:os';
import { createMonitor, extractInput, PatternScorer, silentLogger } from '@ai-security-monitor/express';
import { Bench } from 'tinybench';
import { BENIGN_1KB, chatBody, HOSTILE_1KB } from './prompts.js';

const scorer = new PatternScorer({ maxLength: 2_000_000 });
const sizes: Array<[string, number]> = [
  ['1 KB', 1024],
  ['10 KB', 10 * 1024],
  ['100 KB', 100 * 1024],
  ['1 MB', 1024 * 1024],
];
const grow = (seed: string, n: number) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);

/**
 * Eight distinct flat strings of length n: a benchmark that scores one string again and again
 * would measure caches (the last normalisation is remembered), not the work a new request costs.
 */
const variants = (seed: string, n: number) =>
  Array.from({ length: 8 }, (_, k) => JSON.parse(JSON.stringify(`${k} ${grow(seed, n - 2)}`)) as string);

const bench = new Bench({ time: 500, warmupTime: 100 });
for (const [label, n] of sizes) {
  const benign = variants(BENIGN_1KB, n);
  const hostile = variants(HOSTILE_1KB, n);
  let b = 0;
  let h = 0;
  bench.add(`score benign ${label}`, () => {
    scorer.score(benign[b++ & 7]!);
  });
  bench.add(`score hostile ${label}`, () => {
    scorer.score(hostile[h++ & 7]!);
  });
}
const body = JSON.parse(chatBody(BENIGN_1KB)) as unknown;
bench.add('extractInput chat body 1 KB', () => {
  extractInput(body);
});
const prompts = variants(BENIGN_1KB, BENIGN_1KB.length);
const monitor = createMonitor({ log: false, logger: silentLogger, env: {} });
let i = 0;
bench.add('inspect benign 1 KB (memory store, 1000 clients)', async () => {
  i++;
  await monitor.inspect({
    ip: `10.0.${(i >> 8) & 3}.${i & 255}`,
    method: 'POST',
    path: '/v1/chat/completions',
    input: prompts[i & 7]!,
  });
});
await bench.run();

console.log(
  `\nmicro benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})\n`,
);
const rows = bench.tasks.map((t) => {
  const r = t.result as
    | { latency?: { p50?: number; p99?: number }; throughput?: { mean?: number } }
    | undefined;
  return {
    task: t.name,
    'median µs': ((r?.latency?.p50 ?? Number.NaN) * 1000).toFixed(2),
    'p99 µs': ((r?.latency?.p99 ?? Number.NaN) * 1000).toFixed(2),
    'ops/s': Math.round(r?.throughput?.mean ?? 0).toLocaleString('en-US'),
  };
});
console.table(rows);
const median = (name: string) => Number(rows.find((r) => r.task === name)?.['median µs']);
console.log(
  `1 MB / 1 KB time ratio: benign ${(median('score benign 1 MB') / median('score benign 1 KB')).toFixed(0)}×, hostile ${(median('score hostile 1 MB') / median('score hostile 1 KB')).toFixed(0)}× (linear = 1024×)`,
);
await monitor.close();
