/**
 * Thrown at creation when an option is wrong. Never thrown per request.
 * `option` is the dotted path of the offending option, e.g. `thresholds.maxRequestsPerMinute`.
 */
export class ConfigError extends Error {
  readonly code = 'ERR_ASM_INVALID_OPTION';
  readonly option: string;

  constructor(option: string, message: string) {
    super(`ai-security-monitor: invalid option \`${option}\`: ${message}`);
    this.name = 'ConfigError';
    this.option = option;
  }
}
