import { normalizeText } from './pattern-scorer.js';

function mix(a: number, b: number, c: number, seed: number): number {
  let h = seed;
  h = Math.imul(h ^ a, 0x01000193);
  h = Math.imul(h ^ b, 0x01000193);
  h = Math.imul(h ^ c, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128;
}

/**
 * 64-bit SimHash of a text over words and word pairs (character 4-grams for very short texts), as 16 hex
 * digits. Texts that differ by small edits get fingerprints a few bits apart; unrelated texts
 * differ by ~32 bits. Reads at most the first 2,048 characters and 64 word pairs spread over them,
 * hashing words as it scans: no strings are built.
 */
export function simhash(input: string): string {
  const text = normalizeText(input.length > 2048 ? input.slice(0, 2048) : input);
  const words: number[] = [];
  let h = 0x811c9dc5;
  let inWord = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      h = Math.imul(h ^ c, 0x01000193);
      inWord = true;
    } else if (inWord) {
      words.push(h >>> 0);
      h = 0x811c9dc5;
      inWord = false;
    }
  }
  const v = new Int32Array(64);
  const add = (hi: number, lo: number) => {
    for (let b = 0; b < 32; b++) {
      v[b] = v[b]! + ((hi >>> b) & 1 ? 1 : -1);
      v[b + 32] = v[b + 32]! + ((lo >>> b) & 1 ? 1 : -1);
    }
  };
  if (words.length >= 3) {
    // Words and word pairs: one changed word moves 3 of ~2n features, so small edits stay close.
    const step = Math.max(1, Math.ceil((words.length - 1) / 64));
    for (let i = 0; i + 1 < words.length; i += step) {
      const a = words[i]!;
      const b = words[i + 1]!;
      add(mix(a, 0, 0, 0x811c9dc5), mix(a, 0, 0, 0x01234567));
      add(mix(a, b, 1, 0x811c9dc5), mix(a, b, 1, 0x01234567));
    }
  } else {
    // Very short texts: character 4-grams.
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

function popcount(x: number): number {
  let n = x >>> 0;
  n -= (n >>> 1) & 0x55555555;
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two fingerprints from {@link simhash}. */
export function hamming(a: string, b: string): number {
  return (
    popcount(Number.parseInt(a.slice(0, 8), 16) ^ Number.parseInt(b.slice(0, 8), 16)) +
    popcount(Number.parseInt(a.slice(8, 16), 16) ^ Number.parseInt(b.slice(8, 16), 16))
  );
}

/** The four 16-bit bands of a fingerprint: two fingerprints within 3 bits share at least one. */
export function bands(fingerprint: string): string[] {
  return [0, 1, 2, 3].map((i) => `${i}${fingerprint.slice(i * 4, i * 4 + 4)}`);
}
