// Fixed-window counters, one per (caller, endpoint): X's 15-minute and 24-hour windows, Graph's
// usage percentages. The clock is the sandbox's, so a test can move past a reset.
import type { Clock } from './types';

export interface WindowState {
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  /** How many calls were counted in this window (may exceed the limit for Graph's usage). */
  used: number;
}

export class WindowCounters {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock) {}

  private window(key: string, windowMs: number): { start: number; count: number } {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || now >= w.start + windowMs || now < w.start) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  /** Counts one call if under the limit; `allowed` false (and nothing counted) when the window is used up. */
  hit(key: string, limit: number, windowMs: number): WindowState & { allowed: boolean } {
    const w = this.window(key, windowMs);
    const allowed = w.count < limit;
    if (allowed) w.count += 1;
    return { limit, remaining: Math.max(0, limit - w.count), reset: Math.ceil((w.start + windowMs) / 1000), used: w.count, allowed };
  }

  /** Counts one call whatever the limit (Graph keeps counting past 100%). */
  count(key: string, limit: number, windowMs: number): WindowState {
    const w = this.window(key, windowMs);
    w.count += 1;
    return { limit, remaining: Math.max(0, limit - w.count), reset: Math.ceil((w.start + windowMs) / 1000), used: w.count };
  }

  peek(key: string, limit: number, windowMs: number): WindowState {
    const w = this.window(key, windowMs);
    return { limit, remaining: Math.max(0, limit - w.count), reset: Math.ceil((w.start + windowMs) / 1000), used: w.count };
  }

  reset(): void {
    this.windows.clear();
  }
}
