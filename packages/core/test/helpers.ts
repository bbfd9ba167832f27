import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, LogMeta } from '../src/index.js';

export function tempDir(prefix = 'asm-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A logger that keeps what it was told, for assertions. */
export function memoryLogger(): Logger & {
  lines: Array<{ level: string; message: string; meta?: LogMeta }>;
} {
  const lines: Array<{ level: string; message: string; meta?: LogMeta }> = [];
  const at = (level: string) => (message: string, meta?: LogMeta) => {
    lines.push(meta === undefined ? { level, message } : { level, message, meta });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
