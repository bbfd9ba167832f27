import type { Store } from '../stores/store.js';
import { slidingCount } from './rate-window.js';

export interface FailureCount {
  /** Failures in the window, this one included. */
  count: number;
  /** `true` when this failure took the count to the threshold (once per crossing). */
  crossed: boolean;
}

/**
 * Counts failed responses (401/403 by default) per client in a sliding window and says when a
 * client crosses `failedAttemptsThreshold`. One incident per crossing, not one per failure.
 */
export class FailureTracker {
  constructor(
    private readonly store: Store,
    readonly isFailure: (status: number) => boolean,
  ) {}

  async record(key: string, windowMs: number, threshold: number, now: number): Promise<FailureCount> {
    const state = await this.store.addFailure(key, windowMs, now);
    const count = slidingCount(state, windowMs, now);
    const before = count - 1;
    return { count, crossed: before < threshold && count >= threshold };
  }
}
