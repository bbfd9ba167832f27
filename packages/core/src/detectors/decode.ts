/**
 * The decoding layers of the scorer. Each takes raw input and returns the text an attacker meant
 * to hide, or the input unchanged when there is nothing to decode. All are linear and bounded.
 */

import { INVISIBLE } from '../util/text.js';

const HTML_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  amp: '&',
  sol: '/',
  bsol: '\\',
  colon: ':',
  lpar: '(',
  rpar: ')',
  equals: '=',
  nbsp: ' ',
  tab: '\t',
  newline: '\n',
  period: '.',
  semi: ';',
  comma: ',',
  excl: '!',
  num: '#',
  dollar: '$',
  percnt: '%',
  lsqb: '[',
  rsqb: ']',
  lcub: '{',
  rcub: '}',
  grave: '`',
  quest: '?',
  vert: '|',
};

function safeFromCodePoint(code: number): string {
  return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** Decode HTML character references (named, decimal and hex, with or without `;`, zero-padded). */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,8})|#x([0-9a-f]{1,8})|([a-z]{2,8}));?/gi, (whole, dec, hex, name) => {
    if (dec !== undefined) return safeFromCodePoint(Number(dec));
    if (hex !== undefined) return safeFromCodePoint(Number.parseInt(hex, 16));
    return HTML_ENTITIES[String(name).toLowerCase()] ?? whole;
  });
}

/**
 * Overlong and otherwise invalid UTF-8 encodings of `/`, `\` and `.` that old servers decoded
 * anyway (`%c0%af`, `%e0%80%af`, `%c1%9c`, IIS's `%c1%pc`, `%bg%qf`, …): the classic ways of
 * hiding a path separator from a filter.
 */
const OVERLONG: Array<[RegExp, string]> = [
  [/%(?:c0|e0%80|f0%80%80|f8%80%80%80|fc%80%80%80%80)%(?:af|2f)/gi, '/'],
  [/%(?:c0|e0%80|f0%80%80|f8%80%80%80|fc%80%80%80%80)%(?:ae|2e)/gi, '.'],
  [/%c1%(?:9c|1c|pc|8s)|%c0%(?:qf|9v)|%bg%qf|%c1%af/gi, '/'],
  [/%u(?:2215|2044|ff0f|f025)/gi, '/'],
  [/%u(?:2216|ff3c|29f5)/gi, '\\'],
  [/%u(?:ff0e|2024|fe52)/gi, '.'],
  [/0x2e/gi, '.'],
  [/0x2f/gi, '/'],
  [/0x5c/gi, '\\'],
];

/** `%uXXXX` (IIS) escapes. */
const PERCENT_U = /%u([0-9a-f]{4})/gi;

/**
 * Percent-decoding that never throws: valid sequences are decoded, IIS `%uXXXX` and overlong
 * UTF-8 separators are folded, invalid bytes are dropped. Runs up to three times for double and
 * triple encoding (`%252e`, `%%32%66`).
 */
export function decodeUrl(text: string): string {
  let out = text;
  for (let pass = 0; pass < 3 && out.includes('%'); pass++) {
    // IIS double decoding: `%%35%%63` is `%5c` once its two halves are decoded.
    let next = out.replace(/%%([0-9a-f]{2})%%([0-9a-f]{2})/gi, (_, a: string, b: string) => {
      return `%${String.fromCharCode(Number.parseInt(a, 16))}${String.fromCharCode(Number.parseInt(b, 16))}`;
    });
    for (const [pattern, replacement] of OVERLONG) next = next.replace(pattern, replacement);
    next = next.replace(PERCENT_U, (_, h: string) => safeFromCodePoint(Number.parseInt(h, 16)));
    next = next.replace(/(?:%[0-9a-f]{2})+/gi, (seq) => {
      try {
        return decodeURIComponent(seq);
      } catch {
        return seq.replace(/%([0-9a-f]{2})/gi, (_, h: string) => {
          const code = Number.parseInt(h, 16);
          return code < 0x80 ? String.fromCharCode(code) : '';
        });
      }
    });
    // `%%32%%66`: a percent sign left before a decoded pair.
    next = next.replace(/%%/g, '%');
    if (next === out) break;
    out = next;
  }
  // Folded separators that have no percent sign at all.
  for (const [pattern, replacement] of OVERLONG.slice(6)) out = out.replace(pattern, replacement);
  return out;
}

/** Characters that make a text worth URL-decoding. */
export function needsUrlDecoding(text: string): boolean {
  return text.includes('%') || /0x(?:2e|2f|5c)/i.test(text);
}

const BASE64_BLOB = /[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z0-9_-]{24,}/g;

export function isBase64Char(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** Length of the longest run of base64-alphabet characters: one pass, no regex. */
export function longestBase64Run(text: string): number {
  let run = 0;
  let best = 0;
  for (let i = 0; i < text.length; i++) {
    if (isBase64Char(text.charCodeAt(i))) {
      run++;
      if (run > best) best = run;
    } else {
      run = 0;
    }
  }
  return best;
}

function mostlyPrintable(decoded: string): boolean {
  if (decoded.length < 6) return false;
  let printable = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9 || (c > 159 && c !== 0xfffd)) printable++;
  }
  return printable / decoded.length > 0.9;
}

/** Decode base64 (and base64url) blobs that turn out to be mostly printable text. */
export function decodeBase64Blobs(text: string, budget: number): string {
  const parts: string[] = [];
  let total = 0;
  for (const match of text.matchAll(BASE64_BLOB)) {
    if (total >= budget) break;
    const blob = match[0];
    if (blob.length % 4 === 1) continue;
    // Plain words are base64-alphabet too: a blob needs digits or mixed case to be worth it.
    if (!/\d/.test(blob) && !(/[a-z]/.test(blob) && /[A-Z]/.test(blob))) continue;
    const decoded = Buffer.from(
      blob,
      blob.includes('-') || blob.includes('_') ? 'base64url' : 'base64',
    ).toString('utf8');
    if (mostlyPrintable(decoded)) {
      parts.push(decoded);
      total += decoded.length;
    }
  }
  return parts.join('\n');
}

const HEX_RUN = /(?:\b|\\x|0x)(?:[0-9a-f]{2}(?:[\s:,-]|\\x|0x)?){6,}/gi;
const BINARY_RUN = /(?:[01]{8}[\s,]*){4,}/g;

/** Decode runs of hex bytes (`69676e6f7265`, `69 67 6e`, `\x69\x67`) and binary octets. */
export function decodeHexAndBinary(text: string, budget: number): string {
  const parts: string[] = [];
  let total = 0;
  for (const match of text.matchAll(HEX_RUN)) {
    if (total >= budget) break;
    const digits = match[0].replace(/\\x|0x|[^0-9a-f]/gi, '');
    if (digits.length < 12 || digits.length % 2 === 1) continue;
    const decoded = Buffer.from(digits, 'hex').toString('utf8');
    if (mostlyPrintable(decoded)) {
      parts.push(decoded);
      total += decoded.length;
    }
  }
  for (const match of text.matchAll(BINARY_RUN)) {
    if (total >= budget) break;
    const bits = match[0].replace(/[^01]/g, '');
    let decoded = '';
    for (let i = 0; i + 8 <= bits.length; i += 8)
      decoded += String.fromCharCode(Number.parseInt(bits.slice(i, i + 8), 2));
    if (mostlyPrintable(decoded)) {
      parts.push(decoded);
      total += decoded.length;
    }
  }
  return parts.join('\n');
}

/** Decode `\uXXXX`, `\u{…}`, `\xXX` and octal `\NNN` escapes. */
export function decodeEscapes(text: string): string {
  return text.replace(
    /\\u\{([0-9a-f]{1,6})\}|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})|\\([0-3][0-7]{2})/gi,
    (_, braced, u, x, oct) => {
      if (braced !== undefined) return safeFromCodePoint(Number.parseInt(braced, 16));
      if (u !== undefined) return safeFromCodePoint(Number.parseInt(u, 16));
      if (x !== undefined) return String.fromCharCode(Number.parseInt(x, 16));
      return String.fromCharCode(Number.parseInt(oct, 8));
    },
  );
}

/** Cyrillic and Greek letters that look like Latin ones (lower case; the text is lower-cased first). */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ɑ: 'a',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
};
const HOMOGLYPH_CLASS = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

/** Whether a (lower-cased) text mixes Latin letters with Cyrillic or Greek look-alikes inside one word. */
export function hasMixedScriptWord(text: string): boolean {
  return /[a-z][\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]|[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f][a-z]/.test(
    text,
  );
}

/** Fold Cyrillic and Greek look-alikes to the Latin letters they imitate. */
export function foldHomoglyphs(text: string): string {
  return text.replace(HOMOGLYPH_CLASS, (c) => HOMOGLYPHS[c] ?? c);
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};

/** Whether a (lower-cased) text has words written in leetspeak (`1gn0re`, `pr3v10us`, `$y$tem`). */
export function hasLeet(text: string): boolean {
  return /[a-z][013457@$][a-z]|[013457@$][a-z]{2}[013457]/.test(text);
}

/** Undo leetspeak inside words that mix letters and digits; numbers on their own are left alone. */
export function foldLeet(text: string): string {
  // Each token is matched once and tested in linear time: no lookaheads that rescan a token.
  return text.replace(/[a-z0-9@$!|]{3,}/g, (word) =>
    /[a-z]/.test(word) && /[013457@$!|]/.test(word)
      ? word.replace(/[013457@$!|]/g, (c) => LEET[c] ?? c)
      : word,
  );
}

/** Letters spaced out to dodge word matching: `i g n o r e`, `i.g.n.o.r.e`, `i-g-n-o-r-e`. */
const SPACED = /\b(?:[a-z][ .\-_*]){3,}[a-z]\b/g;

/** Whether a (lower-cased) text has words spelled out letter by letter. */
export function hasSpacedLetters(text: string): boolean {
  return /\b[a-z][ .\-_*][a-z][ .\-_*][a-z][ .\-_*][a-z]\b/.test(text);
}

/** Join words spelled out letter by letter. */
export function joinSpacedLetters(text: string): string {
  return text.replace(SPACED, (run) => run.replace(/[ .\-_*]/g, ''));
}

/** Remove invisible characters (zero-width, bidi controls, tags). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}
