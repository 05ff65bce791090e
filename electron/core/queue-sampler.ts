/**
 * Routing's surroundings in the desk: the default queue a new desk needs (the default rules route
 * there), and the per-minute samples of waiting work behind the Queues page's chart.
 */
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { Router } from './routing';
import { DEFAULT_QUEUE } from './rules';
import type { Database } from './store/db';
import { writeQueueSamples } from './store/rule-decisions';

const SAMPLE_EVERY_MS = 60_000;
/** The chart shows up to 48 hours. */
const KEEP_MS = 48 * 3_600_000;

/** A desk with no queue gets "general" (no skills required: any agent can take its work). */
export async function ensureDefaultQueue(router: Router, logger: Logger): Promise<void> {
  if (router.queues().length > 0) return;
  await router.saveQueue({ name: DEFAULT_QUEUE });
  logger.info('created the default queue', { queue: DEFAULT_QUEUE });
}

export function queueKey(target: { queueId: number | null; group: string | null }): string {
  return target.queueId !== null ? `queue:${target.queueId}` : `group:${target.group ?? ''}`;
}

export interface QueueSampler {
  /** Takes a sample now (the Queues page's chart then has a point for this minute). */
  sample(): Promise<void>;
  stop(): void;
}

export function startQueueSampler(options: { db: Database; router: Router; clock: Clock; logger: Logger }): QueueSampler {
  const { db, router, clock, logger } = options;
  let stopped = false;
  const sample = async () => {
    if (stopped) return;
    try {
      const now = clock.now();
      const minute = now - (now % SAMPLE_EVERY_MS);
      const snapshot = await router.snapshot();
      await db.transaction((tx) => writeQueueSamples(tx, minute, snapshot.map((tile) => ({ key: queueKey(tile), waiting: tile.waiting })), now - KEEP_MS));
    } catch (error) {
      if (!stopped) logger.warn('could not sample the queues', { error });
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), SAMPLE_EVERY_MS);
  timer.unref?.();
  return {
    sample,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
