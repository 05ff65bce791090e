/**
 * Routing decisions with 10,000 interactions queued and 200 agents (24 skills, 12 queues with
 * one to three required skills and overflow, two agent groups, mixed states and loads).
 *
 * Measured, per decision, in the same process and interleaved sample by sample:
 *   - an interaction arrives: the indexed choice of agent (select.ts `bestAgentFor`) against
 *     the same choice by a plain scan of all 200 agents (`scanBestAgent`) -> p50_ms, p99_ms,
 *     baseline_p50_ms, baseline_p99_ms, ratio (indexed p50 / scan p50; below 1 is faster);
 *   - an agent frees a slot: the indexed choice of work (`bestEntryFor`) against a plain scan of
 *     all 10,000 queued (`scanBestEntry`) -> freed_* figures;
 *   - the whole router on a real SQLite file: a release that frees a slot, the next offer chosen
 *     and everything committed -> router_p50_ms, router_p99_ms; and a restart (a new Router
 *     loading the 10,000 from the file) -> restart_ms.
 * Every indexed answer is checked against the scan's. Target: p99 <= 2 ms per decision.
 */
import { ManualClock } from '../../electron/core/clock';
import { Router, manualRoutingTimers } from '../../electron/core/routing/router';
import { newTarget, RoutingIndex, scanBestAgent, scanBestEntry, type RoutedAgent, type RoutedEntry, type RoutingTarget } from '../../electron/core/routing/select';
import type { WorkKind } from '../../electron/core/routing/schema';
import { openStore } from '../../electron/core/store';
import { addContact } from '../../electron/core/store/contacts';
import { moveInteraction, openInteractions } from '../../electron/core/store/interactions';
import { insertNewMessages } from '../../electron/core/store/messages';
import { tempDir } from '../support/temp';
import type { BenchResult } from './types';

const AGENTS = 200;
const QUEUED = 10_000;
const QUEUES = 12;
const SKILLS = Array.from({ length: 24 }, (_, i) => `skill-${i}`);
const GROUPS = ['dm-team', 'night'];
const SAMPLES = 20_000;
const WARMUP = 2_000;
const ROUTER_SAMPLES = 300;
const TARGET_P99_MS = 2;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DeskShape {
  queues: Array<{ name: string; skills: Array<{ skill: string; minLevel: number }>; priority: number }>;
  agents: Array<{ name: string; skills: Record<string, number>; groups: string[]; capacity: { public: number; private: number }; state: 'ready' | 'not-ready' | 'offline'; idleSince: number }>;
  work: Array<{ queue: number | null; group: string | null; kind: WorkKind; priority: number; enteredAt: number }>;
}

/** The same desk for the in-memory and the SQLite runs. */
function deskShape(seed: number): DeskShape {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const queues = Array.from({ length: QUEUES }, (_, q) => ({
    name: `Queue ${q + 1}`,
    skills: [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(SKILLS)))].map((skill) => ({ skill, minLevel: 3 + Math.floor(next() * 6) })),
    priority: pick([30, 50, 50, 70]),
  }));
  const agents = Array.from({ length: AGENTS }, (_, a) => {
    const skills: Record<string, number> = {};
    for (const skill of SKILLS) if (next() < 0.3) skills[skill] = 1 + Math.floor(next() * 10);
    return {
      name: `Agent ${a + 1}`,
      skills,
      groups: GROUPS.filter(() => next() < 0.15),
      capacity: { public: 1 + Math.floor(next() * 4), private: Math.floor(next() * 3) },
      state: pick(['ready', 'ready', 'ready', 'ready', 'not-ready', 'offline'] as const),
      idleSince: T0 - Math.floor(next() * 60) * MINUTE,
    };
  });
  const work = Array.from({ length: QUEUED }, () => {
    const toGroup = next() < 0.05;
    return {
      queue: toGroup ? null : Math.floor(next() * QUEUES),
      group: toGroup ? pick(GROUPS) : null,
      kind: (next() < 0.7 ? 'public' : 'private') as WorkKind,
      priority: pick([30, 50, 50, 50, 80]),
      enteredAt: T0 - Math.floor(next() * 60 * MINUTE),
    };
  });
  return { queues, agents, work };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (ms: number): number => Math.round(ms * 10_000) / 10_000;

function timed<T>(work: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = work();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

/** The in-memory desk: same code as the router's, built straight from the shape. */
function memoryDesk(shape: DeskShape, now: number): { index: RoutingIndex; agents: RoutedAgent[]; entries: RoutedEntry[] } {
  const index = new RoutingIndex();
  const targets: RoutingTarget[] = shape.queues.map((q, i) =>
    newTarget({
      queueId: i + 1,
      group: null,
      name: q.name,
      priority: q.priority,
      serviceLevel: { percent: 80, withinMs: 15 * MINUTE },
      overflow: { afterMs: 5 * MINUTE, everyMs: 5 * MINUTE, levelDrop: 2 },
      needs: q.skills,
    }),
  );
  for (const target of targets) index.putTarget(target, now);
  const agents = shape.agents.map((a, i): RoutedAgent => {
    const agent: RoutedAgent = {
      id: i + 1,
      name: a.name,
      skills: new Map(Object.entries(a.skills)),
      groups: new Set(a.groups),
      capacity: { ...a.capacity },
      // Most are busy: some free slots, so both questions have answers.
      load: { public: Math.min(a.capacity.public, Math.floor(((i * 7) % 5) / 2)), private: Math.min(a.capacity.private, (i * 3) % 2) },
      state: a.state,
      reason: a.state === 'not-ready' ? 'break' : null,
      stateSince: a.idleSince,
      idleSince: a.idleSince,
      holding: new Set(),
      listed: { public: false, private: false },
    };
    index.addAgent(agent);
    return agent;
  });
  const entries = shape.work.map((w, i): RoutedEntry => {
    const entry: RoutedEntry = {
      interactionId: i + 1,
      target: w.queue !== null ? targets[w.queue]! : index.groupTarget(w.group!),
      priority: w.priority,
      kind: w.kind,
      enteredAt: w.enteredAt,
      queueEnteredAt: w.enteredAt,
      returned: i % 97 === 0,
      answeredAt: null,
      step: 0,
      nextStepAt: Infinity,
      assignment: null,
      heapPos: -1,
      stepPos: -1,
    };
    index.addEntry(entry, now);
    return entry;
  });
  return { index, agents, entries };
}

function compare<I, R>(inputs: readonly I[], indexed: (input: I) => R, scanned: (input: I) => R, what: string) {
  const fast: number[] = [];
  const slow: number[] = [];
  let answered = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    // Alternate which goes first, so neither always meets a warmer cache.
    let a: R;
    let b: R;
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      [a, ta] = timed(() => indexed(input));
      [b, tb] = timed(() => scanned(input));
    } else {
      [b, tb] = timed(() => scanned(input));
      [a, ta] = timed(() => indexed(input));
    }
    if (a !== b) throw new Error(`${what}: the index and the scan disagree on sample ${i}`);
    if (a !== null) answered++;
    if (i >= WARMUP) {
      fast.push(ta);
      slow.push(tb);
    }
  }
  fast.sort((x, y) => x - y);
  slow.sort((x, y) => x - y);
  return { p50: percentile(fast, 50), p99: percentile(fast, 99), baseP50: percentile(slow, 50), baseP99: percentile(slow, 99), answered: answered / inputs.length };
}

/** The real router on a real file: 10,000 queued through `enqueue`, then releases that each lead to an offer. */
async function routerRun(shape: DeskShape): Promise<{ p50: number; p99: number; restartMs: number; offers: number }> {
  const dir = tempDir('desk-bench-routing-');
  let store = await openStore(dir.path);
  const clock = new ManualClock(T0 - 61 * MINUTE);
  let router = new Router({ db: store.db, clock, timers: manualRoutingTimers, acceptTimeoutMs: 24 * 60 * MINUTE });
  try {
    await router.start();
    const queueIds: number[] = [];
    for (const q of shape.queues) queueIds.push((await router.saveQueue({ name: q.name, skills: q.skills, priority: q.priority })).id);
    const agentIds: number[] = [];
    for (const a of shape.agents) agentIds.push((await router.saveAgent({ name: a.name, skills: a.skills, groups: a.groups, capacity: a.capacity })).id);
    // Interactions arrive over the hour, with nobody ready.
    const contactId = await store.db.transaction((tx) => addContact(tx, { displayName: 'Customer', identities: [], at: clock.now() }));
    const byTime = shape.work.map((w, i) => ({ ...w, i })).sort((a, b) => a.enteredAt - b.enteredAt);
    const ids = await store.db.transaction(async (tx) => {
      const messageIds = await insertNewMessages(
        tx,
        byTime.map((w) => ({
          platform: w.kind === 'private' ? 'messenger' : 'x',
          externalId: `bench-${w.i}`,
          contactId,
          kind: w.kind === 'private' ? 'messenger.message' : 'x.mention',
          direction: 'inbound',
          visibility: w.kind,
          text: 'help',
          conversationRef: null,
          inReplyToExternalId: null,
          createdAt: w.enteredAt,
          receivedAt: w.enteredAt,
        })),
      );
      return openInteractions(
        tx,
        messageIds.map((messageId) => ({ messageId, contactId })),
        byTime[0]!.enteredAt,
      );
    });
    for (let start = 0; start < byTime.length; start += 1_000) {
      await store.db.transaction(async (tx) => {
        for (let k = start; k < Math.min(byTime.length, start + 1_000); k++) {
          const w = byTime[k]!;
          clock.set(w.enteredAt);
          // As the calendar gate will: queued and enqueued in one transaction.
          await moveInteraction(tx, { id: ids[k]!, from: 'new', to: 'queued', at: w.enteredAt, actor: 'calendar', reason: 'the desk is open' });
          await router.enqueue(tx, ids[k]!, w.queue !== null ? { queueId: queueIds[w.queue]!, priority: w.priority } : { group: w.group!, priority: w.priority });
        }
      });
    }
    await router.flush();
    clock.set(T0);
    // Agents come in: each takes what it can.
    for (let a = 0; a < agentIds.length; a++) {
      const s = shape.agents[a]!.state;
      if (s === 'ready') await router.setAgentState(agentIds[a]!, { state: 'ready' });
      else if (s === 'not-ready') await router.setAgentState(agentIds[a]!, { state: 'not-ready', reason: 'break' });
    }
    await router.stop();
    await store.close();

    // Restart on the same file.
    store = await openStore(dir.path);
    router = new Router({ db: store.db, clock, timers: manualRoutingTimers, acceptTimeoutMs: 24 * 60 * MINUTE });
    const restartStart = performance.now();
    await router.start();
    const restartMs = performance.now() - restartStart;

    // Releases: each frees a slot, and the router picks that agent's next work and commits it.
    const times: number[] = [];
    let offers = 0;
    for (let s = 0; s < ROUTER_SAMPLES; s++) {
      clock.advance(1_000);
      const busy = router.agents().filter((a) => a.load.public + a.load.private > 0 && a.state.state === 'ready');
      const agent = busy[s % busy.length];
      if (!agent) break;
      const [held] = router.assignmentsOf(agent.id);
      const start = performance.now();
      await router.release(held!.interactionId);
      times.push(performance.now() - start);
      if (router.assignmentsOf(agent.id).length === agent.load.public + agent.load.private) offers++;
    }
    times.sort((x, y) => x - y);
    return { p50: percentile(times, 50), p99: percentile(times, 99), restartMs, offers };
  } finally {
    await router.stop();
    await store.close();
    dir.remove();
  }
}

export async function routing(): Promise<BenchResult> {
  const shape = deskShape(2026);
  const now = T0;
  const { index, agents, entries } = memoryDesk(shape, now);
  const next = random(99);
  const arrivals = Array.from({ length: SAMPLES }, () => entries[Math.floor(next() * entries.length)]!);
  const freed = Array.from({ length: SAMPLES }, () => agents[Math.floor(next() * agents.length)]!);

  const arrive = compare(
    arrivals,
    (entry) => index.bestAgentFor(entry),
    (entry) => scanBestAgent(agents, entry),
    'choosing an agent',
  );
  const free = compare(
    freed,
    (agent) => index.bestEntryFor(agent),
    (agent) => scanBestEntry(entries, agent),
    'choosing work',
  );
  const real = await routerRun(shape);

  const ratio = arrive.p50 / arrive.baseP50;
  const freedRatio = free.p50 / free.baseP50;
  const meets = arrive.p99 <= TARGET_P99_MS && free.p99 <= TARGET_P99_MS;
  return {
    bench: 'routing',
    summary:
      `with ${QUEUED.toLocaleString('en-US')} queued and ${AGENTS} agents, choosing an agent takes p50 ${(arrive.p50 * 1000).toFixed(1)} µs / p99 ${(arrive.p99 * 1000).toFixed(1)} µs ` +
      `(plain scan of all agents: p50 ${(arrive.baseP50 * 1000).toFixed(1)} µs / p99 ${(arrive.baseP99 * 1000).toFixed(1)} µs; ratio ${ratio.toFixed(2)}); ` +
      `choosing work for a freed agent p50 ${(free.p50 * 1000).toFixed(1)} µs / p99 ${(free.p99 * 1000).toFixed(1)} µs ` +
      `(scan of all queued: p50 ${(free.baseP50 * 1000).toFixed(1)} µs / p99 ${(free.baseP99 * 1000).toFixed(1)} µs; ratio ${freedRatio.toFixed(3)}); ` +
      `target p99 <= ${TARGET_P99_MS} ms: ${meets ? 'met' : 'NOT met'}. ` +
      `The router on SQLite: release -> next offer committed p50 ${real.p50.toFixed(2)} ms / p99 ${real.p99.toFixed(2)} ms; restart with ${QUEUED.toLocaleString('en-US')} queued ${real.restartMs.toFixed(0)} ms`,
    figures: {
      agents: AGENTS,
      queued: QUEUED,
      samples: SAMPLES - WARMUP,
      p50_ms: round(arrive.p50),
      p99_ms: round(arrive.p99),
      baseline_p50_ms: round(arrive.baseP50),
      baseline_p99_ms: round(arrive.baseP99),
      ratio: Math.round(ratio * 1000) / 1000,
      answered_share: Math.round(arrive.answered * 1000) / 1000,
      freed_p50_ms: round(free.p50),
      freed_p99_ms: round(free.p99),
      freed_baseline_p50_ms: round(free.baseP50),
      freed_baseline_p99_ms: round(free.baseP99),
      freed_ratio: Math.round(freedRatio * 10_000) / 10_000,
      freed_answered_share: Math.round(free.answered * 1000) / 1000,
      router_p50_ms: Math.round(real.p50 * 100) / 100,
      router_p99_ms: Math.round(real.p99 * 100) / 100,
      router_releases_with_offer: real.offers,
      restart_ms: Math.round(real.restartMs),
      target_p99_ms: TARGET_P99_MS,
      target_met: meets ? 'yes' : 'no',
    },
  };
}
