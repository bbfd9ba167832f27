import { ConfigError } from '../errors.js';
import type { RuleFamily, RuleMatch } from '../types.js';
import { escapeControl, HAS_INVISIBLE, INVISIBLE } from '../util/text.js';
import {
  decodeBase64Blobs,
  decodeEscapes,
  decodeHexAndBinary,
  decodeHtmlEntities,
  decodeUrl,
  foldHomoglyphs,
  foldLeet,
  hasMixedScriptWord,
  isBase64Char,
  joinSpacedLetters,
  longestBase64Run,
  needsUrlDecoding,
} from './decode.js';
import { BUILTIN_RULES, type Rule, type RuleTriggers } from './rules.js';

export { decodeHtmlEntities, decodeUrl } from './decode.js';
export type { Rule, RuleTriggers } from './rules.js';

/** Where in the decoding pipeline a rule matched. */
export type Layer = 'text' | 'url' | 'html' | 'escape' | 'base64' | 'hex' | 'homoglyph' | 'leet' | 'spacing';

/** Tuning for the scorer. */
export interface ScorerOptions {
  /** Extra rules, added to the built-in ones. */
  rules?: Rule[];
  /** Rule ids or families to turn off, e.g. `['pi.from-now-on', 'obfuscation']`. */
  disable?: string[];
  /** Weight overrides by rule id (0..1). */
  weights?: Record<string, number>;
  /** Longest input scored, in characters; the rest is not read. Defaults to `65536`. */
  maxLength?: number;
}

/** A scored input. */
export interface ScoreResult {
  /** 0..1: one strong signal is enough, several weak ones add up (1 - Π(1 - weight)). */
  score: number;
  /** Matched rules, strongest first, each with the layer it was found in. */
  matches: Array<RuleMatch & { layer: Layer }>;
  /** Families with at least one match. */
  families: RuleFamily[];
}

const FAMILIES: readonly RuleFamily[] = [
  'instruction_override',
  'persona_hijack',
  'prompt_extraction',
  'delimiter_injection',
  'sql_injection',
  'xss',
  'command_injection',
  'path_traversal',
  'template_injection',
  'obfuscation',
];

/**
 * Normalise for matching: NFKC (folds full-width and compatibility forms), invisible characters
 * removed, lower case, runs of spaces collapsed (newlines kept, as turn markers need them).
 */
export function normalizeText(text: string): string {
  // The scorer and the SimHash of the sequence detectors normalise the same input one after the
  // other: remember the last one.
  if (text === lastIn) return lastOut;
  const out = normalizeUncached(text);
  lastIn = text;
  lastOut = out;
  return out;
}
let lastIn = '';
let lastOut = '';

function normalizeUncached(text: string): string {
  // One scan decides whether anything beyond lower-casing is needed (the common case: no).
  if (!/[^\x20-\x7e\n]| {2}|\n[ \n]| \n/.test(text)) return text.toLowerCase();
  let out = text;
  // NFKC only when there is something outside ASCII: it is the costliest step.
  if (/[^\x20-\x7e\t\n\r]/.test(out)) {
    out = out
      .normalize('NFKC')
      .replace(INVISIBLE, '')
      .replace(/[‘’‛′´]/g, "'")
      .replace(/[“”„‟″]/g, '"');
  }
  out = out.toLowerCase();
  if (/[\t\f\v\u00a0]| {2}/.test(out)) out = out.replace(/[ \t\f\v\u00a0]+/g, ' ');
  if (/\r|\n\n| \n|\n /.test(out)) out = out.replace(/ ?[\r\n]+ ?/g, '\n');
  return out;
}

/** The decoding layers, in the order they are tried. */
const LAYERS: readonly Layer[] = [
  'text',
  'url',
  'html',
  'escape',
  'base64',
  'hex',
  'homoglyph',
  'leet',
  'spacing',
];

/** Below this share of "innocence" left (score ≥ 0.999) scoring stops: the verdict cannot change. */
const SATURATED = 0.001;

/**
 * One pass over the raw input for the decoding layers: the longest run of base64-alphabet
 * characters (times two), plus 1 when the text has a run worth hex/binary decoding: 12+ hex
 * digits with at least two decimal digits among them (so long plain words do not count; single
 * spaces may separate them, as in binary octets) or `\x`/`0x` escapes. One loop instead of two:
 * a pass over 1 KB costs several microseconds, and every input takes it.
 */
function rawFeatures(text: string): number {
  let run = 0;
  let digits = 0;
  let hex = false;
  let b64 = 0;
  let best = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isBase64Char(c)) {
      b64++;
      if (b64 > best) best = b64;
    } else b64 = 0;
    if (hex) continue;
    const isDigit = c >= 48 && c <= 57;
    if (isDigit || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
      run++;
      if (isDigit) digits++;
      if (run >= 12 && digits >= 2) hex = true;
    } else if (c !== 32 || run === 0) {
      run = 0;
      digits = 0;
    }
  }
  if (!hex) hex = /(?:\\x|0x)[0-9a-f]{2}/i.test(text);
  return best * 2 + (hex ? 1 : 0);
}

interface CompiledRule extends Rule {
  index: number;
}

const WORD = 1;
const LETTER = 2;
const LEET = 4;
const SPACER = 8;
/** Character classes of ASCII, for the one-pass trigger scan. */
const CHAR_CLASS = new Uint8Array(129);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-z]/.test(ch)) CHAR_CLASS[c] = WORD | LETTER;
  else if (/[A-Z0-9_]/.test(ch)) CHAR_CLASS[c] = WORD;
  if ('013457'.includes(ch)) CHAR_CLASS[c]! |= LEET;
  if ('@$!|'.includes(ch)) CHAR_CLASS[c] = LEET;
  if (' .-_*'.includes(ch)) CHAR_CLASS[c]! |= SPACER;
}
const FEATURE_NON_ASCII = 1;
const FEATURE_LEET = 2;
const FEATURE_SPACED = 4;

/**
 * Which rules may match a text, from cheap checks (characters, word starts, substrings).
 * `active[rule]` collects bits: {@link PRIMARY} when one of the rule's triggers holds, {@link ALSO}
 * when one of its `also` triggers does; a rule runs when it has every bit it needs
 * ({@link TriggerIndex.required}). Trigger lists hold entries `rule * 2 + (also ? 1 : 0)`.
 */
const PRIMARY = 1;
const ALSO = 2;

function fire(active: Uint8Array, entry: number): void {
  active[entry >> 1]! |= (entry & 1) + 1;
}

function fired(active: Uint8Array, entry: number): boolean {
  return (active[entry >> 1]! & ((entry & 1) + 1)) !== 0;
}

class TriggerIndex {
  /** The bits each rule needs to run: PRIMARY, or PRIMARY | ALSO. */
  readonly required: Uint8Array;
  private readonly always: number[] = [];
  private readonly byChar = new Map<number, number[]>();
  private readonly byWord = new Map<string, number[]>();
  private readonly bySubstring = new Map<string, number[]>();
  private readonly byBase64Run: Array<[number, number]> = [];
  private readonly byNonAscii: number[] = [];
  /** Sticky matcher of a trigger word (plus the rest of its word) at a given position. */
  private readonly wordAt: RegExp | undefined;
  /** 1 where some trigger word starts with these two characters (index c1 * 128 + c2). */
  private readonly wordStarts = new Uint8Array(128 * 128);
  /** Every entry some trigger word starting with these two characters can fire. */
  private readonly entriesByPrefix = new Map<number, number[]>();
  private readonly charMask = new Uint8Array(128);
  /** Scratch of `collect`: characters seen, word prefixes done (and which were set). */
  private readonly seen = new Uint8Array(128);
  private readonly done = new Uint8Array(128 * 128);
  private readonly doneSet: number[] = [];

  constructor(rules: readonly CompiledRule[]) {
    this.required = new Uint8Array(rules.length);
    for (const rule of rules) {
      const t = rule.triggers;
      this.required[rule.index] = PRIMARY;
      if (t === undefined || !hasTrigger(t)) {
        if (t?.also !== undefined) {
          throw new ConfigError(`rule ${rule.id}`, '`triggers.also` needs triggers of its own beside it.');
        }
        this.always.push(rule.index);
        continue;
      }
      this.add(rule, t, rule.index * 2);
      if (t.also !== undefined && hasTrigger(t.also)) {
        this.required[rule.index] = PRIMARY | ALSO;
        this.add(rule, t.also, rule.index * 2 + 1);
      }
    }
    const words = [...this.byWord.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.wordAt = words.length > 0 ? new RegExp(`(?:${words.join('|')})[a-z0-9_]*`, 'y') : undefined;
  }

  private add(rule: CompiledRule, t: RuleTriggers, entry: number): void {
    const push = (map: Map<string, number[]> | Map<number, number[]>, key: string | number) => {
      const list = (map as Map<string | number, number[]>).get(key) ?? [];
      if (!list.includes(entry)) list.push(entry);
      (map as Map<string | number, number[]>).set(key, list);
    };
    for (const ch of t.chars ?? '') {
      const code = ch.charCodeAt(0);
      if (code >= 128) continue;
      this.charMask[code] = 1;
      push(this.byChar, code);
    }
    for (const word of t.words ?? []) {
      const w = word.toLowerCase();
      if (w.length < 2 || w.charCodeAt(0) >= 128 || w.charCodeAt(1) >= 128) {
        throw new ConfigError(
          `rule ${rule.id}`,
          `trigger word ${JSON.stringify(word)} must be at least two ASCII characters.`,
        );
      }
      const prefix = w.charCodeAt(0) * 128 + w.charCodeAt(1);
      this.wordStarts[prefix] = 1;
      push(this.entriesByPrefix, prefix);
      push(this.byWord, w);
    }
    for (const sub of t.substrings ?? []) push(this.bySubstring, sub);
    if (t.base64Run !== undefined) this.byBase64Run.push([t.base64Run, entry]);
    if (t.nonAscii === true) this.byNonAscii.push(entry);
  }

  /**
   * Mark in `active` every rule whose trigger holds in `text`. One pass over the characters:
   * character triggers from a bitmap, word triggers only where a word starts with a known
   * two-letter prefix (then a sticky match reads the word).
   */
  collect(text: string, active: Uint8Array, base64Run: number): number {
    for (const i of this.always) active[i] = PRIMARY;
    const seen = this.seen;
    seen.fill(0);
    // Prefixes whose entries have all fired already: their words need not be read again. Reused
    // between calls (collect is synchronous); only the entries set last time are cleared.
    const done = this.done;
    for (const prefix of this.doneSet) done[prefix] = 0;
    this.doneSet.length = 0;
    let features = 0;
    let prevWord = false;
    let prev1 = 0;
    let prev2 = 0;
    let singleRun = 0;
    let lastSingle = -3;
    const wordAt = this.wordAt;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) {
        features |= FEATURE_NON_ASCII;
        prevWord = false;
        prev2 = prev1;
        prev1 = 0;
        continue;
      }
      if (this.charMask[c] === 1 && seen[c] === 0) {
        seen[c] = 1;
        for (const e of this.byChar.get(c)!) fire(active, e);
      }
      const cls = CHAR_CLASS[c]!;
      const isWord = (cls & WORD) !== 0;
      if ((cls & LETTER) !== 0) {
        // leetspeak: a letter, a digit or symbol, a letter ("1gn0re" has "n0r").
        if ((CHAR_CLASS[prev1]! & LEET) !== 0 && (CHAR_CLASS[prev2]! & LETTER) !== 0)
          features |= FEATURE_LEET;
        // spaced letters: single-letter tokens separated by one separator ("i g n o r e").
        if (!prevWord && (i + 1 >= n || (CHAR_CLASS[Math.min(text.charCodeAt(i + 1), 128)]! & WORD) === 0)) {
          singleRun = lastSingle === i - 2 && (CHAR_CLASS[prev1]! & SPACER) !== 0 ? singleRun + 1 : 1;
          lastSingle = i;
          if (singleRun >= 4) features |= FEATURE_SPACED;
        }
        if (!prevWord && wordAt !== undefined && i + 1 < n) {
          const c2 = text.charCodeAt(i + 1);
          if (c2 < 128 && this.wordStarts[c * 128 + c2] === 1 && done[c * 128 + c2] === 0) {
            this.matchWord(text, i, active, c * 128 + c2, done);
          }
        }
      } else if (isWord && !prevWord && wordAt !== undefined && i + 1 < n) {
        const c2 = text.charCodeAt(i + 1);
        if (c2 < 128 && this.wordStarts[c * 128 + c2] === 1 && done[c * 128 + c2] === 0) {
          this.matchWord(text, i, active, c * 128 + c2, done);
        }
      }
      prevWord = isWord;
      prev2 = prev1;
      prev1 = c;
    }
    if ((features & FEATURE_NON_ASCII) !== 0) for (const e of this.byNonAscii) fire(active, e);
    for (const [sub, entries] of this.bySubstring) {
      if (entries.every((e) => fired(active, e))) continue;
      if (text.includes(sub)) for (const e of entries) fire(active, e);
    }
    for (const [min, e] of this.byBase64Run) if (base64Run >= min) fire(active, e);
    return features;
  }

  /** Read the word at `i` and fire every trigger that starts it (`pre` and `previous` both, for "previous"). */
  private matchWord(text: string, i: number, active: Uint8Array, prefix: number, done: Uint8Array): void {
    const wordAt = this.wordAt!;
    wordAt.lastIndex = i;
    const m = wordAt.exec(text);
    if (m === null) return;
    const word = m[0];
    for (let k = 2; k <= word.length; k++) {
      const entries = this.byWord.get(k === word.length ? word : word.slice(0, k));
      if (entries !== undefined) for (const e of entries) fire(active, e);
    }
    if (this.entriesByPrefix.get(prefix)!.every((e) => fired(active, e))) {
      done[prefix] = 1;
      this.doneSet.push(prefix);
    }
  }
}

function hasTrigger(t: RuleTriggers | NonNullable<RuleTriggers['also']>): boolean {
  return (
    (t.words?.length ?? 0) > 0 ||
    (t.chars ?? '') !== '' ||
    (t.substrings?.length ?? 0) > 0 ||
    ('base64Run' in t && t.base64Run !== undefined) ||
    t.nonAscii === true
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Scores input text for prompt injection, jailbreaks and web-attack payloads. Rules are
 * compiled once; `score` is linear in the input (every pattern is linear-time, and the input is
 * cut at `maxLength`).
 */
export class PatternScorer {
  readonly rules: readonly Rule[];
  private readonly compiled: readonly CompiledRule[];
  private readonly triggers: TriggerIndex;
  private readonly maxLength: number;

  constructor(options: ScorerOptions = {}) {
    const { rules = [], disable = [], weights = {}, maxLength = 65_536 } = options;
    const known = new Set([...BUILTIN_RULES, ...rules].map((r) => r.id));
    for (const entry of disable) {
      if (!known.has(entry) && !(FAMILIES as readonly string[]).includes(entry)) {
        throw new ConfigError('scorer.disable', `no rule or family named ${JSON.stringify(entry)}.`);
      }
    }
    rules.forEach((rule, i) => {
      if (typeof rule.id !== 'string' || rule.id === '') {
        throw new ConfigError(`scorer.rules[${i}].id`, 'expected a non-empty string.');
      }
      if (!(rule.pattern instanceof RegExp)) {
        throw new ConfigError(`scorer.rules[${i}].pattern`, 'expected a RegExp.');
      }
      if (!(FAMILIES as readonly string[]).includes(rule.family)) {
        throw new ConfigError(`scorer.rules[${i}].family`, `expected one of ${FAMILIES.join(', ')}.`);
      }
      if (!(rule.weight > 0 && rule.weight <= 1)) {
        throw new ConfigError(`scorer.rules[${i}].weight`, 'expected a number in (0, 1].');
      }
    });
    for (const [id, weight] of Object.entries(weights)) {
      if (!known.has(id)) throw new ConfigError(`scorer.weights.${id}`, 'no rule with this id.');
      if (!(typeof weight === 'number' && weight >= 0 && weight <= 1)) {
        throw new ConfigError(`scorer.weights.${id}`, `expected a number in [0, 1], got ${String(weight)}.`);
      }
    }
    if (!Number.isInteger(maxLength) || maxLength <= 0) {
      throw new ConfigError(
        'scorer.maxLength',
        `expected a positive whole number, got ${String(maxLength)}.`,
      );
    }
    this.maxLength = maxLength;
    this.rules = [...BUILTIN_RULES, ...rules]
      .filter((r) => !disable.includes(r.id) && !disable.includes(r.family))
      .map((r) => ({
        ...r,
        weight: weights[r.id] ?? r.weight,
        // Global/sticky flags would make `.test` stateful; strip them.
        pattern: new RegExp(r.pattern.source, r.pattern.flags.replace(/[gy]/g, '')),
      }))
      .filter((r) => r.weight > 0);
    this.compiled = this.rules.map((r, index) => ({ ...r, index }));
    this.triggers = new TriggerIndex(this.compiled);
  }

  /** Score one input. Never throws. */
  score(input: string): ScoreResult {
    const raw = input.length > this.maxLength ? input.slice(0, this.maxLength) : input;
    const text = normalizeText(raw);
    const rawScan = rawFeatures(raw);
    const rawRun = rawScan >> 1;
    const matches: ScoreResult['matches'] = [];
    const matched = new Uint8Array(this.compiled.length);
    const active = new Uint8Array(this.compiled.length);
    let features = 0;
    let keep = 1;
    // Layers are decoded lazily, in order: once the score is saturated the rest is not computed.
    for (let l = 0; l < LAYERS.length && keep >= SATURATED; l++) {
      const layer = LAYERS[l]!;
      let body: string | undefined;
      switch (layer) {
        case 'text':
          body = text;
          break;
        case 'url':
          body = needsUrlDecoding(raw) ? decodeUrl(raw) : undefined;
          break;
        case 'html':
          body = raw.includes('&') ? decodeHtmlEntities(raw) : undefined;
          break;
        case 'escape':
          body = raw.includes('\\') ? decodeEscapes(raw) : undefined;
          break;
        case 'base64':
          body = rawRun >= 16 ? decodeBase64Blobs(raw, this.maxLength) : undefined;
          break;
        case 'hex':
          body = (rawScan & 1) === 1 ? decodeHexAndBinary(raw, this.maxLength) : undefined;
          break;
        // Look-alike letters, leetspeak and spaced-out words: folded from the normalised text.
        case 'homoglyph':
          body =
            (features & FEATURE_NON_ASCII) !== 0 && hasMixedScriptWord(text)
              ? foldHomoglyphs(text)
              : undefined;
          break;
        case 'leet':
          body = (features & FEATURE_LEET) !== 0 ? foldLeet(text) : undefined;
          break;
        case 'spacing':
          body = (features & FEATURE_SPACED) !== 0 ? joinSpacedLetters(text) : undefined;
          break;
      }
      if (body === undefined || body === '') continue;
      if (l >= 6) {
        if (body === text) continue;
      } else if (l > 0) {
        if (body === raw) continue;
        body = normalizeText(body);
      }
      if (l > 0) active.fill(0);
      const f = this.triggers.collect(body, active, l === 0 ? rawRun : longestBase64Run(body));
      if (l === 0) features = f;
      const required = this.triggers.required;
      for (const rule of this.compiled) {
        const need = required[rule.index]!;
        if ((active[rule.index]! & need) !== need || matched[rule.index] === 1) continue;
        if (rule.maxLength !== undefined && body.length > rule.maxLength) continue;
        const m = rule.pattern.exec(body);
        if (m === null) continue;
        matched[rule.index] = 1;
        const from = Math.max(0, m.index - 20);
        const to = Math.min(body.length, m.index + m[0].length + 20);
        matches.push({
          id: rule.id,
          family: rule.family,
          weight: rule.weight,
          description: rule.description,
          excerpt: escapeControl(body.slice(from, to)),
          layer,
        });
        keep *= 1 - rule.weight;
        // Saturated: no further match can change the decision, and hostile input stops costing.
        if (keep < SATURATED) break;
      }
    }
    // Hiding a match behind an encoding or invisible characters is itself a signal, but only
    // alongside a match: on its own it says nothing.
    if (matches.length > 0 && (matches.some((m) => m.layer !== 'text') || HAS_INVISIBLE.test(raw))) {
      keep *= 0.8;
    }
    matches.sort((a, b) => b.weight - a.weight);
    const families = [...new Set(matches.map((m) => m.family))];
    return { score: Math.round((1 - keep) * 1000) / 1000, matches, families };
  }
}

/** Score text with the built-in rules (or the given options). Handy on its own and in scripts. */
export function scoreInput(text: string, options?: ScorerOptions): ScoreResult {
  const scorer = options === undefined ? defaultScorer() : new PatternScorer(options);
  return scorer.score(text);
}

let shared: PatternScorer | undefined;
function defaultScorer(): PatternScorer {
  shared ??= new PatternScorer();
  return shared;
}
