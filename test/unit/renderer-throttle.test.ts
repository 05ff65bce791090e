/**
 * The Queues page's refresh throttle, without a browser: however many events arrive, reads run
 * at most once per interval, never two at once, and one more runs after the last event.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttledRefresh } from '../../renderer/src/queues/throttle';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});

afterEach(() => {
  vi.useRealTimers();
});

/** A read that takes `ms` to answer, counting how many ran and how many ran at once. */
function slowRead(ms: number) {
  const state = { started: 0, running: 0, mostAtOnce: 0 };
  const work = () => {
    state.started += 1;
    state.running += 1;
    state.mostAtOnce = Math.max(state.mostAtOnce, state.running);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        state.running -= 1;
        resolve();
      }, ms),
    );
  };
  return { state, work };
}

describe('throttledRefresh', () => {
  it('turns a storm of 1,000 events a second for 10 s into about three reads a second', async () => {
    const { state, work } = slowRead(40);
    const throttle = throttledRefresh(work, 350);
    for (let ms = 0; ms < 10_000; ms += 1) {
      throttle.request();
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    expect(state.mostAtOnce).toBe(1);
    // 10 s / 350 ms = 28.6 windows, plus the trailing read.
    expect(state.started).toBeGreaterThanOrEqual(25);
    expect(state.started).toBeLessThanOrEqual(31);
    throttle.dispose();
  });

  it('reads once more after the last event, so the screen ends up current', async () => {
    const { state, work } = slowRead(100);
    const throttle = throttledRefresh(work, 350);
    throttle.request();
    await vi.advanceTimersByTimeAsync(10); // the first read is under way
    throttle.request();
    throttle.request();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state.started).toBe(2);
    throttle.dispose();
  });

  it('reads at once on request when idle long enough, and never after dispose', async () => {
    const { state, work } = slowRead(10);
    const throttle = throttledRefresh(work, 350);
    throttle.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    throttle.now();
    expect(state.started).toBe(2);
    throttle.request();
    throttle.dispose();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.started).toBe(2);
  });
});
