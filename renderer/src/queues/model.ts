/**
 * Words and small sums the Queues and Agents pages share: how long something waited, what an
 * agent is doing, which tile a waiting item belongs to, how a queue's settings read.
 */
import type { Agent, Queue, QueueEntry, QueueSnapshot } from '../../../electron/core/contract';

/** "45 s", "4 min 05 s", "1 h 12 min", "2 d 3 h": ticks visibly under an hour. */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "15 min", "1 h 30 min", "90 s": a target or a setting, not a ticking clock. */
export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60 || minutes % 60 !== 0) {
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  const hours = minutes / 60;
  return hours % 24 === 0 ? `${hours / 24} d` : `${hours} h`;
}

export type TileKey = `queue:${number}` | `group:${string}`;

export function tileKey(tile: Pick<QueueSnapshot, 'queueId' | 'group'>): TileKey {
  return tile.queueId !== null ? `queue:${tile.queueId}` : `group:${tile.group ?? ''}`;
}

export function entryKey(entry: Pick<QueueEntry, 'queueId' | 'group'>): TileKey {
  return entry.queueId !== null ? `queue:${entry.queueId}` : `group:${entry.group ?? ''}`;
}

/** What an agent is doing, as the board and the tiles count it. */
export type Presence = 'ready' | 'busy' | 'not-ready' | 'offline';

export function presenceOf(agent: Agent): Presence {
  if (agent.state.state === 'offline') return 'offline';
  if (agent.state.state === 'not-ready') return 'not-ready';
  const free = agent.capacity.public - agent.load.public + (agent.capacity.private - agent.load.private);
  return free > 0 ? 'ready' : 'busy';
}

export const presenceLabels: Record<Presence, string> = {
  ready: 'Ready',
  busy: 'Busy',
  'not-ready': 'Not ready',
  offline: 'Offline',
};

const presenceOrder: Record<Presence, number> = { ready: 0, busy: 1, 'not-ready': 2, offline: 3 };

export function byPresence(a: Agent, b: Agent): number {
  return presenceOrder[presenceOf(a)] - presenceOrder[presenceOf(b)] || a.name.localeCompare(b.name);
}

/** "billing ≥ 6, spanish ≥ 4" (most important first). */
export function describeSkills(skills: readonly { skill: string; minLevel: number }[]): string {
  return skills.length === 0 ? 'Any agent' : skills.map((s) => `${s.skill} ≥ ${s.minLevel}`).join(', ');
}

export function describeServiceLevel(queue: Pick<Queue, 'serviceLevel'>): string {
  return `${queue.serviceLevel.percent}% within ${formatSpan(queue.serviceLevel.withinMs)}`;
}

export function describeOverflow(queue: Pick<Queue, 'overflow'>): string {
  const o = queue.overflow;
  if (o === null) return 'Off: the requirement never relaxes';
  return `After ${formatSpan(o.afterMs)}, then every ${formatSpan(o.everyMs)}: −${o.levelDrop} level${o.levelDrop === 1 ? '' : 's'}`;
}

/** Where an entry waits, in words: the queue's name or "group dm-team". */
export function placeName(entry: Pick<QueueEntry, 'queueId' | 'group'>, queues: readonly Queue[]): string {
  if (entry.queueId !== null) return queues.find((q) => q.id === entry.queueId)?.name ?? `queue ${entry.queueId}`;
  return `group ${entry.group ?? ''}`;
}

/** Colours for the chart's series, distinct and dark enough on white. */
export const seriesColours = ['#1f5fbf', '#b45309', '#0e7a3e', '#7a3fd1', '#b42318', '#0f766e', '#9d174d', '#4d5b70'];
