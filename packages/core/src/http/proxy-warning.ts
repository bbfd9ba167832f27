import type { Logger } from '../logger.js';

/**
 * Warns once when `X-Forwarded-For` arrives while the framework does not trust proxies: every
 * client then looks like the proxy's address and shares one rate limit.
 */
export class ForwardedHeaderWarning {
  private warned = false;

  constructor(
    private readonly logger: Logger,
    private readonly setting: string,
  ) {}

  check(hasForwardedHeader: boolean, proxyTrusted: boolean): void {
    if (this.warned || !hasForwardedHeader || proxyTrusted) return;
    this.warned = true;
    this.logger.warn(
      `X-Forwarded-For received but ${this.setting} is off: clients are identified by the proxy's address, so they share one rate limit. If the app runs behind a proxy or load balancer, turn ${this.setting} on (trust only your own proxies).`,
    );
  }
}
