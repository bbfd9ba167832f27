import { ConfigError } from '../errors.js';
import type { RequestInfo } from '../types.js';
import { extractInput } from './input.js';

/** Per-request extractors an app may give an adapter. `Req` is the framework's request or context. */
export interface RequestExtractors<Req> {
  /** What limits count against. Defaults to the client IP. */
  key?: (req: Req) => string | undefined;
  /** The authenticated identity (API key id, user id), when known. */
  principal?: (req: Req) => string | undefined;
  /** The text to score. Defaults to prompts and other strings of the parsed body. */
  input?: (req: Req) => string | undefined;
}

/** Validate extractors once, at creation. */
export function validateExtractors<Req>(extractors: RequestExtractors<Req>): void {
  for (const name of ['key', 'principal', 'input'] as const) {
    const fn = extractors[name];
    if (fn !== undefined && typeof fn !== 'function') {
      throw new ConfigError(name, `expected a function (req) => string | undefined, got ${typeof fn}.`);
    }
  }
}

/** What every adapter knows about a request without the app's help. */
export interface RequestFacts {
  ip: string;
  method: string;
  path: string;
  /** The parsed body, whatever parser produced it. */
  body: unknown;
}

/**
 * Build the framework-free `RequestInfo` from what the adapter read and the app's extractors.
 * Shared by every adapter so that they extract the same way.
 */
export function createRequestInfo<Req>(
  req: Req,
  facts: RequestFacts,
  extractors: RequestExtractors<Req>,
  inputBudget: number,
): RequestInfo {
  const info: RequestInfo = { ip: facts.ip, method: facts.method, path: facts.path };
  if (extractors.key !== undefined) {
    const key = extractors.key(req);
    if (key !== undefined && key !== '') info.key = key;
  }
  if (extractors.principal !== undefined) {
    const principal = extractors.principal(req);
    if (principal !== undefined && principal !== '') info.principal = principal;
  }
  if (extractors.input !== undefined) {
    const text = extractors.input(req);
    if (text !== undefined) {
      info.input = text;
      info.bytes = Buffer.byteLength(text);
    }
  } else {
    const extracted = extractInput(facts.body, inputBudget);
    if (extracted !== undefined) {
      info.input = extracted.text;
      info.bytes = extracted.size;
    }
  }
  return info;
}

/** Whether an error thrown while reading a body is a client error to hand to the framework (413, 400). */
export function isBodyError(error: unknown): error is { status: number; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { type?: unknown }).type === 'string'
  );
}
