import { describe, expect, it } from 'vitest';
import { normalizeText } from '../src/detectors/pattern-scorer.js';
import { fingerprintHalves, hamming, hammingTo, mix, simhash } from '../src/detectors/simhash.js';

/*
 * The reference SimHash, written the plain way (with the same feature hash, `mix`): a signed
 * counter per bit, +1 where a feature has the bit set and -1 where not. The shipped one keeps its counters bit-sliced for speed and must
 * give exactly the same fingerprints.
 */
function referenceSimhash(input: string): string {
  const text = normalizeText(input.length > 2048 ? input.slice(0, 2048) : input);
  const words: number[] = [];
  for (const m of text.matchAll(/[a-z0-9\u0080-\uffff]+/g)) {
    let h = 0x811c9dc5;
    for (let i = 0; i < m[0].length; i++) h = Math.imul(h ^ m[0].charCodeAt(i), 0x01000193);
    words.push(h >>> 0);
  }
  const v = new Array<number>(64).fill(0);
  const add = (hi: number, lo: number) => {
    for (let b = 0; b < 32; b++) {
      v[b]! += (hi >>> b) & 1 ? 1 : -1;
      v[b + 32]! += (lo >>> b) & 1 ? 1 : -1;
    }
  };
  if (words.length >= 3) {
    const step = Math.max(1, Math.ceil((words.length - 1) / 64));
    for (let i = 0; i + 1 < words.length; i += step) {
      const a = words[i]!;
      const b = words[i + 1]!;
      add(mix(a, 0, 0, 0x811c9dc5), mix(a, 0, 0, 0x01234567));
      add(mix(a, b, 1, 0x811c9dc5), mix(a, b, 1, 0x01234567));
    }
  } else {
    for (let i = 0; i + 4 <= Math.max(text.length, 4); i++) {
      const a = text.charCodeAt(i) | 0;
      const b = (text.charCodeAt(i + 1) | 0) * 31 + (text.charCodeAt(i + 2) | 0);
      const c = text.charCodeAt(i + 3) | 0;
      add(mix(a, b, c, 0x811c9dc5), mix(a, b, c, 0x01234567));
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (v[b]! > 0) hi |= 1 << b;
    if (v[b + 32]! > 0) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

const PROMPT =
  'Translate the following product description into French and keep the measurements in metric units. ' +
  'The chair is made of oak, weighs four kilograms and ships flat-packed with all tools included.';

describe('simhash', () => {
  it('gives the same fingerprints as the plain per-bit counter version', () => {
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const inputs = [
      '',
      'x',
      'ab',
      'hi there',
      PROMPT,
      PROMPT.toUpperCase(),
      'a'.repeat(5000), // the 4-gram path at its most features (2,045)
      'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo='.repeat(80),
      'Ünïcödé wörds and ｆｕｌｌ－ｗｉｄｔｈ text with emoji 😀 and 漢字',
      Array.from({ length: 900 }, (_, i) => `w${i % 37}`).join(' '), // many words: sampled pairs
    ];
    for (let i = 0; i < 200; i++) {
      const length = Math.floor(rand() * 400);
      let s = '';
      for (let k = 0; k < length; k++) s += ' abcdefghij klmnop0123 !?.'[Math.floor(rand() * 26)];
      inputs.push(s);
    }
    for (const input of inputs)
      expect(simhash(input), JSON.stringify(input.slice(0, 40))).toBe(referenceSimhash(input));
  });

  it('puts small edits close together and unrelated texts far apart', () => {
    const edited = PROMPT.replace('oak', 'pine').replace('four', 'five');
    const unrelated =
      'Write a haiku about the first snow in the mountains, then explain the syllable count of each line.';
    expect(hamming(simhash(PROMPT), simhash(edited))).toBeLessThanOrEqual(12);
    expect(hamming(simhash(PROMPT), simhash(unrelated))).toBeGreaterThan(18);
  });

  it('counts differing bits the same way from hex or from halves', () => {
    const a = simhash(PROMPT);
    const b = simhash(`${PROMPT} Thanks!`);
    const [hi, lo] = fingerprintHalves(a);
    expect(hammingTo(hi, lo, b)).toBe(hamming(a, b));
    expect(hamming(a, a)).toBe(0);
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming('0000000000000000', 'FFFFFFFF00000000')).toBe(32);
  });
});
