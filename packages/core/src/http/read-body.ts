import type { IncomingMessage } from 'node:http';

/** An error shaped like body-parser's, so frameworks' error handlers treat it the same. */
export class BodyError extends Error {
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;
  readonly type: string;

  constructor(status: number, type: string, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
    this.statusCode = status;
    this.type = type;
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const TEXT_TYPE = /^text\/plain\b/i;

/** Whether the request announces a body of a type this library reads itself (JSON or plain text). */
export function hasReadableBody(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type === undefined || !(JSON_TYPE.test(type) || TEXT_TYPE.test(type))) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Read and parse a JSON or plain-text body when no body parser ran before this library, so that
 * it can be scored. Bounded by `limit` bytes (413 past it); malformed JSON is a 400. The parsed
 * body should be stored where the framework's parsers look (`req.body`), so they skip it.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyError(413, 'entity.too.large', `request entity too large: ${declared} > ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(new BodyError(413, 'entity.too.large', `request entity too large: over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new BodyError(400, 'request.aborted', error.message));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
  const text = Buffer.concat(chunks, size).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) return text;
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyError(400, 'entity.parse.failed', `invalid JSON body: ${(error as Error).message}`);
  }
}
