import winston from 'winston';

/** Metadata attached to a log line. */
export type LogMeta = Record<string, unknown>;

/**
 * The logger the library writes its operational messages to (warnings about configuration,
 * store or delivery trouble). Any object with these four methods works: pino, winston,
 * bunyan or your own.
 */
export interface Logger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
}

/** A logger that drops everything. Useful in tests. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * The default operational logger: winston writing `warn` and above to stderr, prefixed so the
 * source is clear in a shared console.
 */
export function createDefaultLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'warn'): Logger {
  const logger = winston.createLogger({
    level,
    transports: [
      new winston.transports.Console({
        stderrLevels: ['error', 'warn', 'info', 'debug'],
        format: winston.format.printf(({ level: lvl, message, ...meta }) => {
          const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : '';
          return `[ai-security-monitor] ${lvl}: ${String(message)}${rest}`;
        }),
      }),
    ],
  });
  return {
    debug: (message, meta) => logger.debug(message, meta),
    info: (message, meta) => logger.info(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    error: (message, meta) => logger.error(message, meta),
  };
}
