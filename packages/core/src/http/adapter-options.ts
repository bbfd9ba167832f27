import { ConfigError } from '../errors.js';
import { SecurityMonitor } from '../monitor.js';
import type { MonitorOptions } from '../options.js';
import { type RequestExtractors, validateExtractors } from './request-info.js';

/** What every adapter takes beside the monitor's options. `Req` is the framework's request or context. */
export interface AdapterOptions<Req> extends RequestExtractors<Req> {
  /** When no body parser ran, read bodies up to this many bytes. `0` turns it off. Defaults to `1048576`. */
  bodyLimit?: number;
}

const ADAPTER_KEYS: ReadonlySet<string> = new Set(['key', 'principal', 'input', 'bodyLimit']);

/**
 * Resolve an adapter's arguments, once at creation: split the adapter's keys from the monitor's
 * options, validate them before the monitor opens its log file, and create the monitor (or use the
 * one given to share).
 */
export function resolveAdapter<A extends AdapterOptions<never>>(
  optionsOrMonitor: (MonitorOptions & A) | SecurityMonitor,
  adapterOptions: A,
): { monitor: SecurityMonitor; adapter: A; bodyLimit: number } {
  if (optionsOrMonitor instanceof SecurityMonitor) {
    return { monitor: optionsOrMonitor, adapter: adapterOptions, bodyLimit: validateAdapter(adapterOptions) };
  }
  const monitorOptions: Record<string, unknown> = {};
  const fromOptions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(optionsOrMonitor)) {
    if (ADAPTER_KEYS.has(k)) fromOptions[k] = v;
    else monitorOptions[k] = v;
  }
  const adapter = { ...fromOptions, ...adapterOptions } as A;
  const bodyLimit = validateAdapter(adapter);
  return { monitor: new SecurityMonitor(monitorOptions as MonitorOptions), adapter, bodyLimit };
}

function validateAdapter(options: AdapterOptions<never>): number {
  validateExtractors(options);
  const bodyLimit = options.bodyLimit ?? 1_048_576;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 0) {
    throw new ConfigError(
      'bodyLimit',
      `expected a whole number of bytes >= 0, got ${String(options.bodyLimit)}.`,
    );
  }
  return bodyLimit;
}
