import { describe, expect, it } from 'vitest';
import { advanceWindow, MemoryStore, RateWindow, retryAfterMs, slidingCount } from '../src/index.js';

const W = 60_000;

describe('advanceWindow / slidingCount', () => {
  it('counts hits inside one window exactly', () => {
    let s = advanceWindow(undefined, W, 1, 0);
    for (let i = 1; i < 10; i++) s = advanceWindow(s, W, 1, i * 1000);
    expect(slidingCount(s, W, 9000)).toBe(10);
  });

  it('forgets a burst as soon as its last hit leaves the window', () => {
    let s = advanceWindow(undefined, W, 1, 0);
    for (let i = 0; i < 99; i++) s = advanceWindow(s, W, 1, 0);
    expect(slidingCount(s, W, W - 1)).toBe(100);
    expect(slidingCount(s, W, W)).toBe(0);
  });

  it('weights the previous window by the share still inside the sliding window', () => {
    // 60 hits spread evenly over the first window, then look half-way into the second.
    let s: ReturnType<typeof advanceWindow> | undefined;
    for (let i = 0; i < 60; i++) s = advanceWindow(s, W, 1, i * 1000);
    s = advanceWindow(s!, W, 1, W + 30_000);
    const count = slidingCount(s, W, W + 30_000);
    // Exact sliding count: hits at 31s..59s (29) plus the new one = 30.
    expect(count).toBeGreaterThan(29);
    expect(count).toBeLessThan(32);
  });

  it('clears everything after two idle windows', () => {
    const s = advanceWindow(advanceWindow(undefined, W, 5, 0), W, 1, 30_000);
    const later = advanceWindow(s, W, 1, 3 * W);
    expect(later.prev).toBe(0);
    expect(slidingCount(later, W, 3 * W)).toBe(1);
  });

  it('supports weighted costs', () => {
    const s = advanceWindow(advanceWindow(undefined, W, 2.5, 0), W, 4, 10);
    expect(slidingCount(s, W, 10)).toBe(6.5);
  });
});

describe('retryAfterMs', () => {
  it('is 0 when one more request fits', () => {
    const s = advanceWindow(undefined, W, 5, 0);
    expect(retryAfterMs(s, W, 10, 0)).toBe(0);
  });

  it('for a burst at one instant, is exactly the rest of the window', () => {
    let s = advanceWindow(undefined, W, 1, 1000);
    for (let i = 0; i < 10; i++) s = advanceWindow(s, W, 1, 1000);
    const wait = retryAfterMs(s, W, 10, 21_000);
    expect(wait).toBe(40_000);
    // And after waiting that long, a request fits.
    expect(slidingCount(s, W, 21_000 + wait) + 1).toBeLessThanOrEqual(10);
  });

  it('after waiting the advised time a request fits, and not much earlier', () => {
    let s: ReturnType<typeof advanceWindow> | undefined;
    for (let i = 0; i < 120; i++) s = advanceWindow(s, W, 1, i * 600); // 120 hits over 72 s
    const now = 72_000;
    const wait = retryAfterMs(s!, W, 100, now);
    expect(wait).toBeGreaterThan(0);
    expect(slidingCount(s!, W, now + wait) + 1).toBeLessThanOrEqual(100 + 1e-9);
    expect(slidingCount(s!, W, now + Math.max(0, wait - 2000)) + 1).toBeGreaterThan(100);
  });
});

describe('RateWindow', () => {
  it('allows exactly `limit` requests, limits the next, and says when to retry', async () => {
    const rw = new RateWindow(new MemoryStore());
    for (let i = 1; i <= 5; i++) {
      const d = await rw.consume('k', 5, W, 1, 1000);
      expect(d.limited).toBe(false);
      expect(d.remaining).toBe(5 - i);
    }
    const over = await rw.consume('k', 5, W, 1, 1000);
    expect(over.limited).toBe(true);
    expect(over.remaining).toBe(0);
    expect(over.resetMs).toBe(W);
    expect((await rw.consume('k', 5, W, 1, 1000 + W)).limited).toBe(false);
  });

  it('counts keys apart', async () => {
    const rw = new RateWindow(new MemoryStore());
    await rw.consume('a', 1, W, 1, 0);
    expect((await rw.consume('a', 1, W, 1, 0)).limited).toBe(true);
    expect((await rw.consume('b', 1, W, 1, 0)).limited).toBe(false);
  });
});

describe('refused requests', () => {
  it('are not counted, so a client that keeps knocking is still released after the window', async () => {
    const rw = new RateWindow(new MemoryStore());
    for (let i = 0; i < 5; i++) await rw.consume('k', 5, W, 1, 0);
    for (let t = 0; t < W; t += 5000) {
      const d = await rw.consume('k', 5, W, 1, t);
      expect(d.limited).toBe(true);
      expect(d.count).toBe(5);
      expect(d.resetMs).toBe(W - t);
    }
    expect((await rw.consume('k', 5, W, 1, W)).limited).toBe(false);
  });

  it('a cost larger than what is left is refused while a smaller one fits', async () => {
    const rw = new RateWindow(new MemoryStore());
    await rw.consume('k', 10, W, 8, 0);
    expect((await rw.consume('k', 10, W, 3, 1)).limited).toBe(true);
    expect((await rw.consume('k', 10, W, 2, 2)).limited).toBe(false);
  });
});
