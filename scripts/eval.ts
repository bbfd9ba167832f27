/**
 * `pnpm eval`: runs the pattern scorer over a labelled corpus (JSON lines with `text`, `label`
 * and `category`) and prints, per category and overall, recall, false-positive rate on benign
 * rows, precision, F1, and recall at the threshold that gives 1% FPR.
 *
 *   pnpm eval [corpus.jsonl] [--threshold 0.8] [--markdown] [--misses category] [--false-positives]
 *
 * The default corpus is ../shared/corpus/dev.jsonl beside the repository.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PatternScorer } from '../packages/core/src/index.js';

interface Row {
  id: string;
  text: string;
  label: 'attack' | 'benign';
  category: string;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const file = resolve(
  args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1]?.startsWith('--') !== true) ??
    '../shared/corpus/dev.jsonl',
);
const threshold = Number(value('--threshold') ?? 0.8);

const rows: Row[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);
const scorer = new PatternScorer();
const started = process.hrtime.bigint();
const scored = rows.map((r) => ({ ...r, result: scorer.score(r.text) }));
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

const benign = scored.filter((r) => r.label === 'benign');
const attacks = scored.filter((r) => r.label === 'attack');
const benignScores = benign.map((r) => r.result.score).sort((a, b) => b - a);
// Smallest threshold whose FPR is at most 1%: just above the score of the (1% of benign)th highest benign.
const allowedFp = Math.floor(benign.length * 0.01);
const t1 = (benignScores[allowedFp] ?? 0) + 1e-9;
const fp = benign.filter((r) => r.result.score >= threshold).length;
const fpr = fp / benign.length;

function line(name: string, group: typeof attacks) {
  const tp = group.filter((r) => r.result.score >= threshold).length;
  const recall = tp / group.length;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const at1 = group.filter((r) => r.result.score >= t1).length / group.length;
  return { name, n: group.length, recall, precision, f1, at1 };
}

const categories = [...new Set(attacks.map((r) => r.category))].sort();
const results = [
  ...categories.map((c) =>
    line(
      c,
      attacks.filter((r) => r.category === c),
    ),
  ),
  line('all attacks', attacks),
];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

if (flag('--markdown')) {
  console.log(`| category | rows | recall | precision | F1 | recall at 1% FPR |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.n} | ${pct(r.recall)} | ${pct(r.precision)} | ${r.f1.toFixed(3)} | ${pct(r.at1)} |`,
    );
  console.log(
    `| benign (false positives) | ${benign.length} | FPR ${pct(fpr)} (${fp}) | | | threshold for 1% FPR: ${t1.toFixed(3)} |`,
  );
} else {
  console.log(
    `corpus ${file}: ${rows.length} rows (${attacks.length} attacks, ${benign.length} benign), threshold ${threshold}`,
  );
  console.table(
    results.map((r) => ({
      category: r.name,
      rows: r.n,
      recall: pct(r.recall),
      precision: pct(r.precision),
      F1: r.f1.toFixed(3),
      'recall@1%FPR': pct(r.at1),
    })),
  );
  console.log(
    `false positives: ${fp} of ${benign.length} benign rows (FPR ${pct(fpr)}); threshold for 1% FPR: ${t1.toFixed(3)}`,
  );
  console.log(
    `scored in ${elapsedMs.toFixed(0)} ms (${((elapsedMs * 1000) / rows.length).toFixed(1)} µs per row)`,
  );
}

const misses = value('--misses');
if (misses !== undefined) {
  for (const r of attacks.filter((x) => x.category === misses && x.result.score < threshold)) {
    console.log(
      `MISS ${r.id} ${r.result.score} [${r.result.matches.map((m) => m.id).join(',')}] ${JSON.stringify(r.text.slice(0, 300))}`,
    );
  }
}
if (flag('--false-positives')) {
  for (const r of benign.filter((x) => x.result.score >= threshold)) {
    console.log(
      `FP ${r.id} ${r.result.score} [${r.result.matches.map((m) => m.id).join(',')}] ${JSON.stringify(r.text.slice(0, 300))}`,
    );
  }
}
