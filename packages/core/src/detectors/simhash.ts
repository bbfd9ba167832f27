import { normalizeText } from './pattern-scorer.js';

/** The feature hash (FNV-style mixing, then a finaliser). Exported for the reference test. */
export function mix(a: number, b: number, c: number, seed: number): number {
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

/** Bits per counter: enough for the most features a fingerprint reads (2,045 4-grams of 2,048 characters). */
const COUNTER_BITS = 12;
/** Counter planes of the two 32-bit halves, reused by every call (the work is synchronous). */
const PLANES = new Int32Array(2 * COUNTER_BITS);

/** Add one 64-bit feature to the bit-sliced counters: a ripple carry per half. */
function addFeature(planes: Int32Array, hi: number, lo: number): void {
  let carry = hi | 0;
  for (let k = 0; carry !== 0 && k < COUNTER_BITS; k++) {
    const c = planes[k]!;
    planes[k] = c ^ carry;
    carry &= c;
  }
  carry = lo | 0;
  for (let k = COUNTER_BITS; carry !== 0 && k < 2 * COUNTER_BITS; k++) {
    const c = planes[k]!;
    planes[k] = c ^ carry;
    carry &= c;
  }
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
  // Per-bit counts of one bits, kept bit-sliced: plane k holds bit k of all 32 counters of a half,
  // so adding a feature is a short ripple-carry over words instead of a loop over 64 bits.
  const planes = PLANES;
  planes.fill(0);
  let features = 0;
  if (words.length >= 3) {
    // Words and word pairs: one changed word moves 3 of ~2n features, so small edits stay close.
    const step = Math.max(1, Math.ceil((words.length - 1) / 64));
    for (let i = 0; i + 1 < words.length; i += step) {
      const a = words[i]!;
      const b = words[i + 1]!;
      addFeature(planes, mix(a, 0, 0, 0x811c9dc5), mix(a, 0, 0, 0x01234567));
      addFeature(planes, mix(a, b, 1, 0x811c9dc5), mix(a, b, 1, 0x01234567));
      features += 2;
    }
  } else {
    // Very short texts: character 4-grams.
    for (let i = 0; i + 4 <= Math.max(text.length, 4); i++) {
      const a = text.charCodeAt(i) | 0;
      const b = (text.charCodeAt(i + 1) | 0) * 31 + (text.charCodeAt(i + 2) | 0);
      const c = text.charCodeAt(i + 3) | 0;
      addFeature(planes, mix(a, b, c, 0x811c9dc5), mix(a, b, c, 0x01234567));
      features++;
    }
  }
  // A bit of the fingerprint is set when more features had it set than not: 2 × ones > features.
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    let onesHi = 0;
    let onesLo = 0;
    for (let k = 0; k < COUNTER_BITS; k++) {
      onesHi |= ((planes[k]! >>> b) & 1) << k;
      onesLo |= ((planes[COUNTER_BITS + k]! >>> b) & 1) << k;
    }
    if (2 * onesHi > features) hi |= 1 << b;
    if (2 * onesLo > features) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount(x: number): number {
  let n = x >>> 0;
  n -= (n >>> 1) & 0x55555555;
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** One 32-bit half of a fingerprint (8 hex digits from `from`), read without building strings. */
function hexHalf(fingerprint: string, from: number): number {
  let v = 0;
  for (let i = from; i < from + 8; i++) {
    const c = fingerprint.charCodeAt(i);
    v = (v << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return v >>> 0;
}

/** A fingerprint as its two 32-bit halves, for comparing one against many ({@link hammingTo}). */
export function fingerprintHalves(fingerprint: string): [number, number] {
  return [hexHalf(fingerprint, 0), hexHalf(fingerprint, 8)];
}

/** Differing bits between a fingerprint given as halves and one given as hex. */
export function hammingTo(hi: number, lo: number, fingerprint: string): number {
  return popcount(hi ^ hexHalf(fingerprint, 0)) + popcount(lo ^ hexHalf(fingerprint, 8));
}

/** Number of differing bits between two fingerprints from {@link simhash}. */
export function hamming(a: string, b: string): number {
  return hammingTo(hexHalf(a, 0), hexHalf(a, 8), b);
}

/** The four 16-bit bands of a fingerprint: two fingerprints within 3 bits share at least one. */
export function bands(fingerprint: string): string[] {
  return [0, 1, 2, 3].map((i) => `${i}${fingerprint.slice(i * 4, i * 4 + 4)}`);
}
