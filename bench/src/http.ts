/**
 * HTTP throughput of a bare Express server and the same server with aiSecurity (memory store and Redis),
 * in interleaved rounds, on 127.0.0.1 only. Each run is bounded in time.
 * Options via env: ROUNDS (default 3), SECONDS per run (default 5), CONNECTIONS (default 50).
 */
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENIGN_1KB, chatBody } from './prompts.js';

const rounds = Number(process.env.ROUNDS ?? 3);
const seconds = Number(process.env.SECONDS ?? 5);
const connections = Number(process.env.CONNECTIONS ?? 50);
const variants = ['bare', 'monitor', 'redis'] as const;
const serverFile = fileURLToPath(new URL('./server.ts', import.meta.url));

interface Run {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerReq: number;
  rssMb: number;
}

async function runOne(variant: string): Promise<Run> {
  const child = fork(serverFile, [variant], {
    execArgv: ['--import', 'tsx', '--conditions=source'],
    stdio: 'ignore',
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const ask = () =>
    new Promise<{ cpu: NodeJS.CpuUsage; rss: number }>((resolve) => {
      child.once('message', (m: { cpu: NodeJS.CpuUsage; rss: number }) => resolve(m));
      child.send('cpu');
    });
  const body = chatBody(BENIGN_1KB);
  // Warm-up, then the measured run.
  await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    connections,
    duration: 1,
  });
  const before = await ask();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
  });
  const after = await ask();
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  const cpuUs = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUsPerReq: cpuUs / Math.max(1, result.requests.total),
    rssMb: after.rss / 1_048_576,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const runs: Record<string, Run[]> = { bare: [], monitor: [], redis: [] };
const ratios: Record<string, number[]> = { monitor: [], redis: [] };
for (let round = 0; round < rounds; round++) {
  const inRound: Record<string, Run> = {};
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    inRound[v] = await runOne(v);
    runs[v]!.push(inRound[v]!);
  }
  ratios.monitor!.push(inRound.monitor!.rps / inRound.bare!.rps);
  ratios.redis!.push(inRound.redis!.rps / inRound.bare!.rps);
  console.log(
    `round ${round + 1}: bare ${Math.round(inRound.bare!.rps)} req/s, memory ${Math.round(inRound.monitor!.rps)} req/s, redis ${Math.round(inRound.redis!.rps)} req/s`,
  );
}

console.log(
  `\nHTTP — Express 5, POST 1 KB chat prompt, ${connections} connections, ${seconds} s × ${rounds} rounds, node ${process.version}, ${cpus().length} cores`,
);
console.table(
  variants.map((v) => ({
    server:
      v === 'bare' ? 'Express bare' : v === 'monitor' ? '+ aiSecurity (memory)' : '+ aiSecurity (Redis)',
    'req/s (median)': Math.round(median(runs[v]!.map((r) => r.rps))),
    'ratio to bare': v === 'bare' ? '1.000' : median(ratios[v]!).toFixed(3),
    'p50 ms': median(runs[v]!.map((r) => r.p50)),
    'p99 ms': median(runs[v]!.map((r) => r.p99)),
    'CPU µs/req': median(runs[v]!.map((r) => r.cpuUsPerReq)).toFixed(1),
    'RSS MB': median(runs[v]!.map((r) => r.rssMb)).toFixed(0),
  })),
);
