/** The text taken from a request body for scoring. */
export interface ExtractedInput {
  /** Strings joined by newlines, cut at the budget. */
  text: string;
  /** Characters seen before the budget cut (an estimate of the input's size). */
  size: number;
  /** `true` when the budget cut the text. */
  truncated: boolean;
}

const MAX_DEPTH = 32;
const MAX_NODES = 20_000;
/** Fields that hold the prompt in the common inference APIs, read first. */
const PROMPT_FIELDS = [
  'messages',
  'prompt',
  'input',
  'inputs',
  'instructions',
  'system',
  'query',
  'question',
  'text',
];

class Collector {
  readonly parts: string[] = [];
  length = 0;
  size = 0;
  nodes = 0;
  constructor(readonly budget: number) {}

  get full(): boolean {
    return this.length >= this.budget || this.nodes >= MAX_NODES;
  }

  add(text: string): void {
    this.size += text.length;
    if (this.length >= this.budget) return;
    const room = this.budget - this.length;
    const part = text.length > room ? text.slice(0, room) : text;
    this.parts.push(part);
    this.length += part.length + 1;
  }
}

/** Walk every string leaf, iteratively (no recursion), bounded in depth and node count. */
function collectLeaves(root: unknown, into: Collector, seen: Set<object>): void {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0 && !into.full) {
    const [value, depth] = stack.pop()!;
    into.nodes++;
    if (typeof value === 'string') {
      into.add(value);
      continue;
    }
    if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH || seen.has(value)) continue;
    seen.add(value);
    if (Buffer.isBuffer(value)) {
      into.add(value.toString('utf8', 0, Math.min(value.length, into.budget)));
      continue;
    }
    const entries = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
    // Push in reverse so that leaves come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i], depth + 1]);
  }
}

/**
 * Take the text to score from a parsed request body. OpenAI-style `messages[].content` (strings
 * or content parts), `prompt`, `input` and the like come first; the other string leaves follow.
 * Bounded: at most `budget` characters, depth 32 and 20,000 nodes, so a hostile body costs
 * linear time at most. Raw strings and Buffers are taken as they are.
 */
export function extractInput(body: unknown, budget = 65_536): ExtractedInput | undefined {
  if (body === undefined || body === null) return undefined;
  const into = new Collector(budget);
  const seen = new Set<object>();
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    collectLeaves(body, into, seen);
  } else if (typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (Array.isArray(body)) {
      collectLeaves(body, into, seen);
    } else {
      seen.add(body);
      for (const field of PROMPT_FIELDS) {
        if (Object.hasOwn(record, field)) collectLeaves(record[field], into, seen);
      }
      for (const [field, value] of Object.entries(record)) {
        if (!PROMPT_FIELDS.includes(field)) collectLeaves(value, into, seen);
      }
    }
  } else {
    return undefined;
  }
  if (into.parts.length === 0) return undefined;
  return { text: into.parts.join('\n'), size: into.size, truncated: into.size > into.length };
}
