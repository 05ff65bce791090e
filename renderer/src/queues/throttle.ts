/**
 * Refreshes that follow a storm without joining it: however many events arrive, a read runs at
 * most once per `minIntervalMs`, never two at once, and one more runs after the last event so
 * the screen ends up current. 1,000 messages a second become about three reads a second.
 *
 * DOM-free: timers are the platform's, the work is injected.
 */
export interface Throttled {
  /** Something changed: read again soon (now, if the last read was long enough ago). */
  request(): void;
  /** Reads now (a first load, a reconnect), still never two at once. */
  now(): void;
  dispose(): void;
}

export function throttledRefresh(work: () => Promise<unknown>, minIntervalMs: number): Throttled {
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastStart = 0;
  let disposed = false;

  const run = (): void => {
    timer = null;
    if (disposed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    lastStart = Date.now();
    void work()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again && !disposed) request();
      });
  };

  function request(): void {
    if (disposed) return;
    if (running) {
      again = true;
      return;
    }
    if (timer !== null) return;
    const wait = Math.max(0, minIntervalMs - (Date.now() - lastStart));
    timer = setTimeout(run, wait);
  }

  return {
    request,
    now() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      run();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
