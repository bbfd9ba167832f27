import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import winston from 'winston';
import type { Logger } from '../logger.js';
import type { Incident, Severity } from '../types.js';
import { escapeControl } from '../util/text.js';

export interface IncidentLogOptions {
  modelName: string;
  dir: string;
  format: 'text' | 'json';
  level: 'debug' | 'info' | 'warn' | 'error';
}

type Level = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_NAMES: Record<string, string> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' };

const SEVERITY_LEVEL: Record<Severity, Level> = {
  info: 'info',
  low: 'info',
  medium: 'warn',
  high: 'warn',
  critical: 'error',
};

/** Sets `timestamp` to the event's own time when given (`at`), else to now. */
const stamp = winston.format((info) => {
  const at = typeof info.at === 'number' ? info.at : Date.now();
  info.timestamp = new Date(at).toISOString();
  return info;
});

/** `security_{modelName}_{YYYY-MM-DD}.log` (UTC date). */
export function logFileName(modelName: string, at: number): string {
  return `security_${modelName}_${new Date(at).toISOString().slice(0, 10)}.log`;
}

/** Quote an untrusted value: backslashes and quotes escaped, then control characters, so it stays on one line and reads back unambiguously. */
function quote(value: string): string {
  return `"${escapeControl(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
}

/** One readable line for an incident; every untrusted value quoted and escaped. */
export function formatIncident(incident: Incident): string {
  const parts = [
    `incident ${incident.type}`,
    `severity=${incident.severity}`,
    `action=${incident.action}`,
    `key=${quote(incident.key)}`,
  ];
  if (incident.ip !== incident.key) parts.push(`ip=${quote(incident.ip)}`);
  if (incident.principal !== undefined) parts.push(`principal=${quote(incident.principal)}`);
  if (incident.path !== undefined)
    parts.push(`route=${quote(`${incident.method ?? ''} ${incident.path}`.trim())}`);
  if (incident.score !== undefined) parts.push(`score=${incident.score}`);
  if (incident.rules !== undefined && incident.rules.length > 0)
    parts.push(`rules=${incident.rules.join(',')}`);
  if (incident.occurrences > 1) parts.push(`occurrences=${incident.occurrences}`);
  parts.push(`detail=${quote(incident.detail)}`);
  if (incident.excerpt !== undefined) parts.push(`input=${quote(incident.excerpt)}`);
  parts.push(`id=${incident.id}`);
  return parts.join(' ');
}

/**
 * The incident log: winston writing one line per event to
 * `{dir}/security_{modelName}_{YYYY-MM-DD}.log`, switching file at midnight UTC.
 * Text lines read `timestamp - LEVEL - message`; the JSON format writes one object per line.
 */
export class IncidentLog {
  private logger: winston.Logger | undefined;
  private transport: winston.transports.FileTransportInstance | undefined;
  private dayStart = 0;
  private dayEnd = 0;
  private readonly dir: string;
  private readonly closing: Array<Promise<void>> = [];

  constructor(
    private readonly options: IncidentLogOptions,
    private readonly ops: Logger,
  ) {
    this.dir = resolve(options.dir);
  }

  /** Absolute path of the file written for time `at`. */
  fileFor(at: number): string {
    return join(this.dir, logFileName(this.options.modelName, at));
  }

  private loggerFor(at: number): winston.Logger {
    if (this.logger !== undefined && at >= this.dayStart && at < this.dayEnd) return this.logger;
    if (this.logger !== undefined && at < this.dayStart) return this.logger; // late write: keep today's file
    const day = new Date(at);
    this.dayStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    this.dayEnd = this.dayStart + 86_400_000;
    if (this.logger !== undefined) this.closing.push(this.end(this.logger, this.transport));
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (error) {
      this.ops.error('incident log directory cannot be created; incidents are kept in the store only', {
        dir: this.dir,
        error: String(error),
      });
    }
    const format =
      this.options.format === 'json'
        ? winston.format.combine(stamp(), winston.format.json())
        : winston.format.combine(
            stamp(),
            winston.format.printf(
              ({ timestamp, level, message }) =>
                `${String(timestamp)} - ${LEVEL_NAMES[level] ?? level.toUpperCase()} - ${String(message)}`,
            ),
          );
    this.transport = new winston.transports.File({ filename: this.fileFor(at) });
    this.transport.on('error', (error: unknown) => {
      this.ops.error('incident log write failed', { file: this.fileFor(at), error: String(error) });
    });
    this.logger = winston.createLogger({ level: this.options.level, format, transports: [this.transport] });
    return this.logger;
  }

  /** Write an incident. Never throws. */
  write(incident: Incident): void {
    const level = SEVERITY_LEVEL[incident.severity];
    try {
      const logger = this.loggerFor(incident.at);
      if (this.options.format === 'json') {
        logger.log(level, `incident ${incident.type}`, { event: 'incident', ...incident });
      } else {
        logger.log(level, formatIncident(incident), { at: incident.at });
      }
    } catch (error) {
      this.ops.error('incident log write failed', { error: String(error) });
    }
  }

  /** Write any other event (e.g. `alert undelivered`), with escaped fields. */
  event(
    level: Level,
    message: string,
    fields: Record<string, string | number | boolean | string[]> = {},
    at = Date.now(),
  ): void {
    try {
      const logger = this.loggerFor(at);
      if (this.options.format === 'json') {
        logger.log(level, message, { event: message, at, ...fields });
      } else {
        const rest = Object.entries(fields)
          .map(
            ([k, v]) =>
              `${k}=${Array.isArray(v) ? v.join(',') : typeof v === 'string' ? quote(v) : String(v)}`,
          )
          .join(' ');
        logger.log(level, rest === '' ? escapeControl(message) : `${escapeControl(message)} ${rest}`, { at });
      }
    } catch (error) {
      this.ops.error('incident log write failed', { error: String(error) });
    }
  }

  private end(
    logger: winston.Logger,
    transport: winston.transports.FileTransportInstance | undefined,
  ): Promise<void> {
    return new Promise<void>((resolveEnd) => {
      const timer = setTimeout(resolveEnd, 5000);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        resolveEnd();
      };
      if (transport === undefined) {
        logger.on('finish', done);
      } else {
        transport.on('finish', () => setImmediate(done));
      }
      logger.end();
    });
  }

  /** Flush and close the file. */
  async close(): Promise<void> {
    if (this.logger !== undefined) {
      this.closing.push(this.end(this.logger, this.transport));
      this.logger = undefined;
      this.transport = undefined;
    }
    await Promise.all(this.closing.splice(0));
  }
}
