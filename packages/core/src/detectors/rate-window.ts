import type { Ban, Store, WindowState } from '../stores/store.js';

/**
 * Advance a window state to `now` and count `cost` in it. Pure function shared by the memory
 * store; the Redis store's script does the same steps atomically.
 *
 * Windows start at the key's first hit. When `now` is past the current window, the current
 * window becomes the previous one (or both are cleared when more than one window has passed).
 */
export function advanceWindow(
  state: WindowState | undefined,
  windowMs: number,
  cost: number,
  now: number,
): WindowState {
  if (state === undefined || now - state.last >= windowMs) {
    // Nothing in the last window: the exact sliding count is zero, start afresh.
    return { start: now, prev: 0, curr: cost, prevLast: 0, last: now };
  }
  let { start, prev, curr, prevLast, last } = state;
  if (now >= start + windowMs) {
    const elapsedWindows = Math.floor((now - start) / windowMs);
    if (elapsedWindows === 1) {
      prev = curr;
      prevLast = last;
    } else {
      prev = 0;
      prevLast = 0;
    }
    start += elapsedWindows * windowMs;
    curr = 0;
  }
  curr += cost;
  if (cost > 0 && now > last) last = now;
  return { start, prev, curr, prevLast, last };
}

/**
 * Share of the previous window's hits still inside the sliding window `(now - windowMs, now]`.
 * The hits are taken as spread evenly from the window's start to its last hit, so a burst leaves
 * the sliding window as soon as its last hit does (better than the plain two-bucket weighting,
 * which keeps a burst for a whole extra window).
 */
function previousShare(state: WindowState, windowMs: number, now: number): number {
  if (state.prev <= 0) return 0;
  const cutoff = now - windowMs;
  const from = state.start - windowMs;
  const to = state.prevLast;
  if (to <= cutoff) return 0;
  if (to <= from) return 1;
  return Math.min(1, Math.max(0, (to - cutoff) / (to - from)));
}

/** Weighted number of hits in the sliding window ending at `now`. */
export function slidingCount(state: WindowState, windowMs: number, now: number): number {
  if (now - state.last >= windowMs) return 0;
  if (now >= state.start + windowMs) {
    // Not yet rolled by a hit: read as if it had been.
    return slidingCount(advanceWindow(state, windowMs, 0, now), windowMs, now);
  }
  return state.curr + state.prev * previousShare(state, windowMs, now);
}

/**
 * Milliseconds until one more request of `cost` fits under `limit`, assuming no further hits.
 * 0 when it fits now.
 */
export function retryAfterMs(
  state: WindowState,
  windowMs: number,
  limit: number,
  now: number,
  cost = 1,
): number {
  if (slidingCount(state, windowMs, now) + cost <= limit) return 0;
  const room = limit - cost;
  let at: number;
  if (state.curr > room) {
    // The current window alone is too full: wait until it has rolled into `prev` and enough of it
    // has left the sliding window. After the roll, share(t) = (last - (t - W)) / (last - start).
    const span = state.last - state.start;
    const needShare = room <= 0 ? 0 : room / state.curr;
    at = Math.max(state.start + windowMs, windowMs + state.last - needShare * span);
    if (needShare === 0) at = Math.max(at, state.last + windowMs);
  } else {
    // The previous window's share must fall to `room - curr`.
    const span = state.prevLast - (state.start - windowMs);
    const needShare = (room - state.curr) / state.prev;
    at = Math.min(state.start + windowMs, windowMs + state.prevLast - needShare * span);
  }
  return Math.max(1, Math.ceil(at - now));
}

/** Outcome of counting one request. */
export interface RateDecision {
  /** Weighted requests counted in the sliding window (refused requests are not counted). */
  count: number;
  limited: boolean;
  remaining: number;
  /** When limited: ms until one more request fits. Otherwise: ms until the window is empty again. */
  resetMs: number;
  /** The shared store was unreachable and a local fallback counted this request. */
  degraded: boolean;
  /** The client's active ban, read in the same round trip. */
  ban?: Ban;
  /** The client's stored risk score (not yet decayed). */
  risk?: { score: number; at: number };
}

/**
 * Sliding-window rate limit per key on top of a {@link Store}: O(1) memory per key, one store
 * call per request. Limits and windows are passed per call so that routes can override them.
 */
export class RateWindow {
  constructor(private readonly store: Store) {}

  async consume(
    key: string,
    limit: number,
    windowMs: number,
    cost: number,
    now: number,
  ): Promise<RateDecision> {
    const {
      state,
      counted,
      degraded = false,
      ban,
      risk,
    } = await this.store.hit(key, windowMs, limit, cost, now);
    const count = slidingCount(state, windowMs, now);
    return {
      ...(ban !== undefined ? { ban } : {}),
      ...(risk !== undefined ? { risk } : {}),
      count,
      limited: !counted,
      remaining: Math.max(0, Math.floor(limit - count)),
      resetMs: counted
        ? Math.max(0, state.last + windowMs - now)
        : retryAfterMs(state, windowMs, limit, now, cost),
      degraded,
    };
  }
}
