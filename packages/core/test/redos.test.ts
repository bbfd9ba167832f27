import { check, type Diagnostics, type Parameters } from 'recheck';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULES, type Rule } from '../src/index.js';

/*
 * Every built-in pattern runs on untrusted input, so each must be free of catastrophic
 * backtracking. recheck (https://makenowjust-labs.github.io/recheck/) decides that, offline, with
 * its native binary (an optional dependency; it falls back to a slower pure-JS build).
 *
 * Two passes per pattern, so the verdict does not depend on machine load:
 *
 * 1. The automaton checker: exact. Patterns whose only repetition is bounded (`{0,40}` gaps)
 *    are linear and come back `safe` at once. Given 1.5 s; most need a few milliseconds.
 * 2. Patterns it cannot settle in that time (or at all: back-references) go to the fuzz checker,
 *    with recall validation: a candidate attack string counts only when it really takes longer
 *    than `recallTimeout` in Node's own RegExp engine. Without it, the fuzzer calls a pattern
 *    vulnerable whenever its own interpreter needs more than `attackTimeout` on a 300 kB string,
 *    which flags linear patterns with long bounded gaps, and more so on a busy machine. With
 *    validation on, a low `attackTimeout` only makes the search faster.
 *
 *    The fuzz pass gets 120 s per pattern: unloaded, the slowest needs ~5 s, but CI machines are
 *    shared, and a pattern the fuzzer could not finish is reported, not passed.
 * A pattern that is still undecided after that is reported as `unknown`, in its own test.
 */
const EXACT: Parameters = { checker: 'automaton', timeout: 1_500 };
const FUZZ: Parameters = { checker: 'fuzz', attackTimeout: 250, recallTimeout: 1_000, timeout: 120_000 };
/** Patterns checked at a time (recheck's agent runs checks in parallel). */
const CONCURRENCY = 2;

interface Verdict {
  rule: Rule;
  diagnostics: Diagnostics;
}

async function verdict(rule: Rule): Promise<Verdict> {
  // The scorer strips `g` and `y` (pattern-scorer.ts); check the pattern as it runs.
  const flags = rule.pattern.flags.replace(/[gy]/g, '');
  const exact = await check(rule.pattern.source, flags, EXACT);
  if (exact.status !== 'unknown') return { rule, diagnostics: exact };
  return { rule, diagnostics: await check(rule.pattern.source, flags, FUZZ) };
}

async function verdicts(rules: readonly Rule[]): Promise<Verdict[]> {
  const results: Verdict[] = new Array(rules.length);
  let next = 0;
  const worker = async () => {
    while (next < rules.length) {
      const index = next++;
      results[index] = await verdict(rules[index]!);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

function describeVerdict({ rule, diagnostics: d }: Verdict): string {
  switch (d.status) {
    case 'safe':
      return `${rule.id}: safe (${d.checker}, ${d.complexity.summary})`;
    case 'vulnerable': {
      const how = d.checker === 'fuzz' ? 'fuzz, confirmed in Node' : 'automaton';
      const hot = d.hotspot
        .filter((h) => h.temperature === 'heat')
        .map((h) => JSON.stringify(d.source.slice(h.start, h.end)));
      return [
        `${rule.id}: vulnerable, ${d.complexity.summary.replace(' (fuzz)', '')} (${how})`,
        `hotspot ${hot.join(' ') || '-'}`,
        `attack string (${d.attack.string.length} chars): ${d.attack.pattern}`,
      ].join('; ');
    }
    case 'unknown':
      return `${rule.id}: unknown (${d.error.kind}${'message' in d.error ? `: ${d.error.message}` : ''})`;
  }
}

describe('ReDoS: every built-in pattern is safe according to recheck', () => {
  let results: Verdict[] = [];

  beforeAll(async () => {
    results = await verdicts(BUILTIN_RULES);
  }, 600_000);

  it('checks every rule', () => {
    expect(BUILTIN_RULES.length).toBeGreaterThan(0);
    expect(results.map((r) => r.rule.id)).toEqual(BUILTIN_RULES.map((r) => r.id));
  });

  it('finds no vulnerable pattern', () => {
    const vulnerable = results.filter((r) => r.diagnostics.status === 'vulnerable').map(describeVerdict);
    expect(vulnerable, `ReDoS-vulnerable built-in patterns:\n${vulnerable.join('\n')}`).toEqual([]);
  });

  it('settles every pattern (no timeout or unsupported syntax)', () => {
    const unknown = results.filter((r) => r.diagnostics.status === 'unknown').map(describeVerdict);
    expect(unknown, `patterns recheck could not settle:\n${unknown.join('\n')}`).toEqual([]);
  });
});
