/** Characters that draw nothing but can hide or reorder text: zero-width, bidi controls, tags. */
export const INVISIBLE =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u206A-\u206F\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;

/** Non-global twin of {@link INVISIBLE}, for `.test`. */
export const HAS_INVISIBLE = new RegExp(INVISIBLE.source);

// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;

/**
 * Make untrusted text safe for a one-line log record: control characters (newlines included)
 * become visible escapes, so a request cannot forge a log line.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [/\b(sk|pk|rk)-(?:proj-|live-|test-)?[A-Za-z0-9_-]{16,}/g, '[REDACTED_KEY]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[REDACTED_KEY]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, '[REDACTED_KEY]'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, '[REDACTED_KEY]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[REDACTED_JWT]'],
  [
    /\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&]{1,200}/gi,
    '$1$2[REDACTED]',
  ],
];

/** Remove credentials (bearer tokens, API keys, JWTs, `password=` values) from text. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * The excerpt of untrusted input that may be kept with an incident: truncated, credentials
 * redacted, invisible characters removed. Truncation happens first (on a bounded prefix), so the
 * cost does not grow with the input. Writers escape it for their medium (the log escapes
 * control characters, HTML mail escapes markup).
 */
export function safeExcerpt(text: string, maxLength = 200): string {
  const head = text.length > maxLength * 2 ? text.slice(0, maxLength * 2) : text;
  let out = redactSecrets(head.replace(INVISIBLE, ''));
  if (out.length > maxLength || text.length > head.length) {
    out = `${out.slice(0, maxLength)}…[${text.length} chars]`;
  }
  return out;
}
